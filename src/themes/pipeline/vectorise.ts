// TF-IDF vectors for the answers: word unigrams and bigrams (on stems) plus character 3-5-grams inside
// words (with boundary markers, "<price>" -> "<pr", "pri", ..., "ce>"), which make short, misspelled
// and inflected answers comparable. Sublinear tf, smoothed idf, each block L2-normalised and weighted.
//
// Why not natural's TfIdf class: it keeps every document as a plain object keyed by term and computes
// idf by scanning all documents per term, so building vectors for 100k answers with ~150 character
// n-grams each takes minutes and gigabytes (see bench/themes.ts). Here the step is a CSR sparse matrix in
// typed arrays, and each distinct word's n-grams are computed once and reused by every answer using it.
import type { Corpus } from './tokenise.ts';

/** A compressed sparse row matrix: row r is indices/data[indptr[r] .. indptr[r+1]). */
export interface SparseMatrix {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

export const FEATURE_WORD = 0;
export const FEATURE_BIGRAM = 1;
export const FEATURE_CHAR = 2;

export interface FeatureSpace {
  /** per feature: FEATURE_WORD, FEATURE_BIGRAM or FEATURE_CHAR */
  kind: Uint8Array;
  /** per feature: a readable key (a stem, "stem stem", or the character n-gram) */
  keys: string[];
  idf: Float32Array;
  /** per feature: number of documents containing it */
  df: Int32Array;
}

export interface VectoriseOptions {
  /** share of the squared norm given to character n-grams (0 = words only, 1 = characters only) */
  charWeight?: number;
  /** smallest and largest character n-gram */
  charRange?: [number, number];
  /** word bigrams as features */
  bigrams?: boolean;
  /** drop features found in fewer documents (default: 2 from 50 documents, else 1) */
  minDf?: number;
}

export interface Vectors {
  matrix: SparseMatrix;
  features: FeatureSpace;
}

/** The character n-grams of one word, with boundary markers. */
export function charNgrams(word: string, min: number, max: number): string[] {
  const w = `<${word}>`;
  const out: string[] = [];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n));
  }
  return out;
}

/**
 * TF-IDF vectors of the distinct documents, and which row stands for each document. A row's entries
 * are in the order its features were met, not sorted by column: nothing in the pipeline needs them
 * sorted (vectorise() sorts them, for callers that do).
 */
export interface RowVectors extends Vectors {
  /** document -> its row in `matrix` (documents with the same normalised text share a row) */
  rowOf: Int32Array;
  /** row -> the first document it stands for */
  rowDoc: Int32Array;
  /** row -> how many documents it stands for */
  rowWeight: Int32Array;
}

/** TF-IDF vectors, one row per document, each row sorted by column. */
export function vectorise(corpus: Corpus, opts: VectoriseOptions = {}): Vectors {
  const v = vectoriseRows(corpus, opts);
  const m = v.matrix.rows === corpus.docs.length ? v.matrix : selectRows(v.matrix, v.rowOf);
  sortRowsByColumn(m);
  return { matrix: m, features: v.features };
}

// vectoriseRows is split into small functions and per-row methods on purpose: V8 compiles a function
// with a hot loop while it runs (on-stack replacement), and the one large function with several hot
// loops this was before was compiled again for each loop and ran unoptimised in between, which cost a
// first run over 1,000 answers (the CLI's case) a good part of its time.

/** Which documents are distinct (corpus.sameAs), numbered in order of first appearance. */
function distinctRows(corpus: Corpus): { rowOf: Int32Array; rowDoc: Int32Array; rowWeight: Int32Array } {
  const nDocs = corpus.docs.length;
  const rowOf = new Int32Array(nDocs);
  let nRows = 0;
  for (let d = 0; d < nDocs; d++) {
    const first = corpus.sameAs[d] as number;
    rowOf[d] = first === d ? nRows++ : (rowOf[first] as number);
  }
  const rowDoc = new Int32Array(nRows);
  const rowWeight = new Int32Array(nRows);
  for (let d = nDocs - 1; d >= 0; d--) {
    const r = rowOf[d] as number;
    rowDoc[r] = d;
    rowWeight[r] = (rowWeight[r] as number) + 1;
  }
  return { rowOf, rowDoc, rowWeight };
}

/** Each content word's character n-grams, numbered (gram ids local to this call): word w has ids[start[w] .. start[w+1]). */
interface WordGrams {
  start: Int32Array;
  ids: Int32Array;
  keys: string[];
}

