// The overview and the weekly digest count won deals beside lost ones once the program interviews won
// deals, and show nothing new while it does not.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { changeOutcome, markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { transition } from '../../src/interviews/index.ts';
import { Interview } from '../../src/interviews/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { buildDigest } from '../../src/reports/digest.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };

async function lostDeal(): Promise<void> {
  const { deal } = await upsertDeal(dealInputFor(), actor, 'api');
  await markLost(deal._id, competitorLoss, actor, 'api');
}
async function wonDeal(): Promise<void> {
  const { deal } = await upsertDeal(dealInputFor(), actor, 'api');
  await changeOutcome(deal._id, 'won', actor, 'api');
}

describe('program figures with won deals beside lost ones', function () {
  this.timeout(120_000);
  useTestDatabase('wins_figures');
  const browser = useBrowser();
  let app: TestApp;
  let page: Page;

  before(async () => {
    app = await startTestApp();
    await clearCollections();
    await saveProgram(defaultProgram);
    const admin = await buildUser('admin');
    page = await (await browser.get().context({ width: 1200 })).newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.fill('#email', admin.email);
    await page.fill('#password', testPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL((u) => u.pathname !== '/sign-in');
  });
  after(async () => {
    await app.close();
  });

  const metric = async (name: string) => (await page.locator(`[data-metric="${name}"]`).textContent())?.trim();

  it('the overview shows losses alone while won deals are not interviewed, then wins beside them', async () => {
    await lostDeal();
    await wonDeal(); // at 0 %: not interviewed
    await page.goto(`${app.url}/`);
    expect(await page.locator('section.stats').count()).to.equal(1);
    expect(await page.getByRole('heading', { name: 'Won deals' }).count()).to.equal(0);
    expect(await metric('lost')).to.equal('1');

    await saveProgram({ ...defaultProgram, winPercent: 100 });
    await wonDeal();
    const win = (await Interview.findOne({ outcome: 'won' }).lean())!;
    await transition(win._id, { from: ['planned'], to: 'invited', at: new Date() });
    await page.goto(`${app.url}/`);
    const won = page.getByRole('region', { name: 'Won deals' });
    expect(await won.locator('.stat-label').allTextContents()).to.include.members(['won deals', 'invited', 'completed']);
    expect(await metric('won'), 'every won deal, asked or not').to.equal('2');
    expect(await metric('won-invited')).to.equal('1');
    expect(await page.getByRole('region', { name: 'Lost deals' }).locator('[data-metric="lost"]').textContent()).to.equal('1');
  });

  it('the weekly digest counts won deals and their answers beside lost ones, and not before the program interviews them', async () => {
    await clearCollections();
    await buildUser('admin');
    await saveProgram(defaultProgram);
    await lostDeal();
    await wonDeal();
    const week = '2026-W49';
    const before = await buildDigest(new Date(Date.now() + 60_000), week, app.config.appUrl);
    expect(before.summary).to.match(/; 1 deal was lost\. 0 answers in all\.$/);
    expect(before.wins).to.equal(undefined);

    await saveProgram({ ...defaultProgram, winPercent: 100 });
    await wonDeal();
    const after = await buildDigest(new Date(Date.now() + 60_000), week, app.config.appUrl);
    expect(after.summary).to.contain('1 deal was lost and 2 won this week').and.contain('0 answers in all (0 about lost deals, 0 about won deals)');
    expect(after.wins).to.deep.equal({ newAnswers: 0, totalAnswers: 0, newWins: 2 });
  });
});
