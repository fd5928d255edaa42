// The report is kept per process until its data changes: a change made anywhere (a new lost deal, a deal
// reopened, an import that failed part-way) shows on the next view, never a stale number.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Deal } from '../../src/deals/model.ts';
import { changeToken } from '../../src/lib/change-token.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { expected, seedReportData } from './seed.ts';

const lostCount = (body: string) => Number(/data-metric="lost">([^<]*)</.exec(body)?.[1]?.trim());

const lostDeal = (externalId: string) => ({
  source: 'hubspot',
  externalId,
  name: `Deal ${externalId}`,
  buyerCompany: 'Acme',
  amount: 1000,
  status: 'lost' as const,
  lostAt: new Date(),
  contacts: [],
});

describe('the report kept between views', function () {
  this.timeout(60_000);
  useTestDatabase('reports_cache');
  let app: TestApp;
  let client: Client;
  before(async () => {
    app = await startTestApp();
    await seedReportData();
    await buildUser('admin');
    const viewer = await buildUser('viewer');
    client = new Client(app.url);
    await client.signIn(viewer.email, testPassword);
  });
  after(async () => {
    await app.close();
  });

  it('shows a change made after the last view at once', async () => {
    expect(lostCount((await client.get('/reports')).body)).to.equal(expected.all.lost);
    expect(lostCount((await client.get('/reports')).body)).to.equal(expected.all.lost);

    const added = await Deal.create(lostDeal('CACHE-1'));
    expect(lostCount((await client.get('/reports')).body)).to.equal(expected.all.lost + 1);

    await Deal.updateOne({ _id: added._id }, { $set: { status: 'won' } });
    expect(lostCount((await client.get('/reports')).body)).to.equal(expected.all.lost);
  });

  it('renews the change token on every kind of write, also one that failed part-way', async () => {
    const tokens = [await changeToken('reports')];
    const renewed = async () => {
      const token = await changeToken('reports');
      expect(tokens).not.to.include(token);
      tokens.push(token);
    };
    await Deal.insertMany([lostDeal('CACHE-2'), lostDeal('CACHE-3')]);
    await renewed();
    await Deal.updateMany({ externalId: mongoose.trusted({ $in: ['CACHE-2', 'CACHE-3'] }) }, { $set: { amount: 2000 } });
    await renewed();
    const doc = await Deal.findOne({ externalId: 'CACHE-2' });
    doc!.amount = 3000;
    await doc!.save();
    await renewed();
    // CACHE-3 exists: the first deal is stored, the second refused.
    const failed = await Deal.insertMany([lostDeal('CACHE-4'), lostDeal('CACHE-3')], { ordered: true }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failed).to.be.an('error');
    expect(await Deal.countDocuments({ externalId: 'CACHE-4' })).to.equal(1);
    await renewed();
    await Deal.deleteMany({ externalId: mongoose.trusted({ $in: ['CACHE-2', 'CACHE-3', 'CACHE-4'] }) });
    await renewed();
  });
});
