import { expect } from 'chai';
import { pickQuotes } from '../../../src/themes/pipeline/quotes.ts';
import type { AnswerInput } from '../../../src/themes/pipeline/index.ts';

/** The definition: every usable member sorted (long answers first, best fit, earliest), repeated texts once. */
function reference(items: AnswerInput[], members: number[], fit: Float32Array, len: Int32Array, max = 5): string[] {
  const usable = members.filter((d) => items[d]?.quotable !== false && (items[d] as AnswerInput).text.trim() !== '');
  usable.sort((a, b) => ((len[b] as number) >= 3 ? 1 : 0) - ((len[a] as number) >= 3 ? 1 : 0) || (fit[b] as number) - (fit[a] as number) || a - b);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const d of usable) {
    const key = (items[d] as AnswerInput).text.trim().toLowerCase().replace(/\s+/g, ' ');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push((items[d] as AnswerInput).id);
    if (out.length === max) break;
  }
  return out;
}

describe('themes pipeline: quotes', () => {
  it('picks the same quotes from a large theme as sorting every member would', () => {
    const n = 2000;
    const items: AnswerInput[] = Array.from({ length: n }, (_, i) => ({ id: `a${i}`, text: `answer number ${i % 700}`, quotable: i % 5 !== 0 }));
    const fit = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000);
    const len = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2 : 4));
    const members = Array.from({ length: n }, (_, i) => i);
    expect(pickQuotes(items, members, fit, len).map((q) => q.id)).to.deep.equal(reference(items, members, fit, len));
  });

  it('still finds quotes when the best-fitting answers are all unquotable or the same text', () => {
    const n = 500;
    // the 100 best fits: half unquotable, half one repeated text
    const items: AnswerInput[] = Array.from({ length: n }, (_, i) => ({
      id: `a${i}`,
      text: i < 100 ? 'the same answer every time' : `a different answer ${i}`,
      quotable: !(i < 100 && i % 2 === 0),
    }));
    const fit = Float32Array.from({ length: n }, (_, i) => 1 - i / n);
    const len = new Int32Array(n).fill(4);
    const members = Array.from({ length: n }, (_, i) => n - 1 - i);
    const picked = pickQuotes(items, members, fit, len).map((q) => q.id);
    expect(picked).to.deep.equal(reference(items, members, fit, len));
    expect(picked).to.have.length(5);
  });
});
