// The themes pipeline end to end, with no web or database dependency (a job, a test and the CLI all
// call it): tokenise -> TF-IDF -> deduplicate and sample -> Louvain communities on a cosine kNN graph ->
// every answer to its community (or to "unclear") -> labels, terms and quotes. Why this method, and the
// figures behind the choice, are in the README (measured by bench/themes-compare.ts).
import { knnGraphSparse, louvain } from './cluster.ts';
import { nameThemes, slug } from './label.ts';
import { makeRng, sampleIndices } from './prng.ts';
import { pickQuotes } from './quotes.ts';
import { tokeniseCorpus, type Corpus } from './tokenise.ts';
import { FEATURE_CHAR, FEATURE_WORD, rowDotDense, selectRows, vectoriseRows, type FeatureSpace, type RowVectors, type SparseMatrix } from './vectorise.ts';
import { UNCLEAR_ID, UNCLEAR_LABEL, type AnswerInput, type ClusterOptions, type ClusterResult, type Stage, type Theme, type ThemeSeed } from './types.ts';

/** Tuning, measured on the labelled set (test/fixtures/themes/labelled.jsonl); see the README. */
export const defaults = {
  /** share of the vector norm given to character n-grams */
  charWeight: 0.5,
  /** neighbours per answer in the similarity graph: sqrt(n)/4 within these bounds */
  neighbours: 5,
  maxNeighbours: 15,
  /** the graph's similarity leaves out character n-grams shorter than this, and those in more than
   * graphCommonShare of the sampled answers (and more than graphCommonFloor of them); see graphIgnores */
  graphCharMin: 4,
  graphCommonShare: 0.05,
  graphCommonFloor: 50,
  /** Louvain resolution: higher gives more, smaller themes */
  resolution: 0.7,
  /** distinct answers the graph is built on; the rest join the nearest theme */
  sampleSize: 3000,
  /** a community smaller than this share of the answers is dissolved into the others or "unclear" */
  minShare: 0.01,
  /** smallest cosine to a theme's centre for an answer outside the graph to join it */
  minFit: 0.1,
  /** answers with at most this many content words are "short": they join a theme only on a clear match */
  shortWords: 2,
  /** short answers take part in the graph (and keep their community only on a clear match) */
  shortInGraph: true,
  /** a short answer joins a theme at this cosine, or at `shortWithWord` when it shares one of the theme's top words */
  shortFit: 0.25,
  shortWithWord: 0.1,
  /** with few answers and seeds: cosine for an answer to join a seed without sharing a word with it */
  seedFit: 0.3,
  /** "few answers" (the seeds define the themes): below this many, or below `fewPerReason` per seed when
   * most authors chose a seed's reason */
  fewAnswers: 30,
  fewPerReason: 5,
  /** answers per theme read to name it */
  labelSample: 2000,
};

const now = (): number => performance.now();

interface Work {
  items: readonly AnswerInput[];
  n: number;
  corpus: Corpus;
  /** one row per distinct answer (see vectoriseRows) */
  vectors: RowVectors;
  /** theme index per answer, -1 = unclear */
  label: Int32Array;
  /** cosine to the assigned theme's centre */
  fit: Float32Array;
}

function validate(items: readonly AnswerInput[], opts: ClusterOptions): void {
  const seen = new Set<string>();
  for (const it of items) {
    if (typeof it.id !== 'string' || typeof it.text !== 'string') throw new TypeError('every answer needs a string id and text');
    if (seen.has(it.id)) throw new Error(`duplicate answer id: ${it.id}`);
    seen.add(it.id);
  }
  if (opts.k !== undefined && (!Number.isInteger(opts.k) || opts.k < 1)) throw new RangeError('k must be a whole number of at least 1');
}

/** c += w * row r of m. */
function addRow(c: Float32Array, m: SparseMatrix, r: number, w: number): void {
  const { indptr, indices, data } = m;
  const end = indptr[r + 1] as number;
  for (let p = indptr[r] as number; p < end; p++) {
    const f = indices[p] as number;
    c[f] = (c[f] as number) + w * (data[p] as number);
  }
}

