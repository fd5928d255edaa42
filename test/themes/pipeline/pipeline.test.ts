import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { clusterAnswers, normalise, tokeniseCorpus, vectorise, UNCLEAR_ID, type AnswerInput, type ClusterResult } from '../../../src/themes/pipeline/index.ts';
import { nameThemes } from '../../../src/themes/pipeline/label.ts';
import { FEATURE_WORD } from '../../../src/themes/pipeline/vectorise.ts';
import { labelledSet } from './helpers.ts';

const items = (): AnswerInput[] => labelledSet().map(({ id, text }) => ({ id, text }));

let base: ClusterResult | undefined;
const baseRun = (): ClusterResult => (base ??= clusterAnswers(items()));

describe('themes pipeline: clusterAnswers', () => {
  it('assigns every answer exactly once, to a theme that lists it', () => {
    const res = baseRun();
    const ids = labelledSet().map((a) => a.id);
    expect(Object.keys(res.assignments).sort()).to.deep.equal([...ids].sort());
    const listed = res.themes.flatMap((t) => t.memberIds);
    expect(listed.length).to.equal(ids.length);
    for (const t of res.themes) {
      expect(t.size).to.equal(t.memberIds.length);
      expect(t.share).to.be.closeTo(t.size / ids.length, 1e-3);
      for (const id of t.memberIds) expect(res.assignments[id]).to.equal(t.id);
    }
    expect(new Set(res.themes.map((t) => t.id)).size).to.equal(res.themes.length);
  });

  it('finds a handful of themes by itself', () => {
    const named = baseRun().themes.filter((t) => t.id !== UNCLEAR_ID);
    expect(named.length).to.be.within(6, 25);
  });

  it('gives the same themes for the same input and seed', () => {
    const again = clusterAnswers(items());
    expect(again.themes).to.deep.equal(baseRun().themes);
    expect({ ...again.assignments }).to.deep.equal({ ...baseRun().assignments });
  });

  it('finds a similar number of themes with another seed', () => {
    const other = clusterAnswers(items(), { seed: 99 });
    expect(other.themes.length).to.be.within(5, 30);
  });

  for (const k of [1, 4, 9, 15]) {
    it(`splits the answers into exactly ${k} themes with k=${k}`, () => {
      const res = clusterAnswers(items(), { k });
      expect(res.themes).to.have.length(k);
      expect(res.themes.every((t) => t.size > 0)).to.equal(true);
      expect(Object.keys(res.assignments)).to.have.length(labelledSet().length);
    });
  }

  it('counts the unclear group as one of the k themes', () => {
    const res = clusterAnswers([...items(), { id: 'e1', text: 'n/a' }, { id: 'e2', text: '' }], { k: 5 });
    expect(res.themes).to.have.length(5);
    expect(res.assignments.e1).to.equal(UNCLEAR_ID);
    expect(res.assignments.e2).to.equal(UNCLEAR_ID);
  });

  it('refuses a k larger than the distinct answers allow', () => {
    expect(() =>
      clusterAnswers(
        [
          { id: 'a', text: 'too expensive for us' },
          { id: 'b', text: 'support was slow' },
        ],
        { k: 3 },
      ),
    ).to.throw(RangeError);
  });

  it('builds labels and terms from words buyers wrote, never character fragments', () => {
    const vocabulary = new Set(labelledSet().flatMap((a) => normalise(a.text).split(' ')));
    for (const t of baseRun().themes) {
      if (t.id === UNCLEAR_ID) continue;
      const words = t.label.split(/[\s,]+/).filter(Boolean);
      expect(words.length, t.label).to.be.within(1, 4);
      for (const w of words) expect(vocabulary.has(w), `"${w}" in label "${t.label}"`).to.equal(true);
      for (const term of t.terms) for (const w of term.split(' ')) expect(vocabulary.has(w), `"${w}" in term "${term}"`).to.equal(true);
      expect(t.label).to.not.match(/[<>]/);
      expect(t.terms.length).to.be.greaterThan(0);
    }
  });

  it('never joins words across a sentence or a left-out number in labels and terms', () => {
    const corpus = tokeniseCorpus([
      'Only fixed reports. Having dashboards was a must',
      'We had fixed reports. Having dashboards mattered',
      'fixed reports, having dashboards',
      'It was almost 40% higher',
      'Price almost 25% higher than the others',
      'almost 30 percent higher',
    ]);
    const [reports, price] = nameThemes(corpus, [
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(reports!.terms).to.include('fixed reports');
    expect(reports!.terms.join(' | ')).not.to.match(/reports having/);
    expect(price!.terms.join(' | ')).not.to.match(/almost higher/);
  });

  it('never names a theme with a word that says nothing, though the word still counts for the clustering', () => {
    const corpus = tokeniseCorpus([
      'Everything else was fine, almost three weeks late without training',
      'Else fine but almost three weeks without training',
      'almost three weeks of setup else fine without training',
      'Price was far higher',
      'The price was higher',
      'Higher price',
    ]);
    const [late] = nameThemes(corpus, [
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(late!.terms).to.include('weeks');
    for (const term of late!.terms) expect(term, term).not.to.match(/\b(else|almost|three|without)\b/);
    const { matrix, features } = vectorise(corpus, { minDf: 1 });
    expect(features.keys.filter((_k, f) => features.kind[f] === FEATURE_WORD && matrix.indices.includes(f))).to.include.members(['almost', 'without']);
  });

  it('names the price theme after price', () => {
    const truth = new Map(labelledSet().map((a) => [a.id, a.label]));
    const res = baseRun();
    // the theme holding most of the price answers
    const counts = res.themes.map((t) => t.memberIds.filter((id) => truth.get(id) === 'price').length);
    const theme = res.themes[counts.indexOf(Math.max(...counts))];
    expect(theme?.id).to.not.equal(UNCLEAR_ID);
    expect(`${theme?.label} ${theme?.terms.join(' ')}`).to.match(/pric|cost|expensive|budget/);
  });

  it('puts empty and meaningless short answers in the unclear group, and short answers that clearly match in their theme', () => {
    const extra: AnswerInput[] = [
      { id: 'x-no', text: 'no' },
      { id: 'x-na', text: 'n/a' },
      { id: 'x-empty', text: '   ' },
      { id: 'x-noise', text: 'zxqv blorf' },
      { id: 'x-price', text: 'price' },
      { id: 'x-support', text: 'support' },
    ];
    const res = clusterAnswers([...items(), ...extra]);
    for (const id of ['x-no', 'x-na', 'x-empty', 'x-noise']) expect(res.assignments[id], id).to.equal(UNCLEAR_ID);
    const price = res.themes.find((t) => t.id === res.assignments['x-price']);
    expect(price?.id).to.not.equal(UNCLEAR_ID);
    expect(price?.terms.join(' ')).to.match(/price/);
    const support = res.themes.find((t) => t.id === res.assignments['x-support']);
    expect(support?.id).to.not.equal(UNCLEAR_ID);
    expect(support?.terms.join(' ')).to.match(/support/);
  });

  it('takes its quotes only from answers that may be quoted, 3 to 5 per theme, anonymised unless named', () => {
    const input: AnswerInput[] = items().map((a, i) => ({ ...a, quotable: i % 3 !== 0, named: i % 2 === 0, author: `Pat Buyer${i}` }));
    input[1] = { ...(input[1] as AnswerInput), text: `${(input[1] as AnswerInput).text} Call me on +44 20 7946 0958 or pat@example.com`, named: false };
    const quotable = new Set(input.filter((a) => a.quotable).map((a) => a.id));
    const named = new Map(input.map((a) => [a.id, a]));
    const res = clusterAnswers(input);
    for (const t of res.themes) {
      const available = t.memberIds.filter((id) => quotable.has(id)).length;
      expect(t.quotes.length).to.equal(
        Math.min(5, new Set(t.memberIds.filter((id) => quotable.has(id)).map((id) => named.get(id)?.text.trim().toLowerCase())).size),
      );
      if (available >= 3) expect(t.quotes.length).to.be.at.least(3);
      for (const q of t.quotes) {
        expect(quotable.has(q.id), q.id).to.equal(true);
        expect(t.memberIds).to.include(q.id);
        const src = named.get(q.id) as AnswerInput;
        if (src.named) expect(q.author).to.equal(src.author);
        else expect(q).to.not.have.property('author');
        expect(q.text).to.not.match(/@example\.com|7946/);
      }
    }
  });

  it('uses the reason taxonomy as seeds when there are few answers, with an unclear group for the rest', () => {
    const seeds = [
      { id: 'price', label: 'Price or commercial terms', keywords: ['price', 'expensive', 'cost', 'budget', 'discount'] },
      { id: 'support', label: 'Support and service', keywords: ['support', 'tickets', 'slow', 'response'] },
      { id: 'integrations', label: 'Integrations with their stack', keywords: ['integration', 'api', 'salesforce', 'sync'] },
    ];
    const few: AnswerInput[] = [
      { id: 'a1', text: 'Way too expensive for us' },
      { id: 'a2', text: 'price' },
      { id: 'a3', text: 'the pricing was above our budget' },
      { id: 'a4', text: 'Support took days to answer our tickets' },
      { id: 'a5', text: 'suport was slow' },
      { id: 'a6', text: 'no salesforce integration' },
      { id: 'a7', text: 'the API could not sync with our CRM' },
      { id: 'a8', text: 'n/a' },
      { id: 'a9', text: 'we liked the colours of the other logo' },
    ];
    const res = clusterAnswers(few, { seeds });
    expect(res.method).to.equal('seeds');
    expect(res.assignments).to.include({ a1: 'price', a2: 'price', a3: 'price', a4: 'support', a5: 'support', a6: 'integrations', a7: 'integrations' });
    expect(res.assignments.a8).to.equal(UNCLEAR_ID);
    expect(res.assignments.a9).to.equal(UNCLEAR_ID);
    expect(res.themes.find((t) => t.id === 'price')?.label).to.equal('Price or commercial terms');
    expect(res.themes.find((t) => t.id === 'price')?.size).to.equal(3);
  });

  it('with few answers, puts an answer under the reason its author chose, unless it says nothing', () => {
    const seeds = [
      { id: 'price', label: 'Price or commercial terms' },
      { id: 'product_fit', label: 'Missing capability or product fit' },
    ];
    const few: AnswerInput[] = [
      { id: 'b1', text: 'Your quote was far above what finance would sign', reason: 'price' },
      { id: 'b2', text: 'No offline mode for our field teams', reason: 'product_fit' },
      { id: 'b3', text: 'The dashboards could not be customised', reason: 'product_fit' },
      { id: 'b4', text: 'n/a', reason: 'price' },
      // a reason outside the taxonomy, or none: the words decide, as before
      { id: 'b5', text: 'price', reason: 'retired_code' },
      { id: 'b6', text: 'we liked the colours of the other logo' },
    ];
    const res = clusterAnswers(few, { seeds });
    expect(res.method).to.equal('seeds');
    expect(res.assignments).to.deep.equal({ b1: 'price', b2: 'product_fit', b3: 'product_fit', b4: UNCLEAR_ID, b5: 'price', b6: UNCLEAR_ID });
    // the quotes are the theme's own most typical answers, not the ones nearest the reason's name
    expect(
      res.themes
        .find((t) => t.id === 'product_fit')
        ?.quotes.map((q) => q.id)
        .sort(),
    ).to.deep.equal(['b2', 'b3']);
  });

  it('counts five answers a reason as few when most authors chose a reason, and 30 otherwise', () => {
    const seeds = ['price', 'support', 'integrations', 'security', 'timing', 'usability', 'sales', 'onboarding', 'features'].map((id) => ({ id, label: id }));
    const forty = items().slice(0, 40);
    expect(forty.length).to.equal(40);
    expect(clusterAnswers(forty, { seeds }).method).to.equal('graph');
    const chosen = forty.map((a, i) => ({ ...a, reason: (seeds[i % seeds.length] as { id: string }).id }));
    expect(clusterAnswers(chosen, { seeds }).method).to.equal('seeds');
    // 45 = five for each of the nine reasons: enough for the words to speak
    const more = items()
      .slice(0, 45)
      .map((a, i) => ({ ...a, reason: (seeds[i % seeds.length] as { id: string }).id }));
    expect(clusterAnswers(more, { seeds }).method).to.equal('graph');
  });

  it('ignores the seeds when there are enough answers to cluster', () => {
    const res = clusterAnswers(items(), { seeds: [{ id: 'price', label: 'Price' }] });
    expect(res.method).to.equal('graph');
  });

  it('reports progress through every stage and times each one', () => {
    const seen = new Set<string>();
    const res = clusterAnswers(items().slice(0, 200), {
      onProgress: (stage, f) => {
        expect(f).to.be.within(0, 1);
        seen.add(stage);
      },
    });
    expect([...seen].sort()).to.deep.equal(['cluster', 'label', 'reduce', 'tokenise', 'vectorise']);
    for (const stage of ['tokenise', 'vectorise', 'reduce', 'cluster', 'label', 'total'] as const) expect(res.timings[stage]).to.be.a('number').and.at.least(0);
  });

  it('handles no answers, and rejects duplicate ids', () => {
    expect(clusterAnswers([]).themes).to.deep.equal([]);
    expect(() =>
      clusterAnswers([
        { id: 'a', text: 'x' },
        { id: 'a', text: 'y' },
      ]),
    ).to.throw(/duplicate/);
  });

  it('imports nothing from the web or the database', () => {
    const dir = new URL('../../../src/themes/pipeline/', import.meta.url);
    for (const f of readdirSync(dir)) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      expect(src, f).to.not.match(/from '(express|mongoose|mongodb|agenda|@agendajs\/[^']*|natural)'|from '\.\.\/\.\.\/(lib|deals|interviews)\//);
    }
  });
});
