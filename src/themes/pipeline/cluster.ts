// Clustering methods over L2-normalised dense document vectors (the LSA embedding): the one the
// pipeline uses (Louvain community detection on a cosine k-nearest-neighbour graph) and the ones it was
// measured against (spherical k-means scored by silhouette, average-linkage agglomerative with a cosine
// cut-off; see bench/themes-compare.ts). Every random choice takes the seeded rng.
import { makeRng, sampleIndices, shuffle, type Rng } from './prng.ts';
import type { Dense } from './svd.ts';
import type { SparseMatrix } from './vectorise.ts';

/** An undirected weighted graph in CSR form (each edge stored in both directions). */
export interface Graph {
  n: number;
  indptr: Int32Array;
  nbr: Int32Array;
  w: Float64Array;
}

function dot(x: Float64Array, i: number, y: Float64Array, j: number, d: number): number {
  let s = 0;
  const io = i * d;
  const jo = j * d;
  for (let k = 0; k < d; k++) s += (x[io + k] as number) * (y[jo + k] as number);
  return s;
}

/**
 * The k nearest neighbours of every row by cosine (brute force, blocked so both halves of each pair
 * are used once). Returns per row its neighbours and similarities, best first.
 */
export function nearestNeighbours(emb: Dense, k: number): { nbr: Int32Array; sim: Float64Array; k: number } {
  const n = emb.rows;
  const d = emb.cols;
  const kk = Math.max(1, Math.min(k, n - 1));
  const nbr = new Int32Array(n * kk).fill(-1);
  const sim = new Float64Array(n * kk).fill(-Infinity);
  const x = emb.data;
  const offer = (i: number, j: number, s: number): void => {
    const o = i * kk;
    if (s <= (sim[o + kk - 1] as number)) return;
    let p = kk - 1;
    while (p > 0 && (sim[o + p - 1] as number) < s) {
      sim[o + p] = sim[o + p - 1] as number;
      nbr[o + p] = nbr[o + p - 1] as number;
      p--;
    }
    sim[o + p] = s;
    nbr[o + p] = j;
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = dot(x, i, x, j, d);
      offer(i, j, s);
      offer(j, i, s);
    }
  }
  return { nbr, sim, k: kk };
}

/** The symmetric kNN graph (an edge when either end lists the other), weighted by cosine (>= 0). */
export function knnGraph(emb: Dense, k: number): Graph {
  return graphFromNeighbours(nearestNeighbours(emb, k), emb.rows);
}

function graphFromRows(rows: Map<number, number>[]): Graph {
  const n = rows.length;
  const indptr = new Int32Array(n + 1);
  let m = 0;
  for (let i = 0; i < n; i++) {
    indptr[i] = m;
    m += (rows[i] as Map<number, number>).size;
  }
  indptr[n] = m;
  const nbr = new Int32Array(m);
  const w = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    let p = indptr[i] as number;
    const sorted = [...(rows[i] as Map<number, number>).entries()].sort((a, b) => a[0] - b[0]);
    for (const [j, v] of sorted) {
      nbr[p] = j;
      w[p] = v;
      p++;
    }
  }
  return { n, indptr, nbr, w };
}

/** One local-moving phase of Louvain; returns the community of each node (renumbered 0..c-1). */
function localMoving(g: Graph, resolution: number, rng: Rng): { comm: Int32Array; moved: boolean } {
  const n = g.n;
  const deg = new Float64Array(n);
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) s += g.w[p] as number;
    deg[i] = s;
    m2 += s;
  }
  const comm = new Int32Array(n);
  const tot = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    comm[i] = i;
    tot[i] = deg[i] as number;
  }
  if (m2 === 0) return { comm, moved: false };
  const order = shuffle(Array.from({ length: n }, (_, i) => i), rng);
  const wTo = new Float64Array(n);
  const touched: number[] = [];
  let movedAny = false;
  for (let pass = 0; pass < 50; pass++) {
    let moves = 0;
    for (const i of order) {
      const ci = comm[i] as number;
      const ki = deg[i] as number;
      touched.length = 0;
      for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) {
        const j = g.nbr[p] as number;
        if (j === i) continue;
        const c = comm[j] as number;
        if (wTo[c] === 0) touched.push(c);
        wTo[c] = (wTo[c] as number) + (g.w[p] as number);
      }
      tot[ci] = (tot[ci] as number) - ki;
      let best = ci;
      let bestGain = (wTo[ci] as number) - (resolution * (tot[ci] as number) * ki) / m2;
      for (const c of touched) {
        const gain = (wTo[c] as number) - (resolution * (tot[c] as number) * ki) / m2;
        if (gain > bestGain + 1e-12) {
          best = c;
          bestGain = gain;
        }
      }
      for (const c of touched) wTo[c] = 0;
      tot[best] = (tot[best] as number) + ki;
      if (best !== ci) {
        comm[i] = best;
        moves++;
      }
    }
    if (moves === 0) break;
    movedAny = true;
  }
  return { comm: renumber(comm), moved: movedAny };
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

