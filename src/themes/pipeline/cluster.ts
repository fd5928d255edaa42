// Clustering methods: Louvain community detection on a cosine k-nearest-neighbour graph of the
// sparse TF-IDF rows, the one the pipeline uses. The methods it was measured against (k-means,
// agglomerative) are in bench/themes-research/. Every random choice takes the seeded rng.
import { makeRng, shuffle, type Rng } from './prng.ts';
import type { SparseMatrix } from './vectorise.ts';

/** An undirected weighted graph in CSR form (each edge stored in both directions). */
export interface Graph {
  n: number;
  indptr: Int32Array;
  nbr: Int32Array;
  w: Float64Array;
}

// The loops below sit in small functions and methods called once per node or row, on purpose: V8 then
// compiles each after a few calls, where one large function with several hot loops was compiled again
// for each loop (on-stack replacement) and ran unoptimised in between, on a first run over 1,000 answers
// (the CLI's case) for most of its time.

/** One local-moving phase of Louvain over a graph: node degrees, community totals, and the moves. */
class LocalMoving {
  readonly comm: Int32Array;
  readonly m2: number;
  private deg: Float64Array;
  private tot: Float64Array;
  private wTo: Float64Array;
  private touched: Int32Array;

  constructor(
    private g: Graph,
    private resolution: number,
  ) {
    const n = g.n;
    this.deg = new Float64Array(n);
    let m2 = 0;
    for (let i = 0; i < n; i++) m2 += this.degree(i);
    this.m2 = m2;
    this.comm = new Int32Array(n);
    for (let i = 0; i < n; i++) this.comm[i] = i;
    this.tot = Float64Array.from(this.deg);
    this.wTo = new Float64Array(n);
    this.touched = new Int32Array(n);
  }

  private degree(i: number): number {
    const { g } = this;
    let s = 0;
    for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) s += g.w[p] as number;
    this.deg[i] = s;
    return s;
  }

  /** Moves node i to the neighbouring community with the best modularity gain (the first on a tie); true when it moved. */
  move(i: number): boolean {
    const { g, comm, tot, wTo, touched, resolution, m2 } = this;
    const ci = comm[i] as number;
    const ki = this.deg[i] as number;
    let nt = 0;
    for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) {
      const j = g.nbr[p] as number;
      if (j === i) continue;
      const c = comm[j] as number;
      if (wTo[c] === 0) touched[nt++] = c;
      wTo[c] = (wTo[c] as number) + (g.w[p] as number);
    }
    tot[ci] = (tot[ci] as number) - ki;
    let best = ci;
    let bestGain = (wTo[ci] as number) - (resolution * (tot[ci] as number) * ki) / m2;
    for (let t = 0; t < nt; t++) {
      const c = touched[t] as number;
      const gain = (wTo[c] as number) - (resolution * (tot[c] as number) * ki) / m2;
      if (gain > bestGain + 1e-12) {
        best = c;
        bestGain = gain;
      }
    }
    for (let t = 0; t < nt; t++) wTo[touched[t] as number] = 0;
    tot[best] = (tot[best] as number) + ki;
    if (best === ci) return false;
    comm[i] = best;
    return true;
  }
}

/** One local-moving phase of Louvain; returns the community of each node (renumbered 0..c-1). */
function localMoving(g: Graph, resolution: number, rng: Rng): { comm: Int32Array; moved: boolean } {
  const lm = new LocalMoving(g, resolution);
  if (lm.m2 === 0) return { comm: lm.comm, moved: false };
  const n = g.n;
  const order = shuffle(
    Array.from({ length: n }, (_, i) => i),
    rng,
  );
  let movedAny = false;
  for (let pass = 0; pass < 50; pass++) {
    let moves = 0;
    for (let k = 0; k < n; k++) if (lm.move(order[k] as number)) moves++;
    if (moves === 0) break;
    movedAny = true;
  }
  return { comm: renumber(lm.comm), moved: movedAny };
}

