import { expect } from 'chai';
import { BREAK, isStopword, normalise, stem, tokenise, tokeniseCorpus } from '../../../src/themes/pipeline/index.ts';
import { labelledSet } from './helpers.ts';

describe('themes pipeline: tokenise', () => {
  it('normalises case, accents, punctuation and contractions', () => {
    expect(normalise("The PRICE wasn't right — café, n/a!")).to.equal('the price was not right cafe n a');
  });

  it('drops one-letter tokens and bare numbers but keeps words with digits', () => {
    expect(tokenise('n/a 2024 SOC2 ok')).to.deep.equal(['soc2', 'ok']);
    expect(tokenise('   ')).to.deep.equal([]);
  });

  it('keeps hyphenated words whole, so that labels read "add-ons cost", not "ons cost"', () => {
    expect(tokenise('The add-ons cost extra on a multi-year plan, live in 2-3 weeks')).to.deep.equal([
      'the',
      'add-ons',
      'cost',
      'extra',
      'on',
      'multi-year',
      'plan',
      'live',
      'in',
      'weeks',
    ]);
    expect(tokenise('price - too high -- really')).to.deep.equal(['price', 'too', 'high', 'really']);
    expect(stem('add-ons')).to.equal(stem('add-on'));
  });

  it('stems with the Porter stemmer', () => {
    expect(stem('pricing')).to.equal(stem('priced'));
    expect(stem('integrations')).to.equal(stem('integration'));
  });

  it('knows general and domain stop words, but not the words themes are made of', () => {
    for (const w of ['the', 'we', 'they', 'deal', 'vendor', 'company', 'product']) expect(isStopword(w), w).to.equal(true);
    for (const w of ['price', 'support', 'integration', 'security', 'decision']) expect(isStopword(w), w).to.equal(false);
  });

  it('maps each stem back to the surface word used most often', () => {
    const c = tokeniseCorpus(['pricing pricing', 'pricing', 'priced', 'the use of it', 'easy to use']);
    const surfaceOf = (word: string): string => c.stemSurface[c.wordStem[c.words.indexOf(word)] as number] as string;
    expect(surfaceOf('priced')).to.equal('pricing');
    // "us" (a stop word) and "use" share the stem "us": the content word wins
    expect(surfaceOf('use')).to.equal('use');
  });

  it('keeps stop words in the sequence, flagged, and counts content words', () => {
    const c = tokeniseCorpus(['We lost the deal on price', 'no']);
    const words = Array.from(c.docs[0] as Int32Array, (w) => c.words[w]);
    expect(words).to.deep.equal(['we', 'lost', 'the', 'deal', 'on', 'price']);
    expect(c.contentLength[0]).to.equal(1);
    expect(c.contentLength[1]).to.equal(0);
  });

  it('gives every text of a corpus the words tokenise() gives it, contractions, accents and odd quotes included', () => {
    const texts = [
      "We didn't get a quote",
      'DON`T ask',
      "it's the price, they're pricier",
      "we've asked; I'll wait; he'd say; I'm out",
      "'ren't",
      "'sn't",
      "x're_y",
      "rock'n'roll o'clock",
      '‘quoted’ it’s',
      'I´m',
      'café naïve résumé',
      'Ｉ＇ｍ wide',
      '⑽ ⒇ ﬁne',
      'SOC2 ISO27001 2024',
      '   ',
      '',
      'n/a',
      "__init__ it's",
      ...labelledSet()
        .slice(0, 100)
        .map((a) => a.text),
    ];
    const c = tokeniseCorpus(texts);
    texts.forEach((t, d) =>
      expect(
        Array.from(c.docs[d] as Int32Array, (w) => c.words[w]).filter((w) => w !== BREAK),
        JSON.stringify(t),
      ).to.deep.equal(tokenise(t)),
    );
  });

  it('marks where a phrase must not run on: punctuation and left-out numbers, not one-letter words', () => {
    const c = tokeniseCorpus(['We needed fixed reports. Having multi-language support, now: almost 40% higher (a lot of) money!', '...price']);
    expect(Array.from(c.docs[0] as Int32Array, (w) => c.words[w]).join(' ')).to.equal(
      'we needed fixed reports . having multi-language support . now . almost . higher . lot of . money',
    );
    expect(Array.from(c.docs[1] as Int32Array, (w) => c.words[w])).to.deep.equal(['price']);
    expect(c.contentLength[0]).to.equal(
      tokenise('We needed fixed reports. Having multi-language support, now: almost 40% higher (a lot of) money!').filter((w) => !isStopword(w)).length,
    );
  });

  it('tokenises a repeated answer once: answers with the same normalised text share one word sequence', () => {
    const c = tokeniseCorpus(['Too expensive', 'price', 'too expensive!', 'Too expensive', 'support', 'Too expensive.']);
    expect([...c.sameAs]).to.deep.equal([0, 1, 0, 0, 4, 0]);
    expect(c.docs[3]).to.equal(c.docs[0]);
    // counts still see every occurrence
    expect(c.wordCount[c.words.indexOf('expensive')]).to.equal(4);
  });
});
