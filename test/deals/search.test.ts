// Searching the deals list: by the start of any word of a deal's name, buyer company, competitor or CRM
// id, whatever the case and accents, every word typed; a deal renamed or marked lost to a new competitor
// is found by its new words, and deals stored before search existed are found once the worker's backfill has run.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Deal } from '../../src/deals/model.ts';
import { backfillSearchTerms, listDeals } from '../../src/deals/service.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };

async function found(q: string): Promise<string[]> {
  const page = await listDeals({ q, page: 1 });
  return page.items.map((d) => d.buyerCompany).sort();
}

describe('deal search', () => {
  useTestDatabase('deal_search');
  beforeEach(async () => {
    await clearCollections();
    await saveProgram(defaultProgram);
  });

  it('finds deals by the start of any word, any case, without accents, every word typed', async () => {
    await upsertDeal(dealInputFor({ externalId: 'SF-00731', name: 'Harbor Freight rollout', buyerCompany: 'Harbor Freight Logistics' }), actor, 'api');
    await upsertDeal(dealInputFor({ name: 'Pilot', buyerCompany: 'Zürich Versicherung' }), actor, 'api');
    await upsertDeal(dealInputFor({ name: 'Renewal', buyerCompany: 'Kestrel Software' }), actor, 'api');
    expect(await found('harb')).to.deep.equal(['Harbor Freight Logistics']);
    expect(await found('HARBOR logis')).to.deep.equal(['Harbor Freight Logistics']);
    expect(await found('harbor kestrel')).to.deep.equal([]);
    expect(await found('zurich')).to.deep.equal(['Zürich Versicherung']);
    expect(await found('Zür')).to.deep.equal(['Zürich Versicherung']);
    expect(await found('sf-00731')).to.deep.equal(['Harbor Freight Logistics']);
    expect(await found('soft')).to.deep.equal(['Kestrel Software']);
    // Only punctuation: nothing to look for, and no deal matches.
    const none = await listDeals({ q: '.*', page: 1 });
    expect(none.total).to.equal(0);
  });

  it('follows renames and the competitor a loss names', async () => {
    const { deal } = await upsertDeal(dealInputFor({ name: 'Old name', buyerCompany: 'Acme' }), actor, 'api');
    await upsertDeal(dealInputFor({ source: deal.source, externalId: deal.externalId, name: 'Fresh start', buyerCompany: 'Acme' }), actor, 'api');
    expect(await found('old')).to.deep.equal([]);
    expect(await found('fresh')).to.deep.equal(['Acme']);
    await markLost(deal._id, { ...competitorLoss, competitor: 'Globex Systems' }, actor, 'api');
    expect(await found('globex')).to.deep.equal(['Acme']);
  });

  it('gives deals stored before search existed their words (the job a worker enqueues at start), once', async () => {
    await mongoose.connection.db!.collection('deals').insertMany([
      {
        source: 'crm',
        externalId: 'OLD-1',
        name: 'Legacy deal',
        buyerCompany: 'Umbrella Corp',
        status: 'open',
        contacts: [],
        createdAt: new Date(),
        updatedAt: new Date(),
      },
    ]);
    expect(await found('umbrella')).to.deep.equal([]);
    expect(await backfillSearchTerms()).to.equal(1);
    expect(await found('umbrella')).to.deep.equal(['Umbrella Corp']);
    expect(await backfillSearchTerms()).to.equal(0);
    expect(await Deal.countDocuments({ searchTerms: mongoose.trusted({ $exists: false }) })).to.equal(0);
  });
});
