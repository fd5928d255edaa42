// The prep brief on an open deal's page: lessons from the lost deals most like it, ranked by what they
// share (competitor first), with their buyers' themes, quotes and the rep-vs-buyer gaps.
import { expect } from 'chai';
import { forgetCachedTemplates } from '../../src/questionnaires/service.ts';
import { prepBrief, similarity } from '../../src/reports/brief.ts';
import { ThemeSnapshot } from '../../src/themes/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { seedReportData, tricky, type Seeded } from './seed.ts';

describe('the prep brief for an open deal', function () {
  this.timeout(60_000);
  useTestDatabase('reports_brief');
  let seeded: Seeded;
  before(async () => {
    forgetCachedTemplates();
    seeded = await seedReportData();
    await ThemeSnapshot.deleteMany({});
  });

  it('scores a lost deal by what it shares: competitor 3, product line 2, segment 2, size band 1', () => {
    const lost = {
      id: 'x',
      name: 'x',
      buyerCompany: 'x',
      amount: 60_000,
      currency: 'USD',
      segment: 'Enterprise',
      productLine: 'Analytics',
      region: null,
      ownerEmail: null,
      ownerName: null,
      competitor: 'Clearpath',
      lossType: 'competitor',
      lostAt: null,
      repReason: null,
      repNote: null,
      outcome: 'lost' as const,
      wonAt: null,
    };
    expect(similarity({ _id: 'o', competitor: 'clearpath', productLine: 'Analytics', segment: 'Enterprise', amount: 55_000 }, lost).score).to.equal(8);
    expect(similarity({ _id: 'o', competitor: 'Other', segment: 'Enterprise', amount: 500 }, lost)).to.deep.equal({ score: 2, shares: ['segment Enterprise'] });
    expect(similarity({ _id: 'o' }, lost).score).to.equal(0);
  });

  it('ranks the most similar lost deals first and draws themes, quotes and gaps from them', async () => {
    // Shares competitor, product line and size with the SMB deals (6), only the segment with the others (2).
    const brief = await prepBrief({ _id: 'open', competitor: 'Northwind', productLine: 'Surveys', segment: 'Enterprise', amount: 4_000 });
    expect(brief.similar.slice(0, 4).map((s) => s.name)).to.deep.equal(['Deal 12', 'Deal 11', 'Deal 10', 'Deal 9']); // most recent loss first among equals
    expect(
      brief.similar
        .slice(4)
        .map((s) => s.name)
        .sort(),
    ).to.deep.equal(['Deal 7', 'Deal 8']);
    expect(brief.similar.slice(0, 4).every((s) => s.score === 6)).to.equal(true);
    expect(brief.similar[0]!.shares).to.deep.equal(['competitor Northwind', 'product line Surveys', 'size Under 10,000']);
    expect(brief.similar.slice(4).every((s) => s.score === 2)).to.equal(true);
    expect(brief.answers).to.equal(7);
    expect(brief.tooFew).to.equal(false);
    // Price: deal 9 (weight 6) + deals 5 and 6 (2 each) = 10 outranks integrations: deals 1-4 (2 each) = 8.
    expect(brief.themes.map((t) => [t.label, t.answers, t.weight])).to.deep.equal([
      ['Price or commercial terms', 3, 10],
      ['Integrations with their stack', 4, 8],
    ]);
    // Deal 9's answer is internal only: the first quote comes from the next most similar, newest first.
    // Those buyers gave no name, so no deal is named beside their words (its name could say whose they are).
    expect(brief.quotes.map((q) => q.text)).to.deep.equal([tricky.at, tricky.minus, tricky.plus.replace('+1 555 0100', '[phone]')]);
    expect(brief.quotes.map((q) => [q.attribution, q.dealName])).to.deep.equal(Array(3).fill(['A buyer at an enterprise company', '']));
    expect(brief.gaps).to.deep.equal([{ rep: 'Price or commercial terms', buyer: 'Integrations with their stack', count: 4 }]);
  });

  it('a deal like no lost one gets an empty brief', async () => {
    const brief = await prepBrief({ _id: 'open', competitor: 'Nobody', segment: 'Public sector' });
    expect(brief.similar).to.deep.equal([]);
    expect(brief.answers).to.equal(0);
  });

  describe('on the deal page', () => {
    let app: TestApp;
    let client: Client;
    before(async () => {
      app = await startTestApp();
      const admin = await buildUser('admin');
      client = new Client(app.url);
      await client.signIn(admin.email, testPassword);
    });
    after(async () => {
      await app.close();
    });

    it('an open deal shows the lessons from similar lost deals', async () => {
      const res = await client.get(`/deals/${seeded.openDealId}`);
      expect(res.status).to.equal(200);
      expect(res.body).to.contain('Lessons from similar lost deals');
      expect(res.body).to.contain(`data-similar="${seeded.dealIds.get(8)}"`);
      expect(res.body).to.contain('shares competitor Clearpath, product line Analytics, segment Enterprise, size 50,000 to 99,999');
      expect(res.body).to.contain(
        'The rep said <strong>Price or commercial terms</strong>, the buyer said <strong>Integrations with their stack</strong> (4 deals)',
      );
      expect(res.body).to.not.contain(`data-similar="${seeded.dealIds.get(9)}"`);
    });

    it('a lost deal shows no brief', async () => {
      const res = await client.get(`/deals/${seeded.dealIds.get(1)}`);
      expect(res.status).to.equal(200);
      expect(res.body).to.not.contain('Lessons from similar lost deals');
    });
  });
});
