// Turns raw answers into word ids: normalised, tokenised, stemmed with natural's Porter stemmer, with
// stop words marked (kept in the sequence, as label phrases such as "price too high" need them).
// Every distinct word is stemmed once and remembered, and each stem keeps the surface word buyers used
// most often, so that labels read as English ("pricing", not "price").
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { stopwords } from './stopwords.ts';

const nonAscii = /[^\x00-\x7f]/;
const quoteLike = /['`\u2018\u2019\u00b4]/;

/**
 * The words of normalise(), before the filter: the runs of a-z and 0-9 left once accents are gone,
 * text is lower case and contractions are opened. A hyphen inside a word keeps it whole ("add-ons",
 * "multi-year"): split, its parts made label phrases such as "ons cost" and "discount for multi".
 */
function runs(text: string): string[] {
  return lowerText(text).match(/[a-z0-9]+(?:-[a-z0-9]+)*/g) ?? [];
}

/**
 * Lower case, accents gone, contractions opened. The common case takes one native pass, and the match
 * of the runs another: the contraction rules only run on a text with a quote-like character (elsewhere
 * they change nothing), and one match does what replacing the rest by spaces and splitting did.
 */
function lowerText(text: string): string {
  // NFKD is the slowest step; plain ASCII (most answers) has nothing to decompose
  let t = nonAscii.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text;
  t = t.toLowerCase();
  if (quoteLike.test(t))
    t = t
      .replace(/[\u2018\u2019`´]/g, "'")
      .replace(/n't\b/g, ' not')
      .replace(/'(s|re|ve|ll|d|m)\b/g, ' ');
  return t;
}

/** The runs of runs(), with the punctuation that ends a sentence or a clause between them. */
function runsAndBreaks(text: string): string[] {
  return lowerText(text).match(/[a-z0-9]+(?:-[a-z0-9]+)*|[.,;:!?()]/g) ?? [];
}

/**
 * The word a document's sequence holds where a phrase must not run on: at punctuation that ends a
 * sentence or a clause, and at a number left out ("almost 40% higher" is no "almost higher"). It is a
 * stop word and never glue, so no label phrase or term spans it ("fixed reports. Having ..." gave the
 * term "reports having"). The TF-IDF bigrams pass over it like any stop word: stopping them there too
 * cost 0.015 NMI on the labelled set (0.009 gained on the synthetic runs). Always word id 0.
 */
export const BREAK = '.';

/** Lower case, accents and punctuation gone, contractions opened ("didn't" -> "did not"). */
export function normalise(text: string): string {
  return runs(text).join(' ');
}

/** The words of a text: one-letter tokens and bare numbers ("2024", "2-3") say nothing and are dropped. */
export function tokenise(text: string): string[] {
  return runs(text).filter((w) => w.length > 1 && !noLetters(w));
}

function noLetters(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
  }
  return true;
}

export function isStopword(word: string): boolean {
  return stopwords.has(word);
}

const stemCache = new Map<string, string>();

/** Empties the memo of stems: a benchmark that times a run without what earlier runs left behind calls it. */
export function forgetStems(): void {
  stemCache.clear();
}

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
 * stop words included (flagged in `wordStop`). Documents with the same normalised text share one
 * sequence (the same Int32Array), and `sameAs` says which: answers repeat a lot ("price", "too
 * expensive", copied answers), and everything after this step works once per distinct text.
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
  /** per document, the first document with the same normalised text (itself when it is the first) */
  sameAs: Int32Array;
}

/**
 * The word ids of a text's runs (the words tokenise() keeps), numbering new words as they come, with
 * BREAK (id 0) between words that punctuation or a left-out number separates.
 */
function wordIdsOf(toks: readonly string[], wordIds: Map<string, number>, words: string[]): Int32Array {
  const ids = new Int32Array(toks.length);
  let len = 0;
  for (let i = 0; i < toks.length; i++) {
    const w = toks[i] as string;
    if (w.length < 2 || noLetters(w)) {
      // punctuation, or a number: a break, once, and only between words; a one-letter word ("a") is not
      if ((w.length > 1 || !isLetter(w.charCodeAt(0))) && len > 0 && ids[len - 1] !== 0) ids[len++] = 0;
      continue;
    }
    let id = wordIds.get(w);
    if (id === undefined) {
      id = words.length;
      wordIds.set(w, id);
      words.push(w);
    }
    ids[len++] = id;
  }
  if (len > 0 && ids[len - 1] === 0) len--;
  return len === ids.length ? ids : ids.slice(0, len);
}

function isLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

/**
 * Tokenises and stems every text. `onProgress` gets the fraction done now and then.
 *
 * The words come from normalise()'s regular expressions: V8 runs those as native code from the first
 * call, where a hand-written scan over character codes was faster only once the JIT had compiled it, and
 * slower on a first run over 1,000 answers (the CLI's case).
 */
export function tokeniseCorpus(texts: readonly string[], onProgress?: (fraction: number) => void): Corpus {
  const wordIds = new Map<string, number>([[BREAK, 0]]);
  const words: string[] = [BREAK];
  let counts = new Int32Array(1024);
  const docs: Int32Array[] = new Array<Int32Array>(texts.length);
  const sameAs = new Int32Array(texts.length);
  // raw text -> first document with it, then normalised text -> first document: a repeated answer
  // costs a map lookup, not a normalisation and a word lookup per token
  const byText = new Map<string, number>();
  const byNorm = new Map<string, number>();
  const every = Math.max(1000, Math.ceil(texts.length / 20));
  for (let d = 0; d < texts.length; d++) {
    const text = texts[d] ?? '';
    let first = byText.get(text);
    if (first === undefined) {
      const toks = runsAndBreaks(text);
      while (toks.length > 0 && (toks[toks.length - 1] as string).length === 1 && !isLetter((toks[toks.length - 1] as string).charCodeAt(0))) toks.pop();
      const norm = toks.join(' '); // normalise(text), with the punctuation inside it (a full stop at the end is no difference)
      first = byNorm.get(norm);
      if (first === undefined) {
        first = d;
        byNorm.set(norm, d);
        docs[d] = wordIdsOf(toks, wordIds, words);
      }
      byText.set(text, first);
    }
    if (first !== d) docs[d] = docs[first] as Int32Array;
    sameAs[d] = first;
    const ids = docs[d] as Int32Array;
    if (words.length > counts.length) {
      const next = new Int32Array(Math.max(words.length, counts.length * 2));
      next.set(counts);
      counts = next;
    }
    for (let i = 0; i < ids.length; i++) counts[ids[i] as number] = (counts[ids[i] as number] as number) + 1;
    if (onProgress && d % every === 0) onProgress(d / texts.length);
  }
  const wordStem = new Int32Array(words.length);
  const wordStop = new Uint8Array(words.length);
  const wordCount = counts.slice(0, words.length);
  const stemIds = new Map<string, number>();
  const stems: string[] = [];
  const bestSurface: number[] = []; // stem id -> word id of its most used surface form
  for (let w = 0; w < words.length; w++) {
    const word = words[w] as string;
    wordStop[w] = w === 0 || stopwords.has(word) ? 1 : 0;
    // a stop word's stem is never used (a content word sharing it always takes the stem's surface), and
    // natural's stemmer is the slowest step per word
    const s = wordStop[w] === 1 ? word : stem(word);
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
  const contentLength = new Int32Array(texts.length);
  for (let d = 0; d < docs.length; d++) {
    const first = sameAs[d] as number;
    if (first !== d) {
      contentLength[d] = contentLength[first] as number;
      continue;
    }
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
    sameAs,
  };
}
