// Taking a buyer out of their own words: contact details (emails, links, phone numbers) always, and for
// answers not given by name also their name, their company and their email's domain, wholly. Pure text
// functions: no database, so the themes command line uses them too.

/** What identifies the buyer in what they wrote. */
export interface Identity {
  name?: string | null | undefined;
  company?: string | null | undefined;
  email?: string | null | undefined;
}

const email = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// A link ends at a space, a quote, a bracket, or punctuation that ends the sentence around it.
const url = /\b(?:https?:\/\/|www\.)[^\s"'<>()[\]{}]*[^\s"'<>()[\]{}.,;:!?]/giu;
// Seven digits or more in one run of digits, spaces, brackets, dots, dashes and slashes...
const phoneCandidate = /(?:\+|\(\s?)?\d[\d ()./-]{5,}\d\)?/g;
// ...that is not a year range, a date or an amount written with thousands separators.
const notPhone = [/^(?:19|20)\d\d ?[-–/] ?(?:19|20)\d\d$/, /^\d{4}-\d\d-\d\d$/, /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/, /^\d{1,3}(?:[ .]\d{3})+$/];

function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '').length;
  return digits >= 7 && !notPhone.some((p) => p.test(candidate.trim()));
}

/** The text without email addresses, links and phone numbers. */
export function redactContacts(text: string): string {
  return text
    .replace(email, '[email]')
    .replace(url, '[link]')
    .replace(phoneCandidate, (m) => (isPhone(m) ? '[phone]' : m));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `phrase` as a whole word or words (letters and digits of any script count as word characters). */
const whole = (phrase: string, flags: string) => new RegExp(`(?<![\\p{L}\\p{N}_])${escape(phrase).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}_])`, flags);

// A company's legal form, left off its name ("Zephyr Mutual Ltd" is also written "Zephyr Mutual").
const legalForms = new Set(
  'inc incorporated ltd limited llc llp lp plc gmbh ag sa sas sarl bv nv oy ab as spa srl kk pty co corp corporation company group holding holdings'.split(' '),
);
// Words of a company's name that do not name it on their own: never redacted alone.
const genericWords = new Set([
  ...legalForms,
  ...'the and of for international global services solutions systems technologies technology labs partners bank insurance mutual health software analytics logistics consulting capital industries foods design studio legal travel manufacturing clinical credit union freight'.split(
    ' ',
  ),
]);

// First names and surnames that are also everyday words: taken out only where written as a name
// (capitalised), so "Will Price" does not turn "we will ask about the price" into nonsense.
const everydayWords = new Set(
  'will may june april august grant mark rose bill hope faith joy don guy art pat sue rob jack frank drew chase dawn lane ray rich summer price cost sales best bell hall hill park field ford fox long young king brown white black green gray grey baker cook miller hunter mason carter page case bond stone wood woods early little small short rice wise love bush banks waters rivers lord major young'.split(
    ' ',
  ),
);

const capitalised = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** The company's name, and without its legal form ("Zephyr Mutual Ltd" -> also "Zephyr Mutual"), longest first. */
function companyNames(company: string): string[] {
  const words = company.replace(/[,.]/g, ' ').split(/\s+/).filter(Boolean);
  while (words.length > 1 && legalForms.has(words.at(-1)!.toLowerCase())) words.pop();
  if (words.length > 1 && words[0]!.toLowerCase() === 'the') words.shift();
  const short = words.join(' ');
  const names = [company.trim(), ...(short.length >= 4 && !genericWords.has(short.toLowerCase()) ? [short] : [])];
  return [...new Set(names)].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
}

/** The distinctive words of a company's name ("Zephyr" of "Zephyr Mutual"). */
function companyWords(company: string): string[] {
  return company.split(/[\s,.&/-]+/).filter((w) => w.length >= 3 && !genericWords.has(w.toLowerCase()));
}

/** The buyer's email domain ("zephyrmutual.example") and its first label ("zephyrmutual"), unless a mail provider's. */
function domainNames(address: string): string[] {
  const domain = address.split('@')[1]?.toLowerCase();
  if (!domain || /^(gmail|googlemail|outlook|hotmail|live|yahoo|icloud|me|proton|protonmail|gmx|web|aol|mail)\./.test(domain)) return [];
  const label = domain.split('.')[0] ?? '';
  return [domain, ...(label.length >= 4 ? [label] : [])];
}

/**
 * The text with the buyer taken out: contact details, then their company (before their name, which may
 * be part of it), their email's domain, their full name, and the parts of both on their own.
 */
export function redactIdentity(text: string, who: Identity): string {
  let out = redactContacts(text);
  // Most answers name neither the buyer nor the company: a cheap look first, as compiling the
  // word-boundary patterns costs milliseconds each (seconds per theme run over thousands of answers).
  const folded = (t: string) => t.toLowerCase().replace(/\s+/g, ' ');
  let haystack = folded(out);
  const replace = (phrase: string, token: string, caseSensitive = false) => {
    if (!haystack.includes(folded(phrase))) return;
    out = out.replace(whole(phrase, caseSensitive ? 'gu' : 'giu'), token);
    haystack = folded(out);
  };
  const company = who.company?.trim() ?? '';
  const name = who.name?.trim() ?? '';
  if (company) for (const n of companyNames(company)) replace(n, '[company]');
  if (who.email) for (const d of domainNames(who.email)) replace(d, '[company]');
  if (name) replace(name, '[name]');
  // Parts alone: proper nouns, so a company's words as written capitalised; a person's name parts in any
  // case, unless the part is also an everyday word.
  if (company) for (const w of companyWords(company)) replace(capitalised(w), '[company]', true);
  for (const part of name.split(/\s+/).filter((p) => p.replace(/\P{L}/gu, '').length >= 2)) {
    if (everydayWords.has(part.toLowerCase())) replace(capitalised(part), '[name]', true);
    else replace(part, '[name]');
  }
  // "[name] [name]" (a name written another way) reads as one.
  return out.replace(/\[(name|company)\](?:\s+\[\1\])+/g, '[$1]');
}
