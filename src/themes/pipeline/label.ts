// Names each theme from its most distinctive words and phrases: class-based TF-IDF (each theme's
// members against the other themes', as in BERTopic's c-TF-IDF), over words, adjacent word pairs and
// "word glue word" phrases ("price too high", "lack of support"). Never character n-grams, whatever the
// clustering used, and always the surface words buyers wrote most often, so labels read as English.
import { glueWords, weakWords } from './stopwords.ts';
import type { Corpus } from './tokenise.ts';

export interface ThemeNaming {
  label: string;
  terms: string[];
  /** stems of the most distinctive single words (for matching short answers) */
  topStems: string[];
}

interface Candidate {
  words: number;
  /** stem ids of the content words in it */
  stems: number[];
}

/**
 * Label candidates as numbers, so counting them needs no string per occurrence: a stem s is s; a pair
 * of stems (s, s2) is nS + s * nS + s2; "s glue s3" is nS + nS^2 + (s * G + g) * nS + s3, with g the
 * glue word's place among the G glue words. Surfaces (the words as written) are numbered the same way
 * over word ids. All stay well under 2^53.
 */
class Keys {
  readonly glue: string[] = [...glueWords];
  private glueIndex = new Map(this.glue.map((g, i) => [g, i]));
  private nS: number;
  private nW: number;
  private G: number;

  constructor(private corpus: Corpus) {
    this.nS = corpus.stems.length;
    this.nW = corpus.words.length;
    this.G = this.glue.length;
  }

  glueOf(word: string): number {
    return this.glueIndex.get(word) ?? -1;
  }

  pair(s: number, s2: number): number {
    return this.nS + s * this.nS + s2;
  }

  triple(s: number, g: number, s3: number): number {
    return this.nS + this.nS * this.nS + (s * this.G + g) * this.nS + s3;
  }

  pairSurface(w: number, w2: number): number {
    return w * this.nW + w2;
  }

  tripleSurface(w: number, g: number, w3: number): number {
    return (w * this.G + g) * this.nW + w3;
  }

  /** The candidate behind a key: its stems, and the key as text ("12", "12 40", "12 too 40"), which orders ties as before. */
  decode(key: number): { cand: Candidate; text: string } {
    const { nS, G } = this;
    if (key < nS) return { cand: { words: 1, stems: [key] }, text: `${key}` };
    if (key < nS + nS * nS) {
      const k = key - nS;
      const s = Math.floor(k / nS);
      const s2 = k - s * nS;
      return { cand: { words: 2, stems: [s, s2] }, text: `${s} ${s2}` };
    }
    const k = key - nS - nS * nS;
    const sg = Math.floor(k / nS);
    const s3 = k - sg * nS;
    const s = Math.floor(sg / G);
    const g = sg - s * G;
    return { cand: { words: 3, stems: [s, s3] }, text: `${s} ${this.glue[g] as string} ${s3}` };
  }

  /** The words of a surface number of a pair (words 2) or a "word glue word" phrase (words 3). */
  surfaceText(code: number, words: number): string {
    const { nW, G } = this;
    const w = this.corpus.words;
    if (words === 2) {
      const a = Math.floor(code / nW);
      return `${w[a] as string} ${w[code - a * nW] as string}`;
    }
    const ag = Math.floor(code / nW);
    const a = Math.floor(ag / G);
    return `${w[a] as string} ${this.glue[ag - a * G] as string} ${w[code - ag * nW] as string}`;
  }
}

/**
 * Every label candidate of one document, once each, into `out` (key -> surface number; a phrase
 * met twice keeps the surface of its last occurrence; single words need none).
 */
function candidatesOf(corpus: Corpus, keys: Keys, weak: Uint8Array, doc: Int32Array, out: Map<number, number>): void {
  out.clear();
  for (let i = 0; i < doc.length; i++) {
    const w = doc[i] as number;
    if (corpus.wordStop[w] === 1 || weak[w] === 1) continue;
    const s = corpus.wordStem[w] as number;
    if (!out.has(s)) out.set(s, -1);
    const w2 = doc[i + 1];
    if (w2 === undefined) continue;
    if (corpus.wordStop[w2] === 0) {
      const s2 = corpus.wordStem[w2] as number;
      if (s2 !== s && weak[w2] === 0) out.set(keys.pair(s, s2), keys.pairSurface(w, w2));
      continue;
    }
    const g = keys.glueOf(corpus.words[w2] as string);
    const w3 = doc[i + 2];
    if (w3 !== undefined && g >= 0 && corpus.wordStop[w3] === 0 && weak[w3] === 0) {
      const s3 = corpus.wordStem[w3] as number;
      if (s3 !== s) out.set(keys.triple(s, g, s3), keys.tripleSurface(w, g, w3));
    }
  }
}