/** Communities numbered 0..c-1 in order of first appearance. */
export function renumber(labels: Int32Array): Int32Array {
  const map = new Map<number, number>();
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as number;
    let m = map.get(l);
    if (m === undefined) {
      m = map.size;
      map.set(l, m);
    }
    out[i] = m;
  }
  return out;
}

/** The graph of communities: one node per community, edge weights summed (self-loops kept). */
function aggregate(g: Graph, comm: Int32Array): Graph {
  let c = 0;
  for (let i = 0; i < comm.length; i++) c = Math.max(c, (comm[i] as number) + 1);
  // each community's nodes, in ascending order (so every sum adds in the same order as node by node)
  const first = new Int32Array(c + 1);
  for (let i = 0; i < g.n; i++) first[(comm[i] as number) + 1] = (first[(comm[i] as number) + 1] as number) + 1;
  for (let k = 0; k < c; k++) first[k + 1] = (first[k + 1] as number) + (first[k] as number);
  const members = new Int32Array(g.n);
  const fill = first.slice(0, c);
  for (let i = 0; i < g.n; i++) {
    const k = comm[i] as number;
    members[fill[k] as number] = i;
    fill[k] = (fill[k] as number) + 1;
  }
  const out = new AggregateRows(g, comm, c);
  for (let k = 0; k < c; k++) out.row(k, members.subarray(first[k] as number, first[k + 1] as number));
  return out.graph();
}

class AggregateRows {
  private indptr: Int32Array;
  private nbr: Int32Array;
  private w: Float64Array;
  private acc: Float64Array;
  private mark: Int32Array;
  private touched: Int32Array;
  private m = 0;

  constructor(
    private g: Graph,
    private comm: Int32Array,
    private c: number,
  ) {
    this.indptr = new Int32Array(c + 1);
    this.nbr = new Int32Array(g.nbr.length);
    this.w = new Float64Array(g.nbr.length);
    this.acc = new Float64Array(c);
    this.mark = new Int32Array(c).fill(-1);
    this.touched = new Int32Array(c);
  }

  /** Row k: the summed weights from community k's nodes to each community, by community number. */
  row(k: number, nodes: Int32Array): void {
    const { g, comm, acc, mark, touched } = this;
    let nt = 0;
    for (let t = 0; t < nodes.length; t++) {
      const i = nodes[t] as number;
      for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) {
        const cj = comm[g.nbr[p] as number] as number;
        if (mark[cj] !== k) {
          mark[cj] = k;
          acc[cj] = 0;
          touched[nt++] = cj;
        }
        acc[cj] = (acc[cj] as number) + (g.w[p] as number);
      }
    }
    const cs = touched.subarray(0, nt).sort();
    this.indptr[k] = this.m;
    for (let t = 0; t < nt; t++) {
      const cj = cs[t] as number;
      this.nbr[this.m] = cj;
      this.w[this.m] = acc[cj] as number;
      this.m++;
    }
    this.indptr[k + 1] = this.m;
  }

  graph(): Graph {
    return { n: this.c, indptr: this.indptr, nbr: this.nbr.slice(0, this.m), w: this.w.slice(0, this.m) };
  }
}

/** Louvain community detection (modularity with a resolution parameter). */
export function louvain(g: Graph, opts: { resolution?: number; seed?: number } = {}): Int32Array {
  const rng = makeRng(opts.seed ?? 1);
  const resolution = opts.resolution ?? 1;
  let labels = new Int32Array(g.n);
  for (let i = 0; i < g.n; i++) labels[i] = i;
  let graph = g;
  for (let level = 0; level < 20; level++) {
    const { comm, moved } = localMoving(graph, resolution, rng);
    if (!moved) break;
    labels = labels.map((l) => comm[l] as number);
    graph = aggregate(graph, comm);
  }
  return renumber(labels);
}

