// Picks the quotes shown for a theme: the answers closest to its centre, only from authors who agreed
// to be quoted, and with contact details (and, unless they agreed to be named, the author's name) taken
// out by the app's one redaction rule (src/disclosure, plain text functions with no database). In the
// app the quotes' words come from src/disclosure's showAnswer; these are the command line's.
import { redactContacts, redactIdentity } from '../../disclosure/index.ts';
import type { AnswerInput, Quote } from './types.ts';

export function toQuote(item: AnswerInput): Quote {
  const text = item.text.trim();
  if (item.named === true && item.author) return { id: item.id, text: redactContacts(text), author: item.author };
  return { id: item.id, text: redactIdentity(text, { name: item.author }) };
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
  /** negative when answer a comes before answer b */
  const order = (a: number, b: number): number => {
    const la = (contentLength[a] as number) >= minWords ? 1 : 0;
    const lb = (contentLength[b] as number) >= minWords ? 1 : 0;
    if (la !== lb) return lb - la;
    return (fit[b] as number) - (fit[a] as number) || a - b;
  };
  const usable = (d: number): boolean => (items[d] as AnswerInput).quotable !== false && (items[d] as AnswerInput).text.trim() !== '';
  // A theme can hold tens of thousands of answers: the best few in order (a bounded insertion) nearly
  // always hold the quotes; only when too many of them are unusable or repeats is everything sorted.
  const few = Math.min(members.length, 8 * max);
  const top: number[] = [];
  for (const d of members) {
    if (top.length === few && order(d, top[few - 1] as number) >= 0) continue;
    let at = top.length === few ? few - 1 : top.length;
    while (at > 0 && order(d, top[at - 1] as number) < 0) at--;
    top.splice(at, 0, d);
    if (top.length > few) top.pop();
  }
  const out = quotesFrom(items, top.filter(usable), max);
  if (out.length >= max || top.length === members.length) return out;
  return quotesFrom(items, members.filter(usable).sort(order), max);
}

/** The first `max` quotes of distinct texts among the candidates, in order. */
function quotesFrom(items: readonly AnswerInput[], candidates: readonly number[], max: number): Quote[] {
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
