// The report is kept per process until its data changes: a change made anywhere (a new lost deal, a deal
// reopened, an import that failed part-way) shows on the next view. When rebuilding takes long, the last
// figures are shown meanwhile, said to be updating and dated, never passed off as current.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Deal } from '../../src/deals/model.ts';
import { changeToken } from '../../src/lib/change-token.ts';
import { cachedReport, reportCacheTimings } from '../../src/reports/cache.ts';
import { parseFilters } from '../../src/reports/filters.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { testDatabaseUri, useTestDatabase } from '../helpers/db.ts';
import { expected, seedReportData } from './seed.ts';

const lostCount = (body: string) => Number(/data-metric="lost">([^<]*)</.exec(body)?.[1]?.trim());
const updatingNote = /these figures are as of [^<]+ and are being brought up to date/;

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
  const db = useTestDatabase('reports_cache');
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
    const body = (await client.get('/reports')).body;
    expect(lostCount(body)).to.equal(expected.all.lost);
    expect(body).not.to.match(updatingNote);
  });

  it('shows the last figures, marked as updating, while a slow rebuild runs, then the new ones', async () => {
    const before = lostCount((await client.get('/reports')).body);
    const { waitMs } = reportCacheTimings;
    reportCacheTimings.waitMs = 0; // every rebuild is "slow": the request does not wait for it
    try {
      await Deal.create(lostDeal('CACHE-SLOW'));
      const during = (await client.get('/reports')).body;
      expect(lostCount(during)).to.equal(before);
      expect(during).to.match(updatingNote);

      let after = during;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline && updatingNote.test(after); ) {
        await new Promise((r) => setTimeout(r, 50));
        after = (await client.get('/reports')).body;
      }
      expect(lostCount(after)).to.equal(before + 1);
      expect(after).not.to.match(updatingNote);
    } finally {
      reportCacheTimings.waitMs = waitMs;
      await Deal.deleteOne({ externalId: 'CACHE-SLOW' });
    }
  });

  it('concurrent requests share reads of the change token, and none misses a write made before it asked', async () => {
    const reads: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'changetokens') reads.push(method);
    });
    try {
      const before = await changeToken('reports');
      reads.length = 0;
      const tokens = await Promise.all(Array.from({ length: 20 }, () => changeToken('reports')));
      expect(new Set(tokens)).to.deep.equal(new Set([before]));
      expect(reads.length).to.be.within(1, 2);

      const onItsWay = changeToken('reports');
      await Deal.create(lostDeal('CACHE-TOKEN'));
      const asked = await changeToken('reports');
      expect(asked).not.to.equal(before);
      expect([before, asked]).to.include(await onItsWay);
    } finally {
      mongoose.set('debug', false);
      await Deal.deleteOne({ externalId: 'CACHE-TOKEN' });
    }
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

  it('a process that moves to another database is never shown the first one’s report', async () => {
    const parsed = parseFilters({});
    const { waitMs } = reportCacheTimings;
    reportCacheTimings.waitMs = 0; // the build below is "slow": a rest follows it, during which the last build is shown
    const other = testDatabaseUri('reports_cache_other');
    const home = mongoose.connection.name;
    try {
      await Deal.create(lostDeal('CACHE-DB'));
      const here = await cachedReport(parsed);
      expect(here.report.funnel.lostDeals).to.be.greaterThan(0);
      await mongoose.disconnect();
      await mongoose.connect(other);
      const there = await cachedReport(parsed);
      expect(there.report.funnel.lostDeals).to.equal(0);
      expect(there.updating).to.equal(false);
    } finally {
      reportCacheTimings.waitMs = waitMs;
      if (mongoose.connection.name !== home) {
        // mongoose builds the models' indexes in the background after a connect: let them finish, as the
        // embedded engine fails a dropDatabase that races an index build ("index not found").
        await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).init()));
        await mongoose.connection.dropDatabase();
        await mongoose.disconnect();
        await mongoose.connect(db.uri());
      }
      await Deal.deleteOne({ externalId: 'CACHE-DB' });
    }
  });
});
