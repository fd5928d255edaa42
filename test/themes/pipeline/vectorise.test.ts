import { expect } from 'chai';
import { charNgrams, tokeniseCorpus, vectorise, type SparseMatrix } from '../../../src/themes/pipeline/index.ts';
import { FEATURE_BIGRAM, FEATURE_CHAR, FEATURE_WORD, vectoriseRows } from '../../../src/themes/pipeline/vectorise.ts';

function rowNorm(m: SparseMatrix, r: number): number {
  let s = 0;
  for (let p = m.indptr[r] as number; p < (m.indptr[r + 1] as number); p++) s += (m.data[p] as number) ** 2;
  return Math.sqrt(s);
}

const texts = ['The price was too high', 'pricing too high for us', 'no salesforce integration', 'Support was slow to respond', 'n/a', 'price'];

describe('themes pipeline: vectorise', () => {
  it('makes character n-grams of 3 to 5 inside words, with boundary markers', () => {
    const grams = charNgrams('price', 3, 5);
    expect(grams).to.include.members(['<pr', 'pri', 'ce>', '<pric', 'rice>']);
    expect(grams.every((g) => g.length >= 3 && g.length <= 5)).to.equal(true);
    expect(grams.some((g) => g.includes(' '))).to.equal(false);
  });

  it('gives every non-empty answer an L2-normalised vector, and an empty answer none', () => {
    const { matrix } = vectorise(tokeniseCorpus(texts), { minDf: 1 });
    for (let r = 0; r < texts.length; r++) {
      if (r === 4) expect(rowNorm(matrix, r)).to.equal(0);
      else expect(rowNorm(matrix, r)).to.be.closeTo(1, 1e-5);
    }
  });

  it('has word, bigram and character features, sorted by column in each row', () => {
    const { matrix, features } = vectorise(tokeniseCorpus(texts), { minDf: 1 });
    const kinds = new Set(features.kind);
    expect([...kinds].sort()).to.deep.equal([FEATURE_WORD, FEATURE_BIGRAM, FEATURE_CHAR].sort());
    expect(features.keys).to.include('salesforc integr');
    for (let r = 0; r < matrix.rows; r++) {
      for (let p = (matrix.indptr[r] as number) + 1; p < (matrix.indptr[r + 1] as number); p++) {
        expect(matrix.indices[p] as number).to.be.greaterThan(matrix.indices[p - 1] as number);
      }
    }
  });

  it('makes inflected and misspelled answers similar through character n-grams', () => {
    const { matrix } = vectorise(tokeniseCorpus(['integrations', 'intergrations', 'pricing']), { minDf: 1, charWeight: 1 });
    const dot = (a: number, b: number): number => {
      const v = new Map<number, number>();
      for (let p = matrix.indptr[a] as number; p < (matrix.indptr[a + 1] as number); p++) v.set(matrix.indices[p] as number, matrix.data[p] as number);
      let s = 0;
      for (let p = matrix.indptr[b] as number; p < (matrix.indptr[b + 1] as number); p++)
        s += (v.get(matrix.indices[p] as number) ?? 0) * (matrix.data[p] as number);
      return s;
    };
    expect(dot(0, 1)).to.be.greaterThan(0.3);
    expect(dot(0, 1)).to.be.greaterThan(dot(0, 2) + 0.2);
  });

  it('drops features found in fewer documents than minDf', () => {
    const { features } = vectorise(tokeniseCorpus(texts), { minDf: 2 });
    expect(Math.min(...features.df)).to.be.at.least(2);
  });

  it('vectorises a repeated answer once, and counts it as often as it occurs', () => {
    const repeated = ['too expensive', 'Too expensive!', 'support was slow', 'too expensive', 'the integration with salesforce'];
    const corpus = tokeniseCorpus(repeated);
    const rows = vectoriseRows(corpus, { minDf: 1 });
    expect(rows.matrix.rows).to.equal(3);
    expect([...rows.rowOf]).to.deep.equal([0, 0, 1, 0, 2]);
    expect([...rows.rowWeight]).to.deep.equal([3, 1, 1]);
    // the same document frequencies, idf and rows as one row per answer
    const perDoc = vectorise(corpus, { minDf: 1 });
    const expens = perDoc.features.keys.indexOf('expens');
    expect(perDoc.features.df[expens]).to.equal(3);
    expect([...rows.features.idf]).to.deep.equal([...perDoc.features.idf]);
    const rowOf = (m: SparseMatrix, r: number): Map<number, number> => {
      const out = new Map<number, number>();
      for (let p = m.indptr[r] as number; p < (m.indptr[r + 1] as number); p++) out.set(m.indices[p] as number, m.data[p] as number);
      return out;
    };
    repeated.forEach((_, d) => expect(rowOf(perDoc.matrix, d)).to.deep.equal(rowOf(rows.matrix, rows.rowOf[d] as number)));
  });
});
