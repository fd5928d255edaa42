// With the demo workspace, the report reads like a real one: themes with quotes (before and after a
// themes run), what buyers missed, competitors, the gap and the ratings.
import { expect } from 'chai';
import { seedDemoWorkspace } from '../../src/demo/seed.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { ThemeSnapshot } from '../../src/themes/model.ts';
import { recomputeThemes } from '../../src/themes/snapshots.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';

function themeCards(body: string): { label: string; quotes: number }[] {
  return [...body.matchAll(/<article class="theme-card"[^>]*>\s*<h3>([^<]+)<([\s\S]*?)<\/article>/g)].map((m) => ({
    label: m[1]!.trim(),
    quotes: (m[2]!.match(/<blockquote>/g) ?? []).length,
  }));
}

describe('the report on the demo workspace', function () {
  this.timeout(120_000);
  useTestDatabase('reports_demo');
  let app: TestApp;
  let client: Client;
  before(async () => {
    expect(await seedDemoWorkspace(true, createLogger('silent'))).to.equal('seeded');
    app = await startTestApp();
    await buildUser('admin');
    const sales = await buildUser('sales');
    client = new Client(app.url);
    await client.signIn(sales.email, testPassword);
  });
  after(async () => {
    await app.close();
  });

  it('without a themes snapshot: themes from the buyers’ reasons, with quotes', async () => {
    await ThemeSnapshot.deleteMany({});
    const res = await client.get('/reports');
    expect(res.status).to.equal(200);
    const cards = themeCards(res.body);
    expect(cards.length).to.be.at.least(4);
    expect(cards.filter((c) => c.quotes >= 2).length).to.be.at.least(3);
  });

  it('after a themes run: the pipeline’s themes with 2 or 3 quotes each, and what buyers missed', async () => {
    await recomputeThemes('reasons');
    await recomputeThemes('helped');
    const res = await client.get('/reports');
    expect(res.body).to.contain('Themes as of');
    // the demo's 36 answers over nine reasons: the report says its themes are the reasons
    expect(res.body)
      .to.contain('Few answers so far, so each theme is the loss reason the buyer chose')
      .and.contain('Few answers so far, so what buyers missed is grouped by the loss reason each buyer chose.');
    const cards = themeCards(res.body);
    expect(cards.length).to.be.at.least(3);
    for (const c of cards.filter((x) => !/unclear/i.test(x.label)).slice(0, 3)) expect(c.quotes, c.label).to.be.within(1, 3);
    expect(res.body).to.contain('id="helped-table"');
    expect(res.body).to.contain('id="competitors-table"');
    expect(res.body).to.match(/On \d+ deals with both views/);
    expect(res.body).to.match(/<tr data-factor="price"><td>Price<\/td><td class="num">\d+<\/td><td class="num">\d\.\d<\/td><\/tr>/);
  });
});