function wordGrams(corpus: Corpus, min: number, max: number, use: boolean): WordGrams {
  const nWords = corpus.words.length;
  const start = new Int32Array(nWords + 1);
  const lists: (string[] | undefined)[] = new Array<string[] | undefined>(nWords);
  let total = 0;
  for (let w = 0; w < nWords; w++) {
    start[w] = total;
    if (!use || corpus.wordStop[w] === 1) continue;
    const grams = charNgrams(corpus.words[w] as string, min, max);
    lists[w] = grams;
    total += grams.length;
  }
  start[nWords] = total;
  const ids = new Int32Array(total);
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  for (let w = 0; w < nWords; w++) {
    const grams = lists[w];
    if (grams === undefined) continue;
    let at = start[w] as number;
    for (let i = 0; i < grams.length; i++) {
      const g = grams[i] as string;
      let id = byKey.get(g);
      if (id === undefined) {
        id = keys.length;
        byKey.set(g, id);
        keys.push(g);
      }
      ids[at++] = id;
    }
  }
  return { start, ids, keys };
}

/** Upper bounds for pass 1: (row, feature) pairs, and word bigrams (at most one per content token). */
function bounds(corpus: Corpus, rowDoc: Int32Array, grams: WordGrams, useWords: boolean, useBigrams: boolean): { pairs: number; bigrams: number } {
  let pairs = 0;
  let tokens = 0;
  for (let r = 0; r < rowDoc.length; r++) {
    const ids = corpus.docs[rowDoc[r] as number] as Int32Array;
    for (let i = 0; i < ids.length; i++) {
      const w = ids[i] as number;
      if (corpus.wordStop[w] === 1) continue;
      tokens++;
      pairs += (grams.start[w + 1] as number) - (grams.start[w] as number);
    }
  }
  const perToken = (useWords ? 1 : 0) + (useWords && useBigrams ? 1 : 0);
  return { pairs: pairs + tokens * perToken, bigrams: useWords && useBigrams ? tokens : 0 };
}

/** Pass 1's state and output: each row's raw features (numbered as first met) and counts, and document frequencies. */
class Pairs {
  pairF: Int32Array;
  pairC: Int32Array;
  rowPtr: Int32Array;
  df: Int32Array;
  keys: string[] = [];
  kinds: number[] = [];
  /** pairs so far */
  np = 0;
  /** feature -> its pair in the current row, if met there */
  private seenAt: Int32Array;
  private stemFeature: Int32Array;
  private charFeature: Int32Array;
  private bigramFeature = new Map<number, number>();

  constructor(
    private corpus: Corpus,
    private grams: WordGrams,
    nRows: number,
    maxPairs: number,
    maxRaw: number,
    private useWords: boolean,
    private useBigrams: boolean,
  ) {
    this.pairF = new Int32Array(maxPairs);
    this.pairC = new Int32Array(maxPairs);
    this.rowPtr = new Int32Array(nRows + 1);
    this.df = new Int32Array(maxRaw);
    this.seenAt = new Int32Array(maxRaw).fill(-1);
    this.stemFeature = new Int32Array(corpus.stems.length).fill(-1);
    this.charFeature = new Int32Array(grams.keys.length).fill(-1);
  }

  private feature(key: string, kind: number): number {
    this.keys.push(key);
    this.kinds.push(kind);
    return this.keys.length - 1;
  }

  /** Counts feature f once more in the row whose pairs start at `start`; a row counts `weight` documents in df. */
  private touch(f: number, start: number, weight: number): void {
    const at = this.seenAt[f] as number;
    if (at >= start) {
      this.pairC[at] = (this.pairC[at] as number) + 1;
      return;
    }
    const np = this.np;
    this.seenAt[f] = np;
    this.pairF[np] = f;
    this.pairC[np] = 1;
    this.df[f] = (this.df[f] as number) + weight;
    this.np = np + 1;
  }

  /** The features of row r, whose words are `ids`. One call per row, so V8 optimises it after a few rows. */
  addRow(r: number, ids: Int32Array, weight: number): void {
    const { corpus } = this;
    const start = this.np;
    this.rowPtr[r] = start;
    const nStems = corpus.stems.length;
    let prevStem = -1;
    for (let i = 0; i < ids.length; i++) {
      const w = ids[i] as number;
      if (corpus.wordStop[w] === 1) continue;
      const s = corpus.wordStem[w] as number;
      if (this.useWords) {
        let f = this.stemFeature[s] as number;
        if (f < 0) this.stemFeature[s] = f = this.feature(corpus.stems[s] as string, FEATURE_WORD);
        this.touch(f, start, weight);
        if (this.useBigrams && prevStem >= 0 && prevStem !== s) {
          const key = prevStem * nStems + s;
          let b = this.bigramFeature.get(key);
          if (b === undefined) {
            b = this.feature(`${corpus.stems[prevStem] as string} ${corpus.stems[s] as string}`, FEATURE_BIGRAM);
            this.bigramFeature.set(key, b);
          }
          this.touch(b, start, weight);
        }
      }
      prevStem = s;
      this.addGrams(w, start, weight);
    }
    this.rowPtr[r + 1] = this.np;
  }

