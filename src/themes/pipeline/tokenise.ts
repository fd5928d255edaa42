// Turns raw answers into word ids: normalised, tokenised, stemmed with natural's Porter stemmer, with
// stop words marked (kept in the sequence, as label phrases such as "price too high" need them).
// Every distinct word is stemmed once and remembered, and each stem keeps the surface word buyers used
// most often, so that labels read as English ("pricing", not "price").
import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { stopwords } from './stopwords.ts';

/** Lower case, accents and punctuation gone, contractions opened ("didn't" -> "did not"). */
export function normalise(text: string): string {
  // NFKD is the slowest step; plain ASCII (most answers) has nothing to decompose
  const folded = /[^\x00-\x7f]/.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text;
  return folded
    .toLowerCase()
    .replace(/[\u2018\u2019`´]/g, "'")
    .replace(/n't\b/g, ' not')
    .replace(/'(s|re|ve|ll|d|m)\b/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words of a normalised text: one-letter tokens and bare numbers say nothing and are dropped. */
export function tokenise(text: string): string[] {
  const norm = normalise(text);
  if (norm === '') return [];
  return norm.split(' ').filter((w) => w.length > 1 && !allDigits(w));
}

function allDigits(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function isStopword(word: string): boolean {
  return stopwords.has(word);
}

const stemCache = new Map<string, string>();

/** natural's Porter stem of one (already normalised) word, memoised: a corpus has few distinct words. */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    if (s === '') s = word;
    if (stemCache.size > 200_000) stemCache.clear(); // bound the memory a long-running worker keeps
    stemCache.set(word, s);
  }
  return s;
}

/**
 * A tokenised corpus. Words and stems are numbered; each document is the sequence of its word ids,
 * stop words included (flagged in `wordStop`).
 */
export interface Corpus {
  /** word id -> normalised word */
  words: string[];
  /** word id -> stem id */
  wordStem: Int32Array;
  /** word id -> 1 when a stop word */
  wordStop: Uint8Array;
  /** word id -> occurrences in the corpus */
  wordCount: Int32Array;
  /** stem id -> stem */
  stems: string[];
  /** stem id -> the surface word used most often for it */
  stemSurface: string[];
  /** per document, its word ids in order */
  docs: Int32Array[];
  /** per document, the number of content (non stop word) tokens */
  contentLength: Int32Array;
}

/** Tokenises and stems every text. `onProgress` gets the fraction done now and then. */
export function tokeniseCorpus(texts: readonly string[], onProgress?: (fraction: number) => void): Corpus {
  const wordIds = new Map<string, number>();
  const words: string[] = [];
  const counts: number[] = [];
  const docs: Int32Array[] = new Array<Int32Array>(texts.length);
  const contentLength = new Int32Array(texts.length);
  const every = Math.max(1000, Math.ceil(texts.length / 20));
  for (let d = 0; d < texts.length; d++) {
    const toks = tokenise(texts[d] ?? '');
    const ids = new Int32Array(toks.length);
    for (let i = 0; i < toks.length; i++) {
      const w = toks[i] as string;
      let id = wordIds.get(w);
      if (id === undefined) {
        id = words.length;
        wordIds.set(w, id);
        words.push(w);
        counts.push(0);
      }
      counts[id] = (counts[id] as number) + 1;
      ids[i] = id;
    }
    docs[d] = ids;
    if (onProgress && d % every === 0) onProgress(d / texts.length);
  }
  const wordStem = new Int32Array(words.length);
  const wordStop = new Uint8Array(words.length);
  const wordCount = Int32Array.from(counts);
  const stemIds = new Map<string, number>();
  const stems: string[] = [];
  const bestSurface: number[] = []; // stem id -> word id of its most used surface form
  for (let w = 0; w < words.length; w++) {
    const word = words[w] as string;
    wordStop[w] = stopwords.has(word) ? 1 : 0;
    const s = stem(word);
    let sid = stemIds.get(s);
    if (sid === undefined) {
      sid = stems.length;
      stemIds.set(s, sid);
      stems.push(s);
      bestSurface.push(w);
    } else if (wordStop[w] === 0 && wordStop[bestSurface[sid] as number] === 1) {
      bestSurface[sid] = w; // a content word always beats a stop word sharing its stem ("use" vs "us")
    } else if (wordStop[w] === 0) {
      const cur = bestSurface[sid] as number;
      // most used wins; ties go to the shorter, then alphabetically first word, so it is deterministic
      const cw = wordCount[cur] as number;
      const nw = wordCount[w] as number;
      const curWord = words[cur] as string;
      if (nw > cw || (nw === cw && (word.length < curWord.length || (word.length === curWord.length && word < curWord)))) {
        bestSurface[sid] = w;
      }
    }
    wordStem[w] = sid;
  }
  for (let d = 0; d < docs.length; d++) {
    const ids = docs[d] as Int32Array;
    let c = 0;
    for (let i = 0; i < ids.length; i++) if (wordStop[ids[i] as number] === 0) c++;
    contentLength[d] = c;
  }
  onProgress?.(1);
  return {
    words,
    wordStem,
    wordStop,
    wordCount,
    stems,
    stemSurface: bestSurface.map((w) => words[w] as string),
    docs,
    contentLength,
  };
}
