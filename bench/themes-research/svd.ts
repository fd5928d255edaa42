// Truncated SVD (LSA) of the sparse TF-IDF matrix by randomised range finding (Halko, Martinsson and
// Tropp 2011): a few sparse-times-dense products instead of a full decomposition, so it stays linear in
// the number of non-zeros. It gives dense, low-dimensional document vectors in which synonyms and
// misspellings sit closer together. Research code for bench/themes-compare.ts (the k-means and
// agglomerative runs); the pipeline clusters the sparse rows directly and does not use it.
import { makeRng, type Rng } from '../../src/themes/pipeline/prng.ts';
import type { SparseMatrix } from '../../src/themes/pipeline/vectorise.ts';

/** A dense row-major matrix. */
export interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** A standard normal draw (Box-Muller), for the random test matrix of the SVD. */
function gaussian(rng: Rng): number {
  let u = rng();
  while (u <= 1e-12) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi). Eigenvalues sorted descending. */
export function symmetricEigen(m: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += (a[i] as number) ** 2;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += (a[p * n + q] as number) ** 2;
    if (off <= scale * 1e-24) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * n + p] as number;
        const aqq = a[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (a[y * n + y] as number) - (a[x * n + x] as number));
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src] as number;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src] as number;
  });
  return { values, vectors };
}

/** Y = A * W, A sparse n x F, W dense F x l. */
function sparseTimesDense(a: SparseMatrix, w: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let i = 0; i < a.rows; i++) {
    const yo = i * l;
    for (let p = a.indptr[i] as number; p < (a.indptr[i + 1] as number); p++) {
      const v = a.data[p] as number;
      const wo = (a.indices[p] as number) * l;
      for (let k = 0; k < l; k++) y[yo + k] = (y[yo + k] as number) + v * (w[wo + k] as number);
    }
  }
  return y;
}

/** Z = A^T * Q, A sparse n x F, Q dense n x l. */
function sparseTransposeTimesDense(a: SparseMatrix, q: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  for (let i = 0; i < a.rows; i++) {
    const qo = i * l;
    for (let p = a.indptr[i] as number; p < (a.indptr[i + 1] as number); p++) {
      const v = a.data[p] as number;
      const zo = (a.indices[p] as number) * l;
      for (let k = 0; k < l; k++) z[zo + k] = (z[zo + k] as number) + v * (q[qo + k] as number);
    }
  }
  return z;
}

/** Gram matrix X^T X of a dense rows x l matrix. */
function gram(x: Float64Array, rows: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let i = 0; i < rows; i++) {
    const o = i * l;
    for (let a = 0; a < l; a++) {
      const xa = x[o + a] as number;
      if (xa === 0) continue;
      const go = a * l;
      for (let b = a; b < l; b++) g[go + b] = (g[go + b] as number) + xa * (x[o + b] as number);
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) g[a * l + b] = g[b * l + a] as number;
  return g;
}

/** Orthonormal basis of the column space of X (rows x l) via the eigenvectors of X^T X. */
function orthonormalise(x: Float64Array, rows: number, l: number): Float64Array {
  const { values, vectors } = symmetricEigen(gram(x, rows, l), l);
  const top = values[0] as number;
  const scale = new Float64Array(l * l); // V * Lambda^-1/2, dropping directions with no energy
  for (let k = 0; k < l; k++) {
    const lam = values[k] as number;
    if (lam <= top * 1e-12) continue;
    const s = 1 / Math.sqrt(lam);
    for (let j = 0; j < l; j++) scale[j * l + k] = (vectors[j * l + k] as number) * s;
  }
  return denseTimesSmall(x, rows, l, scale, l);
}

/** X (rows x l) * S (l x m). */
function denseTimesSmall(x: Float64Array, rows: number, l: number, s: Float64Array, m: number): Float64Array {
  const out = new Float64Array(rows * m);
  for (let i = 0; i < rows; i++) {
    const xo = i * l;
    const oo = i * m;
    for (let a = 0; a < l; a++) {
      const xa = x[xo + a] as number;
      if (xa === 0) continue;
      const so = a * m;
      for (let b = 0; b < m; b++) out[oo + b] = (out[oo + b] as number) + xa * (s[so + b] as number);
    }
  }
  return out;
}

export interface SvdOptions {
  components: number;
  oversample?: number;
  powerIterations?: number;
  seed?: number;
}

/**
 * Document coordinates U * Sigma of the rank-`components` truncated SVD of `a`, each row L2-normalised
 * (rows of zeros stay zero), plus the singular values.
 */
export function truncatedSvd(a: SparseMatrix, opts: SvdOptions): { embedding: Dense; singularValues: Float64Array } {
  const r = Math.max(1, Math.min(opts.components, a.rows - 1, a.cols - 1));
  const l = Math.min(r + (opts.oversample ?? 10), a.rows, a.cols);
  const rng = makeRng(opts.seed ?? 1);
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rng);
  let q = orthonormalise(sparseTimesDense(a, omega, l), a.rows, l);
  for (let it = 0; it < (opts.powerIterations ?? 2); it++) {
    const z = orthonormalise(sparseTransposeTimesDense(a, q, l), a.cols, l);
    q = orthonormalise(sparseTimesDense(a, z, l), a.rows, l);
  }
  // B^T = A^T Q; B B^T = Z^T Z = W Lambda W^T; U Sigma = Q W Sigma
  const z = sparseTransposeTimesDense(a, q, l);
  const { values, vectors } = symmetricEigen(gram(z, a.cols, l), l);
  const cols = Math.min(r, l);
  const ws = new Float64Array(l * cols);
  const sv = new Float64Array(cols);
  for (let k = 0; k < cols; k++) {
    const sigma = Math.sqrt(Math.max(0, values[k] as number));
    sv[k] = sigma;
    for (let j = 0; j < l; j++) ws[j * cols + k] = (vectors[j * l + k] as number) * sigma;
  }
  const emb = denseTimesSmall(q, a.rows, l, ws, cols);
  normaliseRows(emb, a.rows, cols);
  return { embedding: { rows: a.rows, cols, data: emb }, singularValues: sv };
}

export function normaliseRows(x: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += (x[i * cols + k] as number) ** 2;
    if (s <= 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let k = 0; k < cols; k++) x[i * cols + k] = (x[i * cols + k] as number) * inv;
  }
}
