// Names each theme from its most distinctive words and phrases: class-based TF-IDF (each theme's
// members against the other themes', as in BERTopic's c-TF-IDF), over words, adjacent word pairs and
// "word glue word" phrases ("price too high", "lack of support"). Never character n-grams, whatever the
// clustering used, and always the surface words buyers wrote most often, so labels read as English.
import { glueWords } from './stopwords.ts';
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

/** Every label candidate of one document, deduplicated, with the surface form used there. */
function candidatesOf(corpus: Corpus, doc: Int32Array, out: Map<string, string>): void {
  out.clear();
  for (let i = 0; i < doc.length; i++) {
    const w = doc[i] as number;
    if (corpus.wordStop[w] === 1) continue;
    const s = corpus.wordStem[w] as number;
    if (!out.has(`${s}`)) out.set(`${s}`, corpus.words[w] as string);
    const w2 = doc[i + 1];
    if (w2 === undefined) continue;
    if (corpus.wordStop[w2] === 0) {
      const s2 = corpus.wordStem[w2] as number;
      if (s2 !== s) out.set(`${s} ${s2}`, `${corpus.words[w] as string} ${corpus.words[w2] as string}`);
      continue;
    }
    const glue = corpus.words[w2] as string;
    const w3 = doc[i + 2];
    if (w3 !== undefined && glueWords.has(glue) && corpus.wordStop[w3] === 0) {
      const s3 = corpus.wordStem[w3] as number;
      if (s3 !== s) out.set(`${s} ${glue} ${s3}`, `${corpus.words[w] as string} ${glue} ${corpus.words[w3] as string}`);
    }
  }
}

function parseKey(key: string): Candidate {
  const parts = key.split(' ');
  const stems = parts.filter((p) => /^[0-9]+$/.test(p)).map(Number);
  return { words: parts.length, stems };
}

/**
 * Labels and terms for each group of documents (`groups[t]` = the document indices of theme t, a
 * sample of them is enough). Themes with no usable words get an empty label; the caller names them.
 */
export function nameThemes(corpus: Corpus, groups: readonly (readonly number[])[], opts: { maxTerms?: number } = {}): ThemeNaming[] {
  const maxTerms = opts.maxTerms ?? 8;
  const perTheme: Map<string, number>[] = [];
  const total = new Map<string, number>();
  const surfaces = new Map<string, Map<string, number>>();
  const scratch = new Map<string, string>();
  for (const group of groups) {
    const counts = new Map<string, number>();
    for (const d of group) {
      candidatesOf(corpus, corpus.docs[d] as Int32Array, scratch);
      for (const [key, surface] of scratch) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
        total.set(key, (total.get(key) ?? 0) + 1);
        if (key.includes(' ')) {
          let m = surfaces.get(key);
          if (m === undefined) surfaces.set(key, (m = new Map<string, number>()));
          m.set(surface, (m.get(surface) ?? 0) + 1);
        }
      }
    }
    perTheme.push(counts);
  }
  const nonEmpty = groups.filter((g) => g.length > 0);
  const avgSize = nonEmpty.reduce((a, g) => a + g.length, 0) / Math.max(1, nonEmpty.length);
  const surfaceOf = (key: string): string => {
    if (!key.includes(' ')) return corpus.stemSurface[Number(key)] as string;
    const m = surfaces.get(key) as Map<string, number>;
    let best = '';
    let bc = -1;
    for (const [s, c] of m) if (c > bc || (c === bc && s < best)) {
      best = s;
      bc = c;
    }
    return best;
  };

  return groups.map((group, t) => {
    const counts = perTheme[t] as Map<string, number>;
    const size = group.length;
    const minSupport = size >= 4 ? Math.max(2, Math.ceil(size * 0.04)) : 1;
    const scored: { key: string; score: number; cand: Candidate }[] = [];
    for (const [key, c] of counts) {
      if (c < minSupport) continue;
      const f = total.get(key) as number;
      const score = (c / size) * Math.log(1 + avgSize / f);
      scored.push({ key, score, cand: parseKey(key) });
    }
    scored.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
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
    let label = surfaceOf(best.key);
    if (best.cand.words === 1) {
      const second = unigrams.find((u) => u !== best && u.score >= best.score * 0.3);
      if (second !== undefined) label = `${label}, ${surfaceOf(second.key)}`;
    }
    const terms: string[] = [];
    const seen = new Set<string>();
    for (const s of scored) {
      const surface = surfaceOf(s.key);
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