function aggregate(g: Graph, comm: Int32Array): Graph {
  let c = 0;
  for (let i = 0; i < comm.length; i++) c = Math.max(c, (comm[i] as number) + 1);
  const rows: Map<number, number>[] = Array.from({ length: c }, () => new Map<number, number>());
  for (let i = 0; i < g.n; i++) {
    const ci = comm[i] as number;
    const row = rows[ci] as Map<number, number>;
    for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) {
      const cj = comm[g.nbr[p] as number] as number;
      row.set(cj, (row.get(cj) ?? 0) + (g.w[p] as number));
    }
  }
  return graphFromRows(rows);
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

/** Unit-length mean of the rows in each cluster (k x d); rows labelled < 0 are left out. */
export function centroidsOf(emb: Dense, labels: Int32Array, k: number): Float64Array {
  const d = emb.cols;
  const c = new Float64Array(k * d);
  for (let i = 0; i < emb.rows; i++) {
    const l = labels[i] as number;
    if (l < 0) continue;
    for (let t = 0; t < d; t++) c[l * d + t] = (c[l * d + t] as number) + (emb.data[i * d + t] as number);
  }
  for (let l = 0; l < k; l++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (c[l * d + t] as number) ** 2;
    if (s > 0) for (let t = 0; t < d; t++) c[l * d + t] = (c[l * d + t] as number) / Math.sqrt(s);
  }
  return c;
}

export interface KMeansResult {
  labels: Int32Array;
  centroids: Float64Array;
  /** sum over rows of cosine to their centroid (higher is better) */
  cohesion: number;
}

/** Spherical k-means (cosine), k-means++ initialisation, best of `restarts` runs. */
export function sphericalKMeans(emb: Dense, k: number, opts: { seed?: number; restarts?: number; maxIter?: number } = {}): KMeansResult {
  const rng = makeRng(opts.seed ?? 1);
  const n = emb.rows;
  const d = emb.cols;
  const x = emb.data;
  let best: KMeansResult | null = null;
  for (let run = 0; run < (opts.restarts ?? 3); run++) {
    // k-means++ on cosine distance
    const cent = new Float64Array(k * d);
    const dist = new Float64Array(n).fill(Infinity);
    let first = Math.floor(rng() * n);
    for (let c = 0; c < k; c++) {
      let pick = first;
      if (c > 0) {
        let total = 0;
        for (let i = 0; i < n; i++) total += dist[i] as number;
        let r = rng() * total;
        pick = n - 1;
        for (let i = 0; i < n; i++) {
          r -= dist[i] as number;
          if (r <= 0) {
            pick = i;
            break;
          }
        }
      }
      for (let t = 0; t < d; t++) cent[c * d + t] = x[pick * d + t] as number;
      for (let i = 0; i < n; i++) {
        const dd = Math.max(0, 1 - dot(x, i, cent, c, d));
        if (dd < (dist[i] as number)) dist[i] = dd;
      }
      first = pick;
    }
    let labels = new Int32Array(n).fill(-1);
    let cohesion = 0;
    let centroids: Float64Array = cent;
    for (let it = 0; it < (opts.maxIter ?? 50); it++) {
      let changed = 0;
      cohesion = 0;
      for (let i = 0; i < n; i++) {
        let bl = 0;
        let bs = -Infinity;
        for (let c = 0; c < k; c++) {
          const s = dot(x, i, centroids, c, d);
          if (s > bs) {
            bs = s;
            bl = c;
          }
        }
        cohesion += bs;
        if (labels[i] !== bl) {
          labels[i] = bl;
          changed++;
        }
      }
      if (changed === 0) break;
      const next = centroidsOf(emb, labels, k);
      // an emptied cluster takes the row worst served by its centroid
      const sizes = new Int32Array(k);
      for (let i = 0; i < n; i++) sizes[labels[i] as number] = (sizes[labels[i] as number] as number) + 1;
      for (let c = 0; c < k; c++) {
        if ((sizes[c] as number) > 0) continue;
        let worst = 0;
        let ws = Infinity;
        for (let i = 0; i < n; i++) {
          const s = dot(x, i, next, labels[i] as number, d);
          if (s < ws && (sizes[labels[i] as number] as number) > 1) {
            ws = s;
            worst = i;
          }
        }
        sizes[labels[worst] as number] = (sizes[labels[worst] as number] as number) - 1;
        labels[worst] = c;
        sizes[c] = 1;
        for (let t = 0; t < d; t++) next[c * d + t] = x[worst * d + t] as number;
      }
      centroids = next;
      labels = Int32Array.from(labels);
    }
    if (best === null || cohesion > best.cohesion) best = { labels, centroids, cohesion };
  }
  return best as KMeansResult;
}