/**
 * The k nearest neighbours of every row of a sparse, L2-normalised matrix by cosine, through an
 * inverted index (column -> rows). Exact over the columns it reads: `ignore` (1 per column) leaves
 * columns out of the similarity. Fast while the sample stays a few thousand rows. Each pair is scored
 * once, from its lower row (only the entries after a row's own one in each column are read), and
 * offered to both ends. Ties go to the lower row number, so the result does not depend on the order
 * pairs are met.
 */
export function nearestNeighboursSparse(m: SparseMatrix, k: number, ignore?: Uint8Array): { nbr: Int32Array; sim: Float64Array; k: number } {
  const knn = new SparseKnn(m, k, ignore);
  for (let i = 0; i < m.rows; i++) knn.transposeRow(i);
  knn.rewind();
  for (let i = 0; i < m.rows; i++) {
    knn.accumulate(i);
    knn.collect(i);
  }
  return { nbr: knn.nbr, sim: knn.sim, k: knn.k };
}

class SparseKnn {
  readonly k: number;
  readonly nbr: Int32Array;
  readonly sim: Float64Array;
  private colStart: Int32Array;
  private colRows: Int32Array;
  private colVals: Float32Array;
  /** per column, where the current row's entry sits (while transposing: the next free place) */
  private cursor: Int32Array;
  private acc: Float64Array;
  /** per row, the similarity of the last of its k (-Infinity until it has k) */
  private floor: Float64Array;
  /** the rows acc holds a score for, and how many */
  private touched: Int32Array;
  private nTouched = 0;
  private ignore: Uint8Array;

  constructor(
    private m: SparseMatrix,
    k: number,
    ignore?: Uint8Array,
  ) {
    const n = m.rows;
    this.k = Math.max(1, Math.min(k, n - 1));
    const nnz = m.indptr[n] as number;
    const colStart = new Int32Array(m.cols + 1);
    for (let p = 0; p < nnz; p++) colStart[(m.indices[p] as number) + 1] = (colStart[(m.indices[p] as number) + 1] as number) + 1;
    for (let c = 0; c < m.cols; c++) colStart[c + 1] = (colStart[c + 1] as number) + (colStart[c] as number);
    this.colStart = colStart;
    this.colRows = new Int32Array(nnz);
    this.colVals = new Float32Array(nnz);
    this.cursor = colStart.slice(0, m.cols);
    this.nbr = new Int32Array(n * this.k).fill(-1);
    this.sim = new Float64Array(n * this.k).fill(-Infinity);
    this.acc = new Float64Array(n);
    this.floor = new Float64Array(n).fill(-Infinity);
    this.touched = new Int32Array(n);
    this.ignore = ignore ?? new Uint8Array(m.cols);
  }

  /** Row i into the column lists (rows ascending in each column, as rows are added in order). */
  transposeRow(i: number): void {
    const { cursor, colRows, colVals } = this;
    const { indptr, indices, data } = this.m;
    const end = indptr[i + 1] as number;
    for (let p = indptr[i] as number; p < end; p++) {
      const c = indices[p] as number;
      const at = cursor[c] as number;
      colRows[at] = i;
      colVals[at] = data[p] as number;
      cursor[c] = at + 1;
    }
  }

  rewind(): void {
    this.cursor.set(this.colStart.subarray(0, this.m.cols));
  }

  /** acc[j] = row i . row j for every j > i sharing a column with it; those j into touched. */
  accumulate(i: number): void {
    const { cursor, colStart, colRows, colVals, acc, touched, ignore } = this;
    const { indptr, indices, data } = this.m;
    const end = indptr[i + 1] as number;
    let nt = 0;
    for (let p = indptr[i] as number; p < end; p++) {
      const c = indices[p] as number;
      const from = (cursor[c] as number) + 1; // the rows after i
      cursor[c] = from;
      if (ignore[c] === 1) continue;
      const to = colStart[c + 1] as number;
      const v = data[p] as number;
      for (let q = from; q < to; q++) {
        const j = colRows[q] as number;
        const a = acc[j] as number;
        if (a === 0) touched[nt++] = j;
        acc[j] = a + v * (colVals[q] as number);
      }
    }
    this.nTouched = nt;
  }