/** The unit-length mean of the given rows (with weights) over all features. */
function centroid(m: SparseMatrix, rows: readonly number[], weights?: readonly number[]): Float32Array {
  const c = new Float32Array(m.cols);
  for (let i = 0; i < rows.length; i++) addRow(c, m, rows[i] as number, weights ? (weights[i] as number) : 1);
  let s = 0;
  for (let f = 0; f < c.length; f++) {
    const v = c[f] as number;
    s += v * v;
  }
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let f = 0; f < c.length; f++) c[f] = (c[f] as number) * inv;
  }
  return c;
}

function cosineDense(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let f = 0; f < a.length; f++) s += (a[f] as number) * (b[f] as number);
  return s;
}

/** Splits rows into two by spherical 2-means started from the two most distant rows; deterministic. */
function bisect(m: SparseMatrix, rows: readonly number[], weights: readonly number[]): [number[], number[]] {
  const c = centroid(m, rows, weights);
  let a = rows[0] as number;
  let lowest = Infinity;
  for (const r of rows) {
    const s = rowDotDense(m, r, c);
    if (s < lowest) {
      lowest = s;
      a = r;
    }
  }
  const ca = centroid(m, [a]);
  let b = rows.find((r) => r !== a) as number;
  lowest = Infinity;
  for (const r of rows) {
    if (r === a) continue;
    const s = rowDotDense(m, r, ca);
    if (s < lowest) {
      lowest = s;
      b = r;
    }
  }
  let cA = ca;
  let cB = centroid(m, [b]);
  let left: number[] = [];
  let right: number[] = [];
  for (let it = 0; it < 10; it++) {
    const l: number[] = [];
    const r: number[] = [];
    for (const row of rows) (rowDotDense(m, row, cA) >= rowDotDense(m, row, cB) ? l : r).push(row);
    if (l.length === 0 || r.length === 0) break;
    left = l;
    right = r;
    const wOf = (xs: number[]): number[] => xs.map((x) => weights[rows.indexOf(x)] as number);
    cA = centroid(m, left, wOf(left));
    cB = centroid(m, right, wOf(right));
  }
  if (left.length === 0 || right.length === 0) {
    // identical rows: any split is as good as another
    const half = Math.ceil(rows.length / 2);
    return [rows.slice(0, half), rows.slice(half)];
  }
  return [left, right];
}

interface Community {
  /** rows of the matrix (representatives of distinct answers) */
  rows: number[];
  /** how many answers each row stands for */
  weights: number[];
}

/** Merges communities, smallest first into its most similar one (cosine of centres), until `target` remain. */
function mergeTo(m: SparseMatrix, comms: Community[], target: number): Community[] {
  const sums = comms.map((c) => {
    const v = new Float32Array(m.cols);
    c.rows.forEach((r, i) => {
      for (let p = m.indptr[r] as number; p < (m.indptr[r + 1] as number); p++) {
        const f = m.indices[p] as number;
        v[f] = (v[f] as number) + (c.weights[i] as number) * (m.data[p] as number);
      }
    });
    return v;
  });
  const k = comms.length;
  const g: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      const v = cosineDense(sums[a] as Float32Array, sums[b] as Float32Array);
      (g[a] as number[])[b] = v;
      (g[b] as number[])[a] = v;
    }
  const alive = comms.map(() => true);
  const weight = comms.map((c) => c.weights.reduce((x, y) => x + y, 0));
  const out = comms.map((c) => ({ rows: [...c.rows], weights: [...c.weights] }));
  let count = k;
  while (count > target) {
    // the smallest community joins the one it is most similar to (merging the most similar pair
    // overall snowballs into one giant theme)
    let small = -1;
    for (let a = 0; a < k; a++) if (alive[a] && (small < 0 || (weight[a] as number) < (weight[small] as number))) small = a;
    const gs = g[small] as number[];
    let other = -1;
    let bs = -Infinity;
    for (let b = 0; b < k; b++) {
      if (!alive[b] || b === small) continue;
      const s = (gs[b] as number) / Math.sqrt(Math.max(1e-30, (gs[small] as number) * ((g[b] as number[])[b] as number)));
      if (s > bs) {
        bs = s;
        other = b;
      }
    }
    const ba = Math.min(small, other);
    const bb = Math.max(small, other);
    weight[ba] = (weight[ba] as number) + (weight[bb] as number);
    const A = out[ba] as Community;
    const B = out[bb] as Community;
    A.rows.push(...B.rows);
    A.weights.push(...B.weights);
    alive[bb] = false;
    const ga = g[ba] as number[];
    const gb = g[bb] as number[];
    const self = (ga[ba] as number) + 2 * (ga[bb] as number) + (gb[bb] as number);
    for (let c = 0; c < k; c++) {
      if (!alive[c] || c === ba) continue;
      const v = (ga[c] as number) + (gb[c] as number);
      ga[c] = v;
      (g[c] as number[])[ba] = v;
    }
    ga[ba] = self;
    count--;
  }
  return out.filter((_, i) => alive[i]);
}