/**
 * Labels and terms for each group of documents (`groups[t]` = the document indices of theme t, a
 * sample of them is enough). Themes with no usable words get an empty label; the caller names them.
 */
export function nameThemes(corpus: Corpus, groups: readonly (readonly number[])[], opts: { maxTerms?: number } = {}): ThemeNaming[] {
  const maxTerms = opts.maxTerms ?? 8;
  const keys = new Keys(corpus);
  const weak = new Uint8Array(corpus.words.length);
  for (let w = 0; w < weak.length; w++) if (weakWords.has(corpus.words[w] as string)) weak[w] = 1;
  const perTheme: Map<number, number>[] = [];
  const total = new Map<number, number>();
  const surfaces = new Map<number, Map<number, number>>();
  const scratch = new Map<number, number>();
  for (const group of groups) {
    const counts = new Map<number, number>();
    // answers with the same text have the same candidates: each distinct text is read once, counted as often as it occurs
    const repeats = new Map<number, number>();
    for (let i = 0; i < group.length; i++) {
      const first = corpus.sameAs[group[i] as number] as number;
      repeats.set(first, (repeats.get(first) ?? 0) + 1);
    }
    for (const [doc, times] of repeats) {
      candidatesOf(corpus, keys, weak, corpus.docs[doc] as Int32Array, scratch);
      for (const [key, surface] of scratch) {
        counts.set(key, (counts.get(key) ?? 0) + times);
        total.set(key, (total.get(key) ?? 0) + times);
        if (surface >= 0) {
          let m = surfaces.get(key);
          if (m === undefined) surfaces.set(key, (m = new Map<number, number>()));
          m.set(surface, (m.get(surface) ?? 0) + times);
        }
      }
    }
    perTheme.push(counts);
  }
  const nonEmpty = groups.filter((g) => g.length > 0);
  const avgSize = nonEmpty.reduce((a, g) => a + g.length, 0) / Math.max(1, nonEmpty.length);
  const surfaceOf = (key: number, cand: Candidate): string => {
    if (cand.words === 1) return corpus.stemSurface[key] as string;
    const m = surfaces.get(key) as Map<number, number>;
    let best = '';
    let bc = -1;
    for (const [code, c] of m) {
      if (c < bc) continue;
      const text = keys.surfaceText(code, cand.words);
      if (c > bc || text < best) {
        best = text;
        bc = c;
      }
    }
    return best;
  };

  return groups.map((group, t) => {
    const counts = perTheme[t] as Map<number, number>;
    const size = group.length;
    const minSupport = size >= 4 ? Math.max(2, Math.ceil(size * 0.04)) : 1;
    const scored: { key: number; text: string; score: number; cand: Candidate }[] = [];
    for (const [key, c] of counts) {
      if (c < minSupport) continue;
      const f = total.get(key) as number;
      const score = (c / size) * Math.log(1 + avgSize / f);
      const { cand, text } = keys.decode(key);
      scored.push({ key, text, score, cand });
    }
    scored.sort((a, b) => b.score - a.score || (a.text < b.text ? -1 : 1));
    const unigrams = scored.filter((s) => s.cand.words === 1);
    const topUni = unigrams[0];
    if (topUni === undefined) return { label: '', terms: [], topStems: [] };
    // the label is built around the most distinctive word: the best phrase containing it when that
    // phrase is common enough in the theme, else the word and the next most distinctive one
    const topStem = topUni.cand.stems[0] as number;
    const boost = (s: { score: number; cand: Candidate }): number => s.score * (s.cand.words === 2 ? 1 : 1.15);
    let best = topUni;
    for (const s of scored) {
      if (s.cand.words > 1 && s.cand.stems.includes(topStem) && s.score >= topUni.score * 0.25 && (best === topUni || boost(s) > boost(best))) best = s;
    }
    let label = surfaceOf(best.key, best.cand);
    if (best.cand.words === 1) {
      const second = unigrams.find((u) => u !== best && u.score >= best.score * 0.3);
      if (second !== undefined) label = `${label}, ${surfaceOf(second.key, second.cand)}`;
    }
    const terms: string[] = [];
    const seen = new Set<string>();
    for (const s of scored) {
      const surface = surfaceOf(s.key, s.cand);
      if (seen.has(surface)) continue;
      seen.add(surface);
      terms.push(surface);
      if (terms.length >= maxTerms) break;
    }
    return { label, terms, topStems: unigrams.slice(0, 12).map((u) => corpus.stems[u.cand.stems[0] as number] as string) };
  });
}

/** A url-safe id from a label: "Price too high" -> "price-too-high". */
export function slug(label: string): string {
  const s = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'theme' : s.slice(0, 60);
}