  /** Offers each scored pair (i, j > i) to both ends, and clears acc. */
  collect(i: number): void {
    const { acc, floor, touched, nTouched } = this;
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t] as number;
      const s = acc[j] as number;
      if (s === 0) continue; // listed twice (a zero product left it at 0)
      acc[j] = 0;
      if (s >= (floor[i] as number)) this.offer(i, j, s);
      if (s >= (floor[j] as number)) this.offer(j, i, s);
    }
  }

  /** j (similarity s) into i's list, kept sorted by similarity, then by lower row. */
  private offer(i: number, j: number, s: number): void {
    const { sim, nbr } = this;
    const kk = this.k;
    const o = i * kk;
    const last = o + kk - 1;
    if (s < (sim[last] as number) || (s === sim[last] && j > (nbr[last] as number))) return;
    let p = kk - 1;
    while (p > 0 && ((sim[o + p - 1] as number) < s || ((sim[o + p - 1] as number) === s && (nbr[o + p - 1] as number) > j))) {
      sim[o + p] = sim[o + p - 1] as number;
      nbr[o + p] = nbr[o + p - 1] as number;
      p--;
    }
    sim[o + p] = s;
    nbr[o + p] = j;
    this.floor[i] = sim[last] as number;
  }
}

/** The symmetric kNN graph of a sparse matrix: an edge when either end lists the other, weighted by cosine (>= 0). */
export function knnGraphSparse(m: SparseMatrix, k: number, ignore?: Uint8Array): Graph {
  return graphFromNeighbours(nearestNeighboursSparse(m, k, ignore), m.rows);
}

/** An edge wherever either end lists the other, weighted by their cosine; rows sorted by neighbour. */
function graphFromNeighbours({ nbr, sim, k }: { nbr: Int32Array; sim: Float64Array; k: number }, n: number): Graph {
  // every listed pair in both directions (a pair listed by both ends appears twice, dropped below)
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const j = nbr[i * k + p] as number;
      if (j < 0 || (sim[i * k + p] as number) <= 0) continue;
      count[i + 1] = (count[i + 1] as number) + 1;
      count[j + 1] = (count[j + 1] as number) + 1;
    }
  }
  for (let i = 0; i < n; i++) count[i + 1] = (count[i + 1] as number) + (count[i] as number);
  const total = count[n] as number;
  const to = new Int32Array(total);
  const wt = new Float64Array(total);
  const next = count.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const j = nbr[i * k + p] as number;
      const s = sim[i * k + p] as number;
      if (j < 0 || s <= 0) continue;
      let q = next[i] as number;
      to[q] = j;
      wt[q] = s;
      next[i] = q + 1;
      q = next[j] as number;
      to[q] = i;
      wt[q] = s;
      next[j] = q + 1;
    }
  }
  const indptr = new Int32Array(n + 1);
  const outNbr = new Int32Array(total);
  const outW = new Float64Array(total);
  let m = 0;
  for (let i = 0; i < n; i++) {
    indptr[i] = m;
    const start = m;
    for (let q = count[i] as number; q < (count[i + 1] as number); q++) {
      const j = to[q] as number;
      const s = wt[q] as number;
      // insertion into the sorted row (a row holds about 2k entries); a repeated neighbour is skipped
      let p = m - 1;
      while (p >= start && (outNbr[p] as number) > j) p--;
      if (p >= start && outNbr[p] === j) continue;
      for (let r = m; r > p + 1; r--) {
        outNbr[r] = outNbr[r - 1] as number;
        outW[r] = outW[r - 1] as number;
      }
      outNbr[p + 1] = j;
      outW[p + 1] = s;
      m++;
    }
  }
  indptr[n] = m;
  return { n, indptr, nbr: outNbr.slice(0, m), w: outW.slice(0, m) };
}