/** Splits the largest splittable community until `target` remain. */
function splitTo(m: SparseMatrix, comms: Community[], target: number): Community[] {
  const out = comms.map((c) => ({ rows: [...c.rows], weights: [...c.weights] }));
  while (out.length < target) {
    let at = -1;
    let size = 0;
    out.forEach((c, i) => {
      const w = c.weights.reduce((x, y) => x + y, 0);
      if (c.rows.length > 1 && w > size) {
        size = w;
        at = i;
      }
    });
    if (at < 0) break;
    const c = out[at] as Community;
    const [l, r] = bisect(m, c.rows, c.weights);
    const wOf = (xs: number[]): number[] => xs.map((x) => c.weights[c.rows.indexOf(x)] as number);
    out.splice(at, 1, { rows: l, weights: wOf(l) }, { rows: r, weights: wOf(r) });
  }
  return out;
}

/** Theme centres, also laid out feature by feature so that one pass over a row scores it against all of them. */
class Centres {
  readonly k: number;
  /** after nearest(): the nearest centre (the first on a tie; -1 when there are none) and the cosine to it */
  best = -1;
  score = 0;
  private table: Float32Array;
  private scores: Float64Array;

  constructor(
    readonly list: readonly Float32Array[],
    cols: number,
  ) {
    const k = list.length;
    this.k = k;
    this.table = new Float32Array(cols * k);
    for (let t = 0; t < k; t++) this.column(t, list[t] as Float32Array);
    this.scores = new Float64Array(Math.max(1, k));
  }

  private column(t: number, c: Float32Array): void {
    const { table, k } = this;
    for (let f = 0; f < c.length; f++) table[f * k + t] = c[f] as number;
  }

  /** The nearest centre to row r, into best and score (the same sums, in the same order, as rowDotDense). */
  nearest(m: SparseMatrix, r: number): void {
    const { table, k, scores } = this;
    if (k === 0) {
      this.best = -1;
      this.score = 0;
      return;
    }
    scores.fill(0);
    const { indptr, indices, data } = m;
    const end = indptr[r + 1] as number;
    for (let p = indptr[r] as number; p < end; p++) {
      const v = data[p] as number;
      const o = (indices[p] as number) * k;
      for (let t = 0; t < k; t++) scores[t] = (scores[t] as number) + v * (table[o + t] as number);
    }
    let best = 0;
    for (let t = 1; t < k; t++) if ((scores[t] as number) > (scores[best] as number)) best = t;
    this.best = best;
    this.score = scores[best] as number;
  }

  /** Cosine of row r with centre t. */
  cosine(m: SparseMatrix, r: number, t: number): number {
    return rowDotDense(m, r, this.list[t] as Float32Array);
  }
}

/**
 * The columns the similarity graph leaves out (1 = left out of the cosine between two answers):
 * character 3-grams, and character n-grams found in more than `graphCommonShare` of the sampled
 * answers. Most of them are prefixes and endings every other answer shares ("<co", "ing>", "tion"): they
 * link answers that say different things, and they were most of the graph's work (at 10,000 answers,
 * 15.8 M of its multiply-adds; 3.7 M without them). The labelled set and the synthetic sets scored as
 * well or better without them (figures in the README). Every feature still counts where an answer is
 * placed in or out of a theme.
 */
function graphIgnores(m: SparseMatrix, features: FeatureSpace): Uint8Array {
  const df = new Int32Array(m.cols);
  const nnz = m.indptr[m.rows] as number;
  for (let p = 0; p < nnz; p++) df[m.indices[p] as number] = (df[m.indices[p] as number] as number) + 1;
  const limit = Math.max(defaults.graphCommonFloor, defaults.graphCommonShare * m.rows);
  const out = new Uint8Array(m.cols);
  for (let f = 0; f < m.cols; f++) {
    if (features.kind[f] !== FEATURE_CHAR) continue;
    if ((features.keys[f] as string).length < defaults.graphCharMin || (df[f] as number) > limit) out[f] = 1;
  }
  return out;
}

