import { expect } from 'chai';
import { knnGraphSparse, nearestNeighboursSparse } from '../../../src/themes/pipeline/cluster.ts';
import { tokeniseCorpus, vectorise, type SparseMatrix } from '../../../src/themes/pipeline/index.ts';
import { labelledSet } from './helpers.ts';

/** Every pair's cosine, the slow way (over the columns not ignored). */
function allCosines(m: SparseMatrix, ignore?: Uint8Array): number[][] {
  const dense = Array.from({ length: m.rows }, (_, r) => {
    const v = new Map<number, number>();
    for (let p = m.indptr[r] as number; p < (m.indptr[r + 1] as number); p++)
      if (ignore?.[m.indices[p] as number] !== 1) v.set(m.indices[p] as number, m.data[p] as number);
    return v;
  });
  return dense.map((a) =>
    dense.map((b) => {
      let s = 0;
      for (const [f, x] of a) s += x * (b.get(f) ?? 0);
      return s;
    }),
  );
}

/** nearestNeighboursSparse against every pair's cosine: the k best, in order, with their similarities. */
function expectExactNeighbours(matrix: SparseMatrix, k: number, ignore?: Uint8Array): void {
  const { nbr, sim } = nearestNeighboursSparse(matrix, k, ignore);
  const cos = allCosines(matrix, ignore);
  for (let i = 0; i < matrix.rows; i++) {
    const row = cos[i] as number[];
    const expected = row
      .map((s, j) => ({ j, s }))
      .filter(({ j, s }) => j !== i && s > 0)
      .sort((a, b) => b.s - a.s)
      .slice(0, k);
    const got = Array.from(nbr.subarray(i * k, i * k + expected.length));
    if (expected.length < k) expect(nbr[i * k + expected.length], `row ${i}: no more neighbours`).to.equal(-1);
    if (expected.length === 0) continue;
    expected.forEach(({ s }, p) => expect(sim[i * k + p] as number, `row ${i}`).to.be.closeTo(s, 1e-6));
    got.forEach((j, p) => expect(row[j] as number, `row ${i}`).to.be.closeTo(sim[i * k + p] as number, 1e-6));
    const kth = (expected[expected.length - 1] as { s: number }).s;
    row.forEach((s, j) => {
      if (j !== i && s > kth + 1e-6) expect(got, `row ${i}`).to.include(j);
    });
  }
}

describe('themes pipeline: nearest neighbours', () => {
  it("finds each answer's k most similar answers exactly", () => {
    const { matrix } = vectorise(
      tokeniseCorpus(
        labelledSet()
          .slice(0, 150)
          .map((a) => a.text),
      ),
    );
    expectExactNeighbours(matrix, 7);
  });

  it('leaves the ignored columns out of the similarity, and is exact over the others', () => {
    const { matrix } = vectorise(
      tokeniseCorpus(
        labelledSet()
          .slice(0, 150)
          .map((a) => a.text),
      ),
    );
    // the columns in more than 6 of the 150 rows, as the pipeline leaves common character n-grams out
    const df = new Int32Array(matrix.cols);
    for (const f of matrix.indices) df[f] = (df[f] as number) + 1;
    const ignore = Uint8Array.from(df, (d) => (d > 6 ? 1 : 0));
    expect(ignore.reduce((a, b) => a + b, 0)).to.be.greaterThan(20);
    expectExactNeighbours(matrix, 7, ignore);
    const all = nearestNeighboursSparse(matrix, 7);
    const some = nearestNeighboursSparse(matrix, 7, ignore);
    expect(Array.from(some.nbr)).to.not.deep.equal(Array.from(all.nbr));
  });

  it('breaks ties between equally similar answers in favour of the earlier one, whatever order pairs are met', () => {
    // rows 1-4 are the same vector; row 0 is close to all of them
    const m: SparseMatrix = {
      rows: 5,
      cols: 2,
      indptr: Int32Array.from([0, 2, 3, 4, 5, 6]),
      indices: Int32Array.from([0, 1, 0, 0, 0, 0]),
      data: Float32Array.from([0.6, 0.8, 1, 1, 1, 1]),
    };
    const { nbr, k } = nearestNeighboursSparse(m, 2);
    expect(k).to.equal(2);
    expect(Array.from(nbr.subarray(0, 2))).to.deep.equal([1, 2]);
    expect(Array.from(nbr.subarray(2 * 2, 3 * 2))).to.deep.equal([1, 3]);
    expect(Array.from(nbr.subarray(4 * 2, 5 * 2))).to.deep.equal([1, 2]);
  });

  it('builds a symmetric graph: an edge wherever either end lists the other, once, neighbours in order', () => {
    const { matrix } = vectorise(
      tokeniseCorpus(
        labelledSet()
          .slice(0, 120)
          .map((a) => a.text),
      ),
    );
    const g = knnGraphSparse(matrix, 5);
    const edges = new Map<string, number>();
    for (let i = 0; i < g.n; i++) {
      for (let p = g.indptr[i] as number; p < (g.indptr[i + 1] as number); p++) {
        if (p > (g.indptr[i] as number)) expect(g.nbr[p] as number).to.be.greaterThan(g.nbr[p - 1] as number);
        edges.set(`${i}-${g.nbr[p] as number}`, g.w[p] as number);
      }
    }
    for (const [key, w] of edges) {
      const [a, b] = key.split('-');
      expect(edges.get(`${b}-${a}`), key).to.equal(w);
    }
    const { nbr, k } = nearestNeighboursSparse(matrix, 5);
    for (let i = 0; i < matrix.rows; i++)
      for (let p = 0; p < k; p++) if ((nbr[i * k + p] as number) >= 0) expect(edges.has(`${i}-${nbr[i * k + p] as number}`)).to.equal(true);
  });
});
