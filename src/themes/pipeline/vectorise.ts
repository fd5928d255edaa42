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

class GrowableInt32 {
  buf: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.buf = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
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

export function vectorise(corpus: Corpus, opts: VectoriseOptions = {}): Vectors {
  const charWeight = opts.charWeight ?? 0.5;
  const [cmin, cmax] = opts.charRange ?? [3, 5];
  const useBigrams = opts.bigrams ?? true;
  const useChars = charWeight > 0;
  const useWords = charWeight < 1;
  const nDocs = corpus.docs.length;
  const minDf = opts.minDf ?? (nDocs >= 50 ? 2 : 1);

  // Raw feature numbering, grown as features are met.
  const keys: string[] = [];
  const kinds: number[] = [];
  const stemFeature = new Int32Array(corpus.stems.length).fill(-1);
  const bigramFeature = new Map<number, number>();
  const charFeature = new Map<string, number>();
  const wordChars: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(corpus.words.length);
  const nStems = corpus.stems.length;

  const newFeature = (key: string, kind: number): number => {
    keys.push(key);
    kinds.push(kind);
    return keys.length - 1;
  };
  const charsOf = (w: number): Int32Array => {
    let ids = wordChars[w];
    if (ids === undefined) {
      const grams = charNgrams(corpus.words[w] as string, cmin, cmax);
      ids = new Int32Array(grams.length);
      for (let i = 0; i < grams.length; i++) {
        const g = grams[i] as string;
        let f = charFeature.get(g);
        if (f === undefined) {
          f = newFeature(g, FEATURE_CHAR);
          charFeature.set(g, f);
        }
        ids[i] = f;
      }
      wordChars[w] = ids;
    }
    return ids;
  };

  // Pass 1: each document's (feature, count) pairs, and document frequencies.
  const pairF = new GrowableInt32(nDocs * 64);
  const pairC = new GrowableInt32(nDocs * 64);
  const docPtr = new Int32Array(nDocs + 1);
  let seenAt = new Int32Array(1024).fill(-1); // feature -> position in pairF for the current doc
  let df = new Int32Array(1024);
  const touch = (f: number, d: number): void => {
    if (f >= seenAt.length) {
      const size = Math.max(f + 1, seenAt.length * 2);
      const s2 = new Int32Array(size).fill(-1);
      s2.set(seenAt);
      seenAt = s2;
      const d2 = new Int32Array(size);
      d2.set(df);
      df = d2;
    }
    const at = seenAt[f] as number;
    if (at >= (docPtr[d] as number) && at < pairF.length && pairF.buf[at] === f) {
      pairC.buf[at] = (pairC.buf[at] as number) + 1;
    } else {
      seenAt[f] = pairF.length;
      pairF.push(f);
      pairC.push(1);
      df[f] = (df[f] as number) + 1;
    }
  };
  for (let d = 0; d < nDocs; d++) {
    docPtr[d] = pairF.length;
    const ids = corpus.docs[d] as Int32Array;
    let prevStem = -1;
    for (let i = 0; i < ids.length; i++) {
      const w = ids[i] as number;
      if (corpus.wordStop[w] === 1) continue;
      const s = corpus.wordStem[w] as number;
      if (useWords) {
        let f = stemFeature[s] as number;
        if (f < 0) {
          f = newFeature(corpus.stems[s] as string, FEATURE_WORD);
          stemFeature[s] = f;
        }
        touch(f, d);
        if (useBigrams && prevStem >= 0 && prevStem !== s) {
          const key = prevStem * nStems + s;
          let b = bigramFeature.get(key);
          if (b === undefined) {
            b = newFeature(`${corpus.stems[prevStem] as string} ${corpus.stems[s] as string}`, FEATURE_BIGRAM);
            bigramFeature.set(key, b);
          }
          touch(b, d);
        }
      }
      prevStem = s;
      if (useChars) {
        const cs = charsOf(w);
        for (let j = 0; j < cs.length; j++) touch(cs[j] as number, d);
      }
    }
  }
  docPtr[nDocs] = pairF.length;

  // Keep features with enough support; renumber them densely.
  const nRaw = keys.length;
  const remap = new Int32Array(nRaw).fill(-1);
  const keptKeys: string[] = [];
  const keptKinds: number[] = [];
  const keptDf: number[] = [];
  for (let f = 0; f < nRaw; f++) {
    if ((df[f] as number) >= minDf) {
      remap[f] = keptKeys.length;
      keptKeys.push(keys[f] as string);
      keptKinds.push(kinds[f] as number);
      keptDf.push(df[f] as number);
    }
  }
  const nFeat = keptKeys.length;
  const idf = new Float32Array(nFeat);
  for (let f = 0; f < nFeat; f++) idf[f] = Math.log((1 + nDocs) / (1 + (keptDf[f] as number))) + 1;
  const kind = Uint8Array.from(keptKinds);

  // Pass 2: weights, block norms, CSR with sorted columns per row.
  let nnz = 0;
  for (let p = 0; p < pairF.length; p++) if ((remap[pairF.buf[p] as number] as number) >= 0) nnz++;
  const indptr = new Int32Array(nDocs + 1);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  const wWord = Math.sqrt(1 - charWeight);
  const wChar = Math.sqrt(charWeight);
  let at = 0;
  for (let d = 0; d < nDocs; d++) {
    indptr[d] = at;
    const start = at;
    let nw = 0;
    let nc = 0;
    for (let p = docPtr[d] as number; p < (docPtr[d + 1] as number); p++) {
      const f = remap[pairF.buf[p] as number] as number;
      if (f < 0) continue;
      const v = (1 + Math.log(pairC.buf[p] as number)) * (idf[f] as number);
      indices[at] = f;
      data[at] = v;
      if (kind[f] === FEATURE_CHAR) nc += v * v;
      else nw += v * v;
      at++;
    }
    // each block to unit length, then weighted; a missing block gives its share to the other one
    const sw = nw > 0 ? (nc > 0 ? wWord : 1) / Math.sqrt(nw) : 0;
    const sc = nc > 0 ? (nw > 0 ? wChar : 1) / Math.sqrt(nc) : 0;
    for (let p = start; p < at; p++) data[p] = (data[p] as number) * (kind[indices[p] as number] === FEATURE_CHAR ? sc : sw);
    // sort the row by column (insertion order is by first occurrence); rows are short, so an
    // in-place insertion sort beats allocating for Array.prototype.sort
    for (let p = start + 1; p < at; p++) {
      const ci = indices[p] as number;
      const cv = data[p] as number;
      let q = p - 1;
      while (q >= start && (indices[q] as number) > ci) {
        indices[q + 1] = indices[q] as number;
        data[q + 1] = data[q] as number;
        q--;
      }
      indices[q + 1] = ci;
      data[q + 1] = cv;
    }
  }
  indptr[nDocs] = at;
  return {
    matrix: { rows: nDocs, cols: nFeat, indptr, indices, data },
    features: { kind, keys: keptKeys, idf, df: Int32Array.from(keptDf) },
  };
}

/** Dot product of two rows of (possibly different) CSR matrices with sorted columns. */
export function rowDot(a: SparseMatrix, i: number, b: SparseMatrix, j: number): number {
  let p = a.indptr[i] as number;
  const pe = a.indptr[i + 1] as number;
  let q = b.indptr[j] as number;
  const qe = b.indptr[j + 1] as number;
  let s = 0;
  while (p < pe && q < qe) {
    const ci = a.indices[p] as number;
    const cj = b.indices[q] as number;
    if (ci === cj) {
      s += (a.data[p] as number) * (b.data[q] as number);
      p++;
      q++;
    } else if (ci < cj) p++;
    else q++;
  }
  return s;
}

/** Dot product of a CSR row with a dense vector. */
export function rowDotDense(a: SparseMatrix, i: number, v: Float32Array | Float64Array): number {
  let s = 0;
  for (let p = a.indptr[i] as number; p < (a.indptr[i + 1] as number); p++) s += (a.data[p] as number) * (v[a.indices[p] as number] as number);
  return s;
}

/** The squared L2 norm of a row (1 for every non-empty vector this module builds). */
export function rowNorm2(a: SparseMatrix, i: number): number {
  let s = 0;
  for (let p = a.indptr[i] as number; p < (a.indptr[i + 1] as number); p++) s += (a.data[p] as number) ** 2;
  return s;
}

/** The given rows as a new CSR matrix. */
export function selectRows(a: SparseMatrix, rows: readonly number[]): SparseMatrix {
  let nnz = 0;
  for (const r of rows) nnz += (a.indptr[r + 1] as number) - (a.indptr[r] as number);
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  let at = 0;
  rows.forEach((r, k) => {
    indptr[k] = at;
    const s = a.indptr[r] as number;
    const e = a.indptr[r + 1] as number;
    indices.set(a.indices.subarray(s, e), at);
    data.set(a.data.subarray(s, e), at);
    at += e - s;
  });
  indptr[rows.length] = at;
  return { rows: rows.length, cols: a.cols, indptr, indices, data };
}