/** Mean silhouette (cosine distance) over a seeded sample of at most `sampleSize` rows. */
export function silhouette(emb: Dense, labels: Int32Array, opts: { sampleSize?: number; seed?: number } = {}): number {
  const idx = sampleIndices(emb.rows, opts.sampleSize ?? 1000, makeRng(opts.seed ?? 1));
  let k = 0;
  for (const i of idx) k = Math.max(k, (labels[i] as number) + 1);
  if (k < 2) return 0;
  const d = emb.cols;
  let total = 0;
  let counted = 0;
  const sum = new Float64Array(k);
  const cnt = new Int32Array(k);
  for (const i of idx) {
    sum.fill(0);
    cnt.fill(0);
    for (const j of idx) {
      if (j === i) continue;
      const l = labels[j] as number;
      sum[l] = (sum[l] as number) + (1 - dot(emb.data, i, emb.data, j, d));
      cnt[l] = (cnt[l] as number) + 1;
    }
    const own = labels[i] as number;
    if ((cnt[own] as number) === 0) continue; // singleton: silhouette 0 by convention
    const a = (sum[own] as number) / (cnt[own] as number);
    let b = Infinity;
    for (let l = 0; l < k; l++) if (l !== own && (cnt[l] as number) > 0) b = Math.min(b, (sum[l] as number) / (cnt[l] as number));
    if (b === Infinity) continue;
    total += (b - a) / Math.max(a, b, 1e-12);
    counted++;
  }
  return counted === 0 ? 0 : total / idx.length;
}

/** Spherical k-means for each k in the range; keeps the k with the best sampled silhouette. */
export function kmeansBySilhouette(emb: Dense, kMin: number, kMax: number, seed = 1): KMeansResult & { k: number; score: number } {
  let best: (KMeansResult & { k: number; score: number }) | null = null;
  for (let k = Math.max(2, kMin); k <= Math.min(kMax, emb.rows - 1); k++) {
    const r = sphericalKMeans(emb, k, { seed, restarts: 2 });
    const score = silhouette(emb, r.labels, { sampleSize: 1000, seed });
    if (best === null || score > best.score) best = { ...r, k, score };
  }
  if (best === null) return { ...sphericalKMeans(emb, 1, { seed }), k: 1, score: 0 };
  return best;
}

/**
 * Average-linkage agglomerative clustering on cosine similarity, merging while the closest pair of
 * clusters is more similar than 1 - cutoff. O(n^2) memory: for samples, not for 100k answers.
 */