/** The content words of a document, as a key: answers with the same key are one unit. */
function contentKey(doc: Int32Array, stop: Uint8Array, scratch: number[]): string {
  scratch.length = 0;
  for (let i = 0; i < doc.length; i++) {
    const x = doc[i] as number;
    if (stop[x] === 0) scratch.push(x >>> 16, x & 0xffff); // two UTF-16 code units per word id, so any id fits
  }
  // a very long answer would pass too many arguments; its key is longer than any key of this form
  return scratch.length > 4096 ? scratch.join(',') : String.fromCharCode(...scratch);
}

/**
 * Graph clustering of the answers into w.label; returns the theme centres. Works on the rows of the
 * matrix (distinct answers, each weighted by how many answers it stands for); a row's outcome is then
 * copied to every answer it stands for.
 */
function clusterByGraph(w: Work, opts: ClusterOptions, progress: (s: Stage, f: number) => void, timings: Record<string, number>): readonly Float32Array[] {
  const m = w.vectors.matrix;
  const { rowOf, rowDoc, rowWeight } = w.vectors;
  const nRows = m.rows;
  const seed = opts.seed ?? 1;
  const forced = opts.k;
  const nnz = (r: number): number => (m.indptr[r + 1] as number) - (m.indptr[r] as number);
  const empty = (r: number): boolean => nnz(r) === 0;
  const short = (r: number): boolean => !empty(r) && (w.corpus.contentLength[rowDoc[r] as number] as number) <= defaults.shortWords;

  let t = now();
  progress('reduce', 0);
  // distinct answers (same content words in the same order) become one weighted unit
  const unitOf = new Int32Array(nRows).fill(-1);
  const reps: number[] = [];
  const mult: number[] = [];
  const byKey = new Map<string, number>();
  const scratch: number[] = [];
  const addUnits = (accept: (r: number) => boolean): void => {
    for (let r = 0; r < nRows; r++) {
      if (unitOf[r] !== -1 || !accept(r)) continue;
      const key = contentKey(w.corpus.docs[rowDoc[r] as number] as Int32Array, w.corpus.wordStop, scratch);
      let u = byKey.get(key);
      if (u === undefined) {
        u = reps.length;
        byKey.set(key, u);
        reps.push(r);
        mult.push(0);
      }
      unitOf[r] = u;
      mult[u] = (mult[u] as number) + (rowWeight[r] as number);
    }
  };
  addUnits((r) => !empty(r) && (defaults.shortInGraph || !short(r)));
  let anyEmpty = false;
  let nonEmpty = 0;
  for (let r = 0; r < nRows; r++) {
    if (empty(r)) anyEmpty = true;
    else nonEmpty += rowWeight[r] as number;
  }
  const target = forced === undefined ? undefined : forced - (anyEmpty && forced > 1 ? 1 : 0);
  if (target !== undefined && reps.length < target) addUnits((r) => !empty(r)); // few long answers: short ones take part too
  if (target !== undefined && reps.length < target) {
    throw new RangeError(`cannot make ${forced as number} themes: only ${reps.length} distinct answers with text (${nonEmpty} in all)`);
  }
  const sample = sampleIndices(reps.length, defaults.sampleSize, makeRng(seed));
  const sampleRows = sample.map((u) => reps[u] as number);
  const sm = selectRows(m, sampleRows);
  timings.reduce = now() - t;
  progress('reduce', 1);

  t = now();
  progress('cluster', 0);
  let comms: Community[] = [];
  if (sample.length >= 2) {
    const neighbours = Math.round(Math.min(defaults.maxNeighbours, Math.max(defaults.neighbours, Math.sqrt(sample.length) / 4)));
    const graph = knnGraphSparse(sm, neighbours, graphIgnores(sm, w.vectors.features));
    progress('cluster', 0.4);
    const lv = louvain(graph, { resolution: defaults.resolution, seed });
    const groups = new Map<number, Community>();
    lv.forEach((c, i) => {
      let g = groups.get(c);
      if (g === undefined) groups.set(c, (g = { rows: [], weights: [] }));
      g.rows.push(sampleRows[i] as number);
      g.weights.push(mult[sample[i] as number] as number);
    });
    comms = [...groups.values()];
  } else if (sample.length === 1) {
    comms = [{ rows: [sampleRows[0] as number], weights: [mult[sample[0] as number] as number] }];
  }
  progress('cluster', 0.6);
  const inGraph = new Int32Array(nRows).fill(-1); // rows placed by the graph: theme index
  if (target !== undefined) {
    if (target === 1) comms = [{ rows: comms.flatMap((c) => c.rows), weights: comms.flatMap((c) => c.weights) }];
    else if (comms.length > target) comms = mergeTo(m, comms, target);
    else if (comms.length < target) comms = splitTo(m, comms, target);
  } else {
    const total = comms.reduce((a, c) => a + c.weights.reduce((x, y) => x + y, 0), 0);
    const minSize = Math.max(3, Math.ceil(total * defaults.minShare));
    comms = comms.filter((c) => c.weights.reduce((x, y) => x + y, 0) >= minSize);
  }
  comms.sort((a, b) => b.weights.reduce((x, y) => x + y, 0) - a.weights.reduce((x, y) => x + y, 0) || (a.rows[0] as number) - (b.rows[0] as number));
  comms.forEach((c, i) => {
    for (const r of c.rows) inGraph[r] = i;
  });
  let centres = new Centres(
    comms.map((c) => centroid(m, c.rows, c.weights)),
    m.cols,
  );

  // distinct answers outside the graph (or in dissolved communities) go to the nearest centre
  let unitLabel = new Int32Array(reps.length);
  let unitFit = new Float32Array(reps.length);
  const assignUnit = (u: number): void => {
    const r = reps[u] as number;
    const g = inGraph[r] as number;
    if (g >= 0) {
      unitLabel[u] = g;
      unitFit[u] = centres.cosine(m, r, g);
      return;
    }
    centres.nearest(m, r);
    unitLabel[u] = target === undefined && centres.score < defaults.minFit ? -1 : centres.best;
    unitFit[u] = centres.score;
  };
  for (let u = 0; u < reps.length; u++) assignUnit(u);
  if (reps.length > sample.length && centres.k > 1) {
    // one refinement pass: centres from every distinct answer, then place the ones outside the graph again
    const rowsOf: number[][] = centres.list.map(() => []);
    const wsOf: number[][] = centres.list.map(() => []);
    for (let u = 0; u < reps.length; u++) {
      const l = unitLabel[u] as number;
      if (l < 0) continue;
      (rowsOf[l] as number[]).push(reps[u] as number);
      (wsOf[l] as number[]).push(mult[u] as number);
    }
    const previous = centres.list;
    centres = new Centres(
      rowsOf.map((rows, i) => (rows.length > 0 ? centroid(m, rows, wsOf[i]) : (previous[i] as Float32Array))),
      m.cols,
    );
    unitLabel = new Int32Array(reps.length);
    unitFit = new Float32Array(reps.length);
    for (let u = 0; u < reps.length; u++) assignUnit(u);
  }
  progress('cluster', 0.8);

  // top words of each theme (highest word weights in its centre), for matching short answers
  const wordFeatures: number[] = [];
  for (let f = 0; f < m.cols; f++) if (w.vectors.features.kind[f] === FEATURE_WORD) wordFeatures.push(f);
  const topWords = centres.list.map((c) => {
    const ws: [number, number][] = [];
    for (const f of wordFeatures) if ((c[f] as number) > 0) ws.push([f, c[f] as number]);
    ws.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return new Set(ws.slice(0, 12).map(([f]) => f));
  });
  const rowLabel = new Int32Array(nRows);
  const rowFit = new Float32Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const u = unitOf[r] as number;
    if (u >= 0 && !(short(r) && target === undefined)) {
      rowLabel[r] = unitLabel[u] as number;
      rowFit[r] = unitFit[u] as number;
      continue;
    }
    if (empty(r) || centres.k === 0) {
      rowLabel[r] = target !== undefined && target === forced && centres.k > 0 ? 0 : -1;
      continue;
    }
    // a short answer: only on a clear match, unless the number of themes is forced; one that took part
    // in the graph is checked against the theme the graph gave it
    let tt: number;
    let s: number;
    if (u >= 0 && (unitLabel[u] as number) >= 0) {
      tt = unitLabel[u] as number;
      s = centres.cosine(m, r, tt);
    } else {
      centres.nearest(m, r);
      tt = centres.best;
      s = centres.score;
    }
    let shares = false;
    const tw = topWords[tt] as Set<number>;
    for (let p = m.indptr[r] as number; p < (m.indptr[r + 1] as number); p++) if (tw.has(m.indices[p] as number)) shares = true;
    const clear = s >= defaults.shortFit || (shares && s >= defaults.shortWithWord);
    rowLabel[r] = target !== undefined || clear ? tt : -1;
    rowFit[r] = s;
  }
  for (let d = 0; d < w.n; d++) {
    const r = rowOf[d] as number;
    w.label[d] = rowLabel[r] as number;
    w.fit[d] = rowFit[r] as number;
  }
  timings.cluster = now() - t;
  progress('cluster', 1);
  return centres.list;
}

