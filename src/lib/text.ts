// Rules for text that crosses into other formats.

/**
 * One line of text: no control character or line separator. For names that end up in an email header
 * (a From name), where a line break would start a header of its own ("Nina\r\nBcc: ...").
 */
export const oneLine = /^[^\p{Cc}\u2028\u2029]*$/u;
export const oneLineMessage = 'Use one line: no line breaks or control characters.';