export function agglomerative(emb: Dense, cutoff: number): Int32Array {
  const n = emb.rows;
  const d = emb.cols;
  const s = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const v = dot(emb.data, i, emb.data, j, d);
    s[i * n + j] = v;
    s[j * n + i] = v;
  }
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const best = new Int32Array(n).fill(-1);
  const bestSim = new Float64Array(n).fill(-Infinity);
  const refresh = (i: number): void => {
    best[i] = -1;
    bestSim[i] = -Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i || active[j] === 0) continue;
      const v = s[i * n + j] as number;
      if (v > (bestSim[i] as number)) {
        bestSim[i] = v;
        best[i] = j;
      }
    }
  };
  for (let i = 0; i < n; i++) refresh(i);
  const threshold = 1 - cutoff;
  for (;;) {
    let a = -1;
    let top = -Infinity;
    for (let i = 0; i < n; i++) if (active[i] === 1 && (bestSim[i] as number) > top) {
      top = bestSim[i] as number;
      a = i;
    }
    if (a < 0 || top < threshold) break;
    const b = best[a] as number;
    // merge b into a (Lance-Williams for average linkage)
    const sa = size[a] as number;
    const sb = size[b] as number;
    for (let c = 0; c < n; c++) {
      if (active[c] === 0 || c === a || c === b) continue;
      const v = (sa * (s[a * n + c] as number) + sb * (s[b * n + c] as number)) / (sa + sb);
      s[a * n + c] = v;
      s[c * n + a] = v;
    }
    active[b] = 0;
    size[a] = sa + sb;
    parent[b] = a;
    refresh(a);
    for (let c = 0; c < n; c++) {
      if (active[c] === 0 || c === a) continue;
      if (best[c] === a || best[c] === b) refresh(c);
      else if ((s[c * n + a] as number) > (bestSim[c] as number)) {
        bestSim[c] = s[c * n + a] as number;
        best[c] = a;
      }
    }
  }
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    return r;
  };
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = root(i);
  return renumber(labels);
}

/**
 * The k nearest neighbours of every row of a sparse, L2-normalised matrix by cosine, through an
 * inverted index (column -> rows). Exact; fast while the sample stays a few thousand rows.
 */
export function nearestNeighboursSparse(m: SparseMatrix, k: number): { nbr: Int32Array; sim: Float64Array; k: number } {
  const n = m.rows;
  const kk = Math.max(1, Math.min(k, n - 1));
  // transpose: CSC of the same matrix
  const colCount = new Int32Array(m.cols + 1);
  for (let p = 0; p < m.indices.length; p++) colCount[(m.indices[p] as number) + 1] = (colCount[(m.indices[p] as number) + 1] as number) + 1;
  for (let c = 0; c < m.cols; c++) colCount[c + 1] = (colCount[c + 1] as number) + (colCount[c] as number);
  const colRows = new Int32Array(m.indices.length);
  const colVals = new Float32Array(m.indices.length);
  const fill = colCount.slice(0, m.cols);
  for (let i = 0; i < n; i++) for (let p = m.indptr[i] as number; p < (m.indptr[i + 1] as number); p++) {
    const c = m.indices[p] as number;
    const at = fill[c] as number;
    colRows[at] = i;
    colVals[at] = m.data[p] as number;
    fill[c] = at + 1;
  }
  const nbr = new Int32Array(n * kk).fill(-1);
  const sim = new Float64Array(n * kk).fill(-Infinity);
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let nt = 0;
    for (let p = m.indptr[i] as number; p < (m.indptr[i + 1] as number); p++) {
      const c = m.indices[p] as number;
      const v = m.data[p] as number;
      for (let q = colCount[c] as number; q < (colCount[c + 1] as number); q++) {
        const j = colRows[q] as number;
        if (acc[j] === 0) touched[nt++] = j;
        acc[j] = (acc[j] as number) + v * (colVals[q] as number);
      }
    }
    const o = i * kk;
    for (let t = 0; t < nt; t++) {
      const j = touched[t] as number;
      const s = acc[j] as number;
      acc[j] = 0;
      if (j === i || s <= (sim[o + kk - 1] as number)) continue;
      let p = kk - 1;
      while (p > 0 && ((sim[o + p - 1] as number) < s || ((sim[o + p - 1] as number) === s && (nbr[o + p - 1] as number) > j))) {
        sim[o + p] = sim[o + p - 1] as number;
        nbr[o + p] = nbr[o + p - 1] as number;
        p--;
      }
      sim[o + p] = s;
      nbr[o + p] = j;
    }
  }
  return { nbr, sim, k: kk };
}

/** The symmetric kNN graph of a sparse matrix (see knnGraph). */
export function knnGraphSparse(m: SparseMatrix, k: number): Graph {
  return graphFromNeighbours(nearestNeighboursSparse(m, k), m.rows);
}

function graphFromNeighbours({ nbr, sim, k }: { nbr: Int32Array; sim: Float64Array; k: number }, n: number): Graph {
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map<number, number>());
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const j = nbr[i * k + p] as number;
      const s = sim[i * k + p] as number;
      if (j < 0 || s <= 0) continue;
      (rows[i] as Map<number, number>).set(j, s);
      (rows[j] as Map<number, number>).set(i, s);
    }
  }
  return graphFromRows(rows);
}