/**
 * Few answers and a taxonomy: an answer whose author chose one of the seeds' reasons joins that seed (when
 * it says anything); any other answer joins the seed its words clearly match, else "unclear". Fits are
 * then taken to each seed's own answers, so that its quotes are its most typical answers.
 */
function clusterBySeeds(w: Work, seeds: readonly ThemeSeed[], timings: Record<string, number>): void {
  const t = now();
  const m = w.vectors.matrix;
  const { rowOf } = w.vectors;
  const seedIndex = new Map(seeds.map((s, i) => [s.id, i]));
  const seedRows = seeds.map((_, i) => rowOf[w.n + i] as number);
  const seedWords = seedRows.map((r) => {
    const s = new Set<number>();
    for (let p = m.indptr[r] as number; p < (m.indptr[r + 1] as number); p++)
      if (w.vectors.features.kind[m.indices[p] as number] === FEATURE_WORD) s.add(m.indices[p] as number);
    return s;
  });
  const centres = seedRows.map((r) => centroid(m, [r]));
  for (let d = 0; d < w.n; d++) {
    const r = rowOf[d] as number;
    const chosen = seedIndex.get((w.items[d] as AnswerInput).reason ?? '');
    if (chosen !== undefined) {
      w.label[d] = (w.corpus.contentLength[d] as number) > 0 ? chosen : -1;
      continue;
    }
    let best = -1;
    let bs = -Infinity;
    let bestShares = false;
    centres.forEach((c, i) => {
      const cos = rowDotDense(m, r, c);
      let shares = false;
      for (let p = m.indptr[r] as number; p < (m.indptr[r + 1] as number); p++) if ((seedWords[i] as Set<number>).has(m.indices[p] as number)) shares = true;
      const score = cos + (shares ? 0.3 : 0);
      if (score > bs) {
        bs = score;
        best = i;
        bestShares = shares;
      }
    });
    const cos = best >= 0 ? rowDotDense(m, r, centres[best] as Float32Array) : 0;
    w.label[d] = best >= 0 && (bestShares || cos >= defaults.seedFit) ? best : -1;
  }
  const rowsOf: number[][] = seeds.map(() => []);
  for (let d = 0; d < w.n; d++) if ((w.label[d] as number) >= 0) (rowsOf[w.label[d] as number] as number[]).push(rowOf[d] as number);
  const own = rowsOf.map((rows, i) => (rows.length > 0 ? centroid(m, rows) : (centres[i] as Float32Array)));
  for (let d = 0; d < w.n; d++) {
    const l = w.label[d] as number;
    w.fit[d] = l >= 0 ? rowDotDense(m, rowOf[d] as number, own[l] as Float32Array) : 0;
  }
  timings.cluster = now() - t;
}

