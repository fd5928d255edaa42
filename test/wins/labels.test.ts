// Once won deals are interviewed, the marketer and the rep see on every list which decision an interview
// is about, and nothing tells a won deal's rep or buyer about "the loss".
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Deal } from '../../src/deals/model.ts';
import { changeOutcome, markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Interview } from '../../src/interviews/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };

describe('won and lost interviews, told apart on the staff pages', function () {
  this.timeout(120_000);
  useTestDatabase('wins_labels');
  const browser = useBrowser();
  let app: TestApp;
  let page: Page;
  let wonDealId: string;
  let wonInterviewId: string;

  before(async () => {
    app = await startTestApp();
    await clearCollections();
    await saveProgram({ ...defaultProgram, winPercent: 100 });
    await buildUser('admin');
    const marketer = await buildUser('marketer', { name: 'Mia Marketer' });
    const lost = await upsertDeal(
      dealInputFor({ name: 'Initech renewal', contacts: [{ name: 'Lou Lost', email: 'lou@initech.example', primary: true }] }),
      actor,
      'api',
    );
    await markLost(lost.deal._id, competitorLoss, actor, 'api');
    const won = await upsertDeal(
      dealInputFor({ name: 'Northwind fleet', contacts: [{ name: 'Wes Won', email: 'wes@northwind.example', primary: true }] }),
      actor,
      'api',
    );
    const { plan } = await changeOutcome(won.deal._id, 'won', actor, 'api');
    expect(plan?.outcome).to.equal('planned');
    wonDealId = String(won.deal._id);
    wonInterviewId = String((await Interview.findOne({ dealId: won.deal._id }).lean())!._id);

    page = await (await browser.get().context({ width: 1200 })).newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.fill('#email', marketer.email);
    await page.fill('#password', testPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL((u) => u.pathname !== '/sign-in');
  });
  after(async () => {
    await app.close();
  });

  const rowTag = async (buyer: string) => (await page.locator('tr', { hasText: buyer }).locator('.outcome-tag').textContent())?.trim();

  it('the interviews list tags each interview won or lost, and filters by it', async () => {
    await page.goto(`${app.url}/interviews`);
    expect(await page.locator('th', { hasText: 'About' }).count()).to.equal(1);
    expect(await rowTag('Wes Won')).to.equal('Won deal');
    expect(await rowTag('Lou Lost')).to.equal('Lost deal');

    await page.selectOption('select[name="outcome"]', 'won');
    await page.click('form.filters button[type="submit"]');
    await page.waitForURL(/outcome=won/);
    expect(await page.locator('tbody tr').count()).to.equal(1);
    expect(await rowTag('Wes Won')).to.equal('Won deal');
    expect(await page.inputValue('select[name="outcome"]'), 'the filter stays chosen').to.equal('won');

    await page.goto(`${app.url}/interviews?outcome=lost`);
    expect(await page.locator('tbody tr').count()).to.equal(1);
    expect(await rowTag('Lou Lost')).to.equal('Lost deal');
  });

  it('the invitation queue and the deal page say which decision the buyer is asked about', async () => {
    await page.goto(`${app.url}/interviews/queue?days=30`);
    expect(await rowTag('wes@northwind.example')).to.equal('Won deal');
    expect(await rowTag('lou@initech.example')).to.equal('Lost deal');

    await page.goto(`${app.url}/deals/${wonDealId}`);
    expect((await page.locator('article.answer .outcome-tag').textContent())?.trim()).to.equal('Won deal');
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).to.contain('within 24 hours of the win').and.not.contain('of the loss');
    // The plan's timeline note counts the cool-off from the win.
    expect(body)
      .to.match(/business days? after the win/)
      .and.not.contain('after the loss');

    await page.goto(`${app.url}/interviews/${wonInterviewId}/hold-off`);
    expect(await page.locator('main').textContent()).to.contain('to say why the deal was won');

    // The interview's own page (answers, live interview) says it too.
    await page.goto(`${app.url}/interviews/${wonInterviewId}/answers`);
    expect((await page.locator('h1 .outcome-tag').textContent())?.trim()).to.equal('Won deal');
  });

  it('past the window, a won deal’s hold-off is refused in the win’s words', async () => {
    await Deal.updateOne({ _id: wonDealId }, { $set: { wonAt: new Date(Date.now() - 3 * 86_400_000) } });
    await page.goto(`${app.url}/interviews/${wonInterviewId}/hold-off`);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).to.contain('The hold-off window (24 hours after the win) has passed.');
    expect(text).not.to.contain('the loss');
  });
  it('the deals list dates a won deal by its win, under a heading for both outcomes', async () => {
    await page.goto(`${app.url}/deals`);
    const headings = (await page.locator('thead th').allTextContents()).map((t) => t.trim());
    expect(headings).to.include.members(['Decided', 'Competitor']).and.not.include('Lost to');
    const column = headings.indexOf('Decided');
    const wonAt = (await Deal.findById(wonDealId).lean())!.wonAt!;
    const cell = await page.locator('tr', { hasText: 'Northwind fleet' }).locator('td').nth(column).textContent();
    expect(cell?.trim()).to.equal(new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(wonAt));
  });
  it('the program page says its cool-off and hold-off count from the win too', async () => {
    await page.goto(`${app.url}/settings/program`);
    const describedBy = async (id: string) => page.locator(`#${(await page.locator(id).getAttribute('aria-describedby'))?.split(' ')[0]}`).textContent();
    expect(await describedBy('#coolOffBusinessDays')).to.contain('business days after the loss (or the win)');
    expect(await describedBy('#holdOffHours')).to.contain('after the loss (or the win) the rep may hold the interview off');
  });
});