  private addGrams(w: number, start: number, weight: number): void {
    const { grams } = this;
    for (let j = grams.start[w] as number; j < (grams.start[w + 1] as number); j++) {
      const g = grams.ids[j] as number;
      let f = this.charFeature[g] as number;
      if (f < 0) this.charFeature[g] = f = this.feature(grams.keys[g] as string, FEATURE_CHAR);
      this.touch(f, start, weight);
    }
  }
}

function countPairs(corpus: Corpus, rowDoc: Int32Array, rowWeight: Int32Array, grams: WordGrams, useWords: boolean, useBigrams: boolean): Pairs {
  const nRows = rowDoc.length;
  const bound = bounds(corpus, rowDoc, grams, useWords, useBigrams);
  const p = new Pairs(corpus, grams, nRows, bound.pairs, corpus.stems.length + bound.bigrams + grams.keys.length, useWords, useBigrams);
  for (let r = 0; r < nRows; r++) p.addRow(r, corpus.docs[rowDoc[r] as number] as Int32Array, rowWeight[r] as number);
  return p;
}

/** 1 + ln(count) for the counts a short answer has, so the common case is a lookup. */
const sublinear = Float64Array.from({ length: 64 }, (_, c) => (c === 0 ? 0 : 1 + Math.log(c)));

/**
 * Pass 2: each row's entries (features in the order met) as TF-IDF weights, each block (words and
 * bigrams, character n-grams) brought to unit length and weighted, into CSR arrays.
 */
class Weights {
  indptr: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
  private at = 0;
  private wWord: number;
  private wChar: number;

  constructor(
    private p: Pairs,
    nRows: number,
    private remap: Int32Array,
    private idf: Float32Array,
    private kind: Uint8Array,
    charWeight: number,
  ) {
    let nnz = 0;
    for (let q = 0; q < p.np; q++) if ((remap[p.pairF[q] as number] as number) >= 0) nnz++;
    this.cols = new Int32Array(nnz);
    this.vals = new Float32Array(nnz);
    this.indptr = new Int32Array(nRows + 1);
    this.wWord = Math.sqrt(1 - charWeight);
    this.wChar = Math.sqrt(charWeight);
  }

  row(r: number): void {
    const { p, remap, idf, kind, cols, vals } = this;
    const start = this.at;
    this.indptr[r] = start;
    let at = start;
    let nw = 0;
    let nc = 0;
    for (let q = p.rowPtr[r] as number; q < (p.rowPtr[r + 1] as number); q++) {
      const f = remap[p.pairF[q] as number] as number;
      if (f < 0) continue;
      const c = p.pairC[q] as number;
      const v = (c < 64 ? (sublinear[c] as number) : 1 + Math.log(c)) * (idf[f] as number);
      cols[at] = f;
      vals[at] = v;
      if (kind[f] === FEATURE_CHAR) nc += v * v;
      else nw += v * v;
      at++;
    }
    // each block to unit length, then weighted; a missing block gives its share to the other one
    const sw = nw > 0 ? (nc > 0 ? this.wWord : 1) / Math.sqrt(nw) : 0;
    const sc = nc > 0 ? (nw > 0 ? this.wChar : 1) / Math.sqrt(nc) : 0;
    for (let q = start; q < at; q++) vals[q] = (vals[q] as number) * (kind[cols[q] as number] === FEATURE_CHAR ? sc : sw);
    this.at = at;
    this.indptr[r + 1] = at;
  }
}

/**
 * Sorts every row by column, in place, with two counting-sort passes over all entries (rows to
 * columns, and back): linear in the entries, where sorting row by row costs the square of a row's
 * length (~150 entries).
 */