/**
 * How few answers are "few": under 30; or, when most authors chose one of the seeds' reasons, under five
 * answers a reason, too few for their words alone to show that many themes (see the README).
 */
function seedBelow(items: readonly AnswerInput[], seeds: readonly ThemeSeed[]): number {
  const ids = new Set(seeds.map((s) => s.id));
  let chosen = 0;
  for (const i of items) if (i.reason !== undefined && ids.has(i.reason)) chosen++;
  return chosen * 2 >= items.length ? Math.max(defaults.fewAnswers, defaults.fewPerReason * seeds.length) : defaults.fewAnswers;
}

/**
 * Clusters free-text answers into named themes. Every answer is assigned: to a theme, or to the
 * "unclear" group. Deterministic for a given input and `seed`.
 * Throws on duplicate ids, and (RangeError) when `k` is not a positive whole number or is more than the
 * distinct answers allow.
 */
export function clusterAnswers(items: readonly AnswerInput[], opts: ClusterOptions = {}): ClusterResult {
  const start = now();
  validate(items, opts);
  const timings: Record<Stage | 'total', number> = { tokenise: 0, vectorise: 0, reduce: 0, cluster: 0, label: 0, total: 0 };
  const progress = (s: Stage, f: number): void => opts.onProgress?.(s, f);
  const n = items.length;
  const seeds = opts.seeds ?? [];
  const seeded = seeds.length > 0 && opts.k === undefined && n < (opts.seedBelow ?? seedBelow(items, seeds));

  let t = now();
  progress('tokenise', 0);
  const seedTexts = seeded ? seeds.map((s) => [s.label, ...(s.keywords ?? [])].join(' . ')) : [];
  const corpus = tokeniseCorpus([...items.map((i) => i.text), ...seedTexts], (f) => progress('tokenise', f));
  timings.tokenise = now() - t;

  t = now();
  progress('vectorise', 0);
  const vectors = vectoriseRows(corpus, { charWeight: defaults.charWeight });
  timings.vectorise = now() - t;
  progress('vectorise', 1);

  const w: Work = { items, n, corpus, vectors, label: new Int32Array(n).fill(-1), fit: new Float32Array(n) };
  let method: ClusterResult['method'] = 'graph';
  let themeCount = 0;
  if (n === 0) method = 'empty';
  else if (seeded) {
    method = 'seeds';
    clusterBySeeds(w, seeds, timings);
    themeCount = seeds.length;
  } else {
    if (opts.k === 1) method = 'single';
    themeCount = clusterByGraph(w, opts, progress, timings).length;
  }

  t = now();
  progress('label', 0);
  const members: number[][] = Array.from({ length: themeCount }, () => []);
  const unclear: number[] = [];
  for (let d = 0; d < n; d++) {
    const l = w.label[d] as number;
    if (l < 0) unclear.push(d);
    else (members[l] as number[]).push(d);
  }
  const kept = members.map((ds, i) => ({ ds, i })).filter((x) => x.ds.length > 0);
  const rng = makeRng((opts.seed ?? 1) + 7);
  const groups = kept.map(({ ds }) =>
    ds.length > defaults.labelSample ? sampleIndices(ds.length, defaults.labelSample, rng).map((j) => ds[j] as number) : ds,
  );
  const names = nameThemes(corpus, groups);
  const usedIds = new Set<string>([UNCLEAR_ID]);
  const share = (size: number): number => Math.round((size / Math.max(1, n)) * 10000) / 10000;
  const themes: Theme[] = kept.map(({ ds, i }, j) => {
    const naming = names[j] as { label: string; terms: string[] };
    let label = naming.label !== '' ? naming.label : 'other answers';
    let id = slug(label);
    if (method === 'seeds') {
      const s = seeds[i] as ThemeSeed;
      label = s.label;
      id = s.id;
    }
    const baseId = id;
    for (let c = 2; usedIds.has(id); c++) id = `${baseId}-${c}`;
    usedIds.add(id);
    return {
      id,
      label,
      terms: naming.terms,
      size: ds.length,
      share: share(ds.length),
      quotes: pickQuotes(items, ds, w.fit, corpus.contentLength),
      memberIds: ds.map((d) => (items[d] as AnswerInput).id),
    };
  });
  themes.sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1));
  if (unclear.length > 0) {
    themes.push({
      id: UNCLEAR_ID,
      label: UNCLEAR_LABEL,
      terms: [],
      size: unclear.length,
      share: share(unclear.length),
      quotes: pickQuotes(items, unclear, w.fit, corpus.contentLength),
      memberIds: unclear.map((d) => (items[d] as AnswerInput).id),
    });
  }
  const assignments: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const th of themes) for (const id of th.memberIds) assignments[id] = th.id;
  timings.label = now() - t;
  progress('label', 1);
  timings.total = now() - start;
  return { themes, assignments, timings, method };
}
