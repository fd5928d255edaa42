// The clustering methods the pipeline's Louvain was measured against, on the dense LSA embedding
// (bench/themes-research/svd.ts): spherical k-means with k chosen by silhouette, and average-linkage
// agglomerative clustering with a cosine cut-off. Research code for bench/themes-compare.ts only; the
// app does not use it. Every random choice takes the seeded rng.
import { renumber } from '../../src/themes/pipeline/cluster.ts';
import { makeRng, sampleIndices } from '../../src/themes/pipeline/prng.ts';
import type { Dense } from './svd.ts';

function dot(x: Float64Array, i: number, y: Float64Array, j: number, d: number): number {
  let s = 0;
  const io = i * d;
  const jo = j * d;
  for (let k = 0; k < d; k++) s += (x[io + k] as number) * (y[jo + k] as number);
  return s;
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
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
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
    for (let i = 0; i < n; i++)
      if (active[i] === 1 && (bestSim[i] as number) > top) {
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
