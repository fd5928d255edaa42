// The planner's cool-down on a database written before interviews carried their account key: the
// interviews get their key once, and the ledger the planner used to keep is emptied.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { backfillAccountKeys } from '../../src/interviews/ledger.ts';
import { Interview } from '../../src/interviews/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };
const monday = new Date('2026-11-23T09:30:00Z');

describe('the cool-down ledger', () => {
  useTestDatabase('ledger');
  beforeEach(async () => {
    await clearCollections();
    await saveProgram({ ...defaultProgram, timeZone: 'Europe/Berlin' });
  });

  it('interviews planned before account keys are found by their account once back-filled, and the old ledger goes', async () => {
    const { deal } = await upsertDeal(dealInputFor({ buyerCompany: 'Initech  Labs' }), actor, 'page');
    await markLost(deal._id, competitorLoss, actor, 'page', monday);
    // As the earlier planner left it: no key on the interview, the asking kept in its own collection.
    await Interview.collection.updateMany({}, { $unset: { accountKey: '' } });
    const ledger = mongoose.connection.db!.collection<{ _id: string }>('interviewasked');
    await ledger.insertOne({ _id: 'account:initech labs' });

    await backfillAccountKeys();
    await backfillAccountKeys(); // once: the second finds its marker
    expect((await Interview.findOne({ dealId: deal._id }).lean())?.accountKey).to.equal('initech labs');
    expect(await ledger.countDocuments({})).to.equal(0);

    const { deal: next } = await upsertDeal(dealInputFor({ buyerCompany: 'Initech Labs' }), actor, 'page');
    await markLost(next._id, competitorLoss, actor, 'page', monday);
    expect((await Interview.findOne({ dealId: next._id }).lean())?.exclusionReason).to.match(/^Someone at Initech Labs was already asked/);
  });

  it('on a database that never had the old ledger, it does nothing but note that it ran', async () => {
    await backfillAccountKeys();
    expect(await mongoose.connection.db!.collection('markers').countDocuments({ _id: 'interviews-account-keys' as never })).to.equal(1);
  });
});
