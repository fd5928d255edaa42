import { expect } from 'chai';
import { clusterAnswers, matchThemes, UNCLEAR_ID, type Theme } from '../../../src/themes/pipeline/index.ts';
import { labelledSet } from './helpers.ts';

const theme = (id: string, memberIds: string[], label = id): Theme => ({ id, label, terms: [], size: memberIds.length, share: 0, quotes: [], memberIds });

describe('themes pipeline: matchThemes', () => {
  it('carries ids and labels over to the new theme with the most member overlap', () => {
    const previous = [
      { id: 'price', label: 'Price too high (renamed)', memberIds: ['a', 'b', 'c', 'd'] },
      { id: 'support', label: 'Slow support', memberIds: ['e', 'f', 'g'] },
    ];
    const next = [theme('support-team', ['e', 'f', 'g', 'h']), theme('cost-budget', ['a', 'b', 'c', 'x']), theme('brand-new', ['y', 'z'])];
    const out = matchThemes(previous, next);
    expect(out.map((t) => [t.id, t.label])).to.deep.equal([
      ['support', 'Slow support'],
      ['price', 'Price too high (renamed)'],
      ['brand-new', 'brand-new'],
    ]);
    expect(out[0]?.memberIds).to.deep.equal(['e', 'f', 'g', 'h']);
  });

  it('does not carry an id over when the overlap is poor, and never reuses an old id for a new theme', () => {
    const previous = [{ id: 'price', label: 'Price', memberIds: ['a', 'b', 'c', 'd', 'e', 'f'] }];
    const out = matchThemes(previous, [theme('price', ['a', 'x', 'y', 'z', 'w'])]);
    expect(out[0]?.id).to.equal('price-2');
    expect(out[0]?.label).to.equal('price');
  });

  it('gives each previous theme to one new theme only (best overlap first)', () => {
    const previous = [{ id: 'p', label: 'P', memberIds: ['a', 'b', 'c', 'd'] }];
    const out = matchThemes(previous, [theme('one', ['a', 'b']), theme('two', ['a', 'b', 'c'])]);
    expect(out.map((t) => t.id)).to.deep.equal(['one', 'p']);
  });

  it('keeps the unclear group as "unclear"', () => {
    const previous = [
      { id: UNCLEAR_ID, label: 'Unclear', memberIds: ['a', 'b'] },
      { id: 'x', label: 'X', memberIds: ['c'] },
    ];
    const out = matchThemes(previous, [theme(UNCLEAR_ID, ['a', 'b', 'c'])]);
    expect(out[0]?.id).to.equal(UNCLEAR_ID);
  });

  it('keeps theme ids and curated names stable when the themes are recomputed with new answers', () => {
    const set = labelledSet();
    const first = clusterAnswers(set.slice(0, 440).map(({ id, text }) => ({ id, text })));
    // a marketer renames every theme
    const curated = first.themes.map((t) => ({ id: t.id, label: `Curated ${t.label}`, memberIds: t.memberIds }));
    const second = clusterAnswers(set.map(({ id, text }) => ({ id, text })));
    const matched = matchThemes(curated, second.themes);
    const kept = matched.filter((t) => t.id !== UNCLEAR_ID && curated.some((c) => c.id === t.id));
    const named = first.themes.filter((t) => t.id !== UNCLEAR_ID);
    // most themes of the first run are found again, under their ids and curated names
    expect(kept.length).to.be.at.least(Math.ceil(named.length * 0.6));
    for (const t of kept) expect(t.label).to.equal(curated.find((c) => c.id === t.id)?.label);
    expect(new Set(matched.map((t) => t.id)).size).to.equal(matched.length);
    // a re-run on the same answers with the same seed keeps every id
    const again = matchThemes(curated, clusterAnswers(set.slice(0, 440).map(({ id, text }) => ({ id, text }))).themes);
    expect(again.map((t) => t.id)).to.deep.equal(first.themes.map((t) => t.id));
  });
});
