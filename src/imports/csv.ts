// Reads an uploaded CSV file into a header row and data rows: the text encoding (UTF-8 with or without a
// byte-order mark, UTF-16 from Excel's "Unicode text", else Windows-1252), the delimiter (comma,
// semicolon, tab or pipe, whichever the header row uses), quoted fields and any line ending. Parsing is
// streamed and gives other requests a turn every 1,000 rows, so a 20 MB file does not hold the web
// process in one go.
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse, type CsvError } from 'csv-parse';
import { AppError } from '../lib/errors.ts';
import { importLimits, messages } from './messages.ts';

/** One data row: its row number as a spreadsheet shows it (the header is row 1) and its cells. */
export interface CsvRow {
  row: number;
  cells: string[];
}

export interface ParsedCsv {
  headers: string[];
  delimiter: string;
  rows: CsvRow[];
}

export class CsvFileError extends AppError {
  constructor(message: string) {
    super(400, 'bad_csv', message);
  }
}

function decode(buffer: Buffer): string {
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return new TextDecoder('utf-16le').decode(buffer);
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) return new TextDecoder('utf-16be').decode(buffer);
  try {
    // Strips a UTF-8 byte-order mark (Excel's "CSV UTF-8" writes one).
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    // Not UTF-8: older Excel and many CRMs on Windows write Windows-1252.
    return new TextDecoder('windows-1252').decode(buffer);
  }
}

/** Spreadsheets, archives and other binaries: they have NUL bytes or a known signature. */
function looksBinary(buffer: Buffer): boolean {
  const head = buffer.subarray(0, 8192);
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return true; // zip: .xlsx, .numbers
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return true; // .xls
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return true;
  const utf16 = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  return !utf16 && head.includes(0);
}

/** The delimiter the header row uses most, outside quotes; a comma when it uses none. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (let i = 0; i < text.length && i < 65_536; i += 1) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [ch, n] of counts) if (n > counts.get(best)!) best = ch;
  return best;
}

function friendlyParseError(err: CsvError & { lines?: number }): string {
  const line = typeof err.lines === 'number' ? ` near line ${err.lines}` : '';
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `${messages.unreadable}${line}: a quoted value is never closed.`;
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `${messages.unreadable}${line}: a quote sits inside a value that is not quoted as a whole.`;
    case 'CSV_MAX_RECORD_SIZE':
      return `${messages.unreadable}${line}: one value is longer than ${importLimits.maxCellChars.toLocaleString('en-US')} characters.`;
    default:
      return `${messages.unreadable}${line}.`;
  }
}

function headerNames(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((raw, i) => {
    const base = raw.trim() || `Column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * Parses an uploaded file. Throws CsvFileError with a message for the person who uploaded it when the
 * file is empty, not CSV, unreadable, has no data rows or more rows than the limit. Rows whose cells are
 * all empty are skipped (they keep their number, so later rows match the spreadsheet).
 */
export async function parseCsv(buffer: Buffer): Promise<ParsedCsv> {
  if (buffer.length === 0) throw new CsvFileError(messages.emptyFile);
  if (looksBinary(buffer)) throw new CsvFileError(messages.notCsv);
  const text = decode(buffer).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new CsvFileError(messages.emptyFile);
  const delimiter = detectDelimiter(text);

  const parser = parse({ delimiter, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, max_record_size: importLimits.maxCellChars });
  // Fed in 64 kB pieces so that the parser hands back control between them.
  const pieces = Readable.from(
    (function* () {
      for (let i = 0; i < text.length; i += 65_536) yield text.slice(i, i + 65_536);
    })(),
  );
  pieces.pipe(parser);

  let headers: string[] | undefined;
  const rows: CsvRow[] = [];
  let rowNumber = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!headers) {
        if (record.length > importLimits.maxColumns) throw new CsvFileError(messages.tooManyColumns);
        headers = headerNames(record);
        continue;
      }
      rowNumber += 1;
      if (record.every((c) => c.trim() === '')) continue;
      if (rows.length >= importLimits.maxRows) {
        parser.destroy();
        throw new CsvFileError(messages.tooManyRows);
      }
      rows.push({ row: rowNumber, cells: record });
      // Stream callbacks run on process.nextTick, which never lets other requests in: give them a turn.
      if (rows.length % 1000 === 0) await nextTurn();
    }
  } catch (err) {
    if (err instanceof CsvFileError) throw err;
    if ((err as CsvError).code?.startsWith('CSV_') || (err as CsvError).code === 'INVALID_OPENING_QUOTE')
      throw new CsvFileError(friendlyParseError(err as CsvError));
    throw err;
  }
  if (!headers || headers.every((h, i) => h === `Column ${i + 1}`)) throw new CsvFileError(messages.noHeader);
  if (rows.length === 0) throw new CsvFileError(messages.noRows);
  return { headers, delimiter, rows };
}