export function sortRowsByColumn(m: SparseMatrix): void {
  const { indptr, indices, data } = m;
  const nnz = indptr[m.rows] as number;
  const colStart = new Int32Array(m.cols + 1);
  for (let p = 0; p < nnz; p++) colStart[(indices[p] as number) + 1] = (colStart[(indices[p] as number) + 1] as number) + 1;
  for (let f = 0; f < m.cols; f++) colStart[f + 1] = (colStart[f + 1] as number) + (colStart[f] as number);
  const colRow = new Int32Array(nnz);
  const colVal = new Float32Array(nnz);
  const next = colStart.slice(0, m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let p = indptr[r] as number; p < (indptr[r + 1] as number); p++) {
      const f = indices[p] as number;
      const q = next[f] as number;
      colRow[q] = r;
      colVal[q] = data[p] as number;
      next[f] = q + 1;
    }
  }
  const rowNext = indptr.slice(0, m.rows);
  for (let f = 0; f < m.cols; f++) {
    for (let q = colStart[f] as number; q < (colStart[f + 1] as number); q++) {
      const r = colRow[q] as number;
      const p = rowNext[r] as number;
      indices[p] = f;
      data[p] = colVal[q] as number;
      rowNext[r] = p + 1;
    }
  }
}

/**
 * TF-IDF vectors with one row per distinct document (`corpus.sameAs`): a repeated answer is vectorised
 * once and counted as often as it occurs, so document frequencies, idf and every row are the same as
 * with one row per document.
 */
export function vectoriseRows(corpus: Corpus, opts: VectoriseOptions = {}): RowVectors {
  const charWeight = opts.charWeight ?? 0.5;
  const [cmin, cmax] = opts.charRange ?? [3, 5];
  const useBigrams = opts.bigrams ?? true;
  const useWords = charWeight < 1;
  const nDocs = corpus.docs.length;
  const minDf = opts.minDf ?? (nDocs >= 50 ? 2 : 1);

  const { rowOf, rowDoc, rowWeight } = distinctRows(corpus);
  const nRows = rowDoc.length;
  const grams = wordGrams(corpus, cmin, cmax, charWeight > 0);
  const pairs = countPairs(corpus, rowDoc, rowWeight, grams, useWords, useBigrams);

  // keep features with enough support; renumber them densely, in the order they were met
  const nRaw = pairs.keys.length; // features met, before minDf
  const remap = new Int32Array(nRaw).fill(-1);
  const keptKeys: string[] = [];
  const keptKinds: number[] = [];
  const keptDf: number[] = [];
  for (let f = 0; f < nRaw; f++) {
    if ((pairs.df[f] as number) >= minDf) {
      remap[f] = keptKeys.length;
      keptKeys.push(pairs.keys[f] as string);
      keptKinds.push(pairs.kinds[f] as number);
      keptDf.push(pairs.df[f] as number);
    }
  }
  const nFeat = keptKeys.length;
  const idf = new Float32Array(nFeat);
  for (let f = 0; f < nFeat; f++) idf[f] = Math.log((1 + nDocs) / (1 + (keptDf[f] as number))) + 1;
  const kind = Uint8Array.from(keptKinds);

  const weights = new Weights(pairs, nRows, remap, idf, kind, charWeight);
  for (let r = 0; r < nRows; r++) weights.row(r);
  const { indptr, cols, vals } = weights;
  return {
    matrix: { rows: nRows, cols: nFeat, indptr, indices: cols, data: vals },
    features: { kind, keys: keptKeys, idf, df: Int32Array.from(keptDf) },
    rowOf,
    rowDoc,
    rowWeight,
  };
}

/** Dot product of a CSR row with a dense vector. */
export function rowDotDense(a: SparseMatrix, i: number, v: Float32Array | Float64Array): number {
  let s = 0;
  for (let p = a.indptr[i] as number; p < (a.indptr[i + 1] as number); p++) s += (a.data[p] as number) * (v[a.indices[p] as number] as number);
  return s;
}

/** The given rows as a new CSR matrix. */
export function selectRows(a: SparseMatrix, rows: ArrayLike<number>): SparseMatrix {
  let nnz = 0;
  for (let k = 0; k < rows.length; k++) nnz += (a.indptr[(rows[k] as number) + 1] as number) - (a.indptr[rows[k] as number] as number);
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  let at = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as number;
    indptr[k] = at;
    const s = a.indptr[r] as number;
    const e = a.indptr[r + 1] as number;
    indices.set(a.indices.subarray(s, e), at);
    data.set(a.data.subarray(s, e), at);
    at += e - s;
  }
  indptr[rows.length] = at;
  return { rows: rows.length, cols: a.cols, indptr, indices, data };
}
