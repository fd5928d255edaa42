// Picks the quotes shown for a theme: the answers closest to its centre, only from authors who agreed
// to be quoted, and anonymised (addresses, numbers, the author's own name) unless they agreed to be named.
import type { AnswerInput, Quote } from './types.ts';

const email = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
const url = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const phone = /\+?\d[\d ().-]{7,}\d/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text with contact details removed and, when given, the author's name parts replaced. */
export function anonymise(text: string, author?: string): string {
  let out = text.replace(email, '[email]').replace(url, '[link]').replace(phone, '[phone]');
  if (author) {
    for (const part of author.split(/\s+/).filter((p) => p.length >= 2)) {
      out = out.replace(new RegExp(`\\b${escapeRegExp(part)}\\b`, 'gi'), '[name]');
    }
  }
  return out;
}

export function toQuote(item: AnswerInput): Quote {
  const text = item.text.trim();
  if (item.named === true && item.author) return { id: item.id, text: anonymise(text), author: item.author };
  return { id: item.id, text: anonymise(text, item.author) };
}

/**
 * Up to `max` quotes from the members (indices into `items`), best fit first: answers of at least
 * `minWords` content words come before shorter ones, repeated texts are shown once.
 */
export function pickQuotes(
  items: readonly AnswerInput[],
  members: readonly number[],
  fit: Float32Array,
  contentLength: Int32Array,
  opts: { max?: number; minWords?: number } = {},
): Quote[] {
  const max = opts.max ?? 5;
  const minWords = opts.minWords ?? 3;
  const candidates = members.filter((d) => (items[d] as AnswerInput).quotable !== false && (items[d] as AnswerInput).text.trim() !== '');
  candidates.sort((a, b) => {
    const la = (contentLength[a] as number) >= minWords ? 1 : 0;
    const lb = (contentLength[b] as number) >= minWords ? 1 : 0;
    if (la !== lb) return lb - la;
    return (fit[b] as number) - (fit[a] as number) || a - b;
  });
  const out: Quote[] = [];
  const seen = new Set<string>();
  for (const d of candidates) {
    const item = items[d] as AnswerInput;
    const key = item.text.trim().toLowerCase().replace(/\s+/g, ' ');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(toQuote(item));
    if (out.length >= max) break;
  }
  return out;
}
