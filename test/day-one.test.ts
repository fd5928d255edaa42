// Day one in a real browser (headless Chromium), as the first admin and a marketer meet Debrief: the
// set-up signs the admin in (and the users page says so), every page has an icon and asks for nothing
// that is not there, the deals list says where each deal's interview stands and its search box says
// what it searches in full, the invitation queue keeps its "Due within" through an action, and the
// themes page says when a new answer will show.
import { expect } from 'chai';
import type { Page, Response } from 'playwright-core';
import { markLost, upsertDeal } from '../src/deals/lifecycle.ts';
import { Interview } from '../src/interviews/model.ts';
import { defaultProgram, saveProgram } from '../src/program/model.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from './buyer/helpers.ts';
import { competitorLoss, dealInputFor } from './factories/deals.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { useBrowser } from './helpers/browser.ts';
import { useTestDatabase } from './helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };
const admin = { name: 'Ada Admin', email: 'ada@debrief.test', password: 'violet harbour lantern 7' };

/** Inputs whose placeholder is wider than the box that shows it (measured with the input's own font). */
const cutPlaceholders = `(() => {
  const ctx = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('input[placeholder]')].filter((el) => {
    const cs = getComputedStyle(el);
    ctx.font = cs.font;
    const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - (el.type === 'search' ? 16 : 0);
    return ctx.measureText(el.placeholder).width > room;
  }).map((el) => el.name);
})()`;

describe('day one in a browser', function () {
  this.timeout(180_000);
  useTestDatabase('day_one');
  const browser = useBrowser();
  let app: TestApp;
  let page: Page;
  const failed: string[] = [];

  before(async () => {
    app = await startTestApp();
    await saveProgram({ ...defaultProgram, timeZone: 'UTC' });
    page = await (await browser.get().context({ width: 1200 })).newPage();
    page.on('response', (res: Response) => {
      if (res.status() >= 400) failed.push(`${res.status()} ${new URL(res.url()).pathname}`);
    });
  });
  after(async () => {
    await app.close();
  });

  it('the set-up signs the first admin in, and the users page says when', async () => {
    await page.goto(`${app.url}/setup`);
    await page.fill('#name', admin.name);
    await page.fill('#email', admin.email);
    await page.fill('#password', admin.password);
    await page.fill('#confirm', admin.password);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${app.url}/`);
    await page.goto(`${app.url}/admin/users`);
    const row = page.locator('tr', { hasText: admin.email });
    const lastSignIn = (await row.locator('td').nth(3).innerText()).trim();
    expect(lastSignIn, 'the admin is signed in: that was a sign-in').to.match(/^\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC$/);
  });

  it('every page shows an icon, and no page asks for a file that is not there', async () => {
    failed.length = 0;
    for (const path of ['/', '/deals', '/interviews/queue', '/themes', '/reports']) {
      await page.goto(`${app.url}${path}`);
      const icons = await Promise.all((await page.locator('link[rel="icon"]').all()).map(async (l) => (await l.getAttribute('href'))!));
      expect(icons, path).to.not.be.empty;
      for (const href of [...icons, '/favicon.ico']) {
        const res = await page.request.get(`${app.url}${href}`);
        expect(res.status(), href).to.equal(200);
        expect(res.headers()['content-type'], href).to.match(/^image\//);
      }
    }
    expect(failed, 'requests that failed while the pages loaded').to.deep.equal([]);
  });

  it('the deals list says where each deal’s interview stands, and its search box says in full what it searches', async () => {
    const { deal: lost } = await upsertDeal(dealInputFor({ name: 'Initech renewal' }), actor, 'api');
    await markLost(lost._id, competitorLoss, actor, 'api');
    await upsertDeal(dealInputFor({ name: 'Globex expansion' }), actor, 'api');
    await page.goto(`${app.url}/deals`);
    const headers = await page.locator('table thead th').allInnerTexts();
    const column = headers.indexOf('Interview');
    expect(column, 'an Interview column').to.be.greaterThan(-1);
    const cell = async (deal: string) => (await page.locator('tr', { hasText: deal }).locator('td').nth(column).innerText()).trim();
    expect(await cell('Initech renewal')).to.equal('Planned');
    expect(await cell('Globex expansion')).to.equal('—');
    expect(await page.evaluate<string[]>(cutPlaceholders), 'placeholders cut off').to.deep.equal([]);
    expect(await page.getByLabel('Search deals, companies, competitors, CRM ids').count()).to.equal(1);
  });

  it('the invitation queue keeps “Due within” through “Send now” and “Remove”', async () => {
    const planned = [];
    for (const name of ['Umbrella pilot', 'Hooli rollout']) {
      const { deal } = await upsertDeal(dealInputFor({ name }), actor, 'api');
      await markLost(deal._id, competitorLoss, actor, 'api');
      planned.push(deal);
    }
    await page.goto(`${app.url}/interviews/queue`);
    await page.fill('input[name="days"]', '30');
    await page.click('form.filters button[type="submit"]');
    await page.waitForURL(/days=30/);

    await page.locator('tr', { hasText: 'Umbrella pilot' }).locator('button', { hasText: 'Send now' }).click();
    await page.waitForLoadState();
    expect(await page.inputValue('input[name="days"]')).to.equal('30');
    expect(page.url()).to.contain('days=30');
    expect(await page.locator('p.muted', { hasText: 'due in the next' }).innerText()).to.contain('next 30 days');

    const row = page.locator('tr', { hasText: 'Hooli rollout' });
    await row.locator('input[name="reason"]').fill('Their CEO is a friend of ours');
    await row.locator('button', { hasText: 'Remove' }).click();
    await page.waitForLoadState();
    expect(await page.inputValue('input[name="days"]')).to.equal('30');
    expect(page.url()).to.contain('days=30');
    expect((await Interview.findOne({ dealId: planned[1]!._id }).lean())?.state).to.equal('excluded');
  });
  it('the themes page says when a buyer’s new answer will show in the themes', async () => {
    const iv = await invitedInterview(app.config);
    const sentAt = Date.now();
    for (const [i, fields] of defaultAnswerSteps.entries()) {
      const res = await fetch(`${app.url}${iv.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), ...fields }),
      });
      expect(res.status).to.equal(303);
    }
    await page.goto(`${app.url}/themes`);
    const text = await page.locator('main').innerText();
    expect(text).not.to.contain('a few minutes');
    const m =
      /New answers are in: the themes are recomputed at (\d{1,2} \w{3} \d{4}, \d\d:\d\d) UTC \(3 minutes after new answers arrive\)\. This page refreshes itself then\./.exec(
        text,
      );
    expect(m, text).to.not.equal(null);
    const at = new Date(`${m![1]!.replace(',', '')} UTC`).getTime();
    expect(at).to.be.within(sentAt + 3 * 60_000 - 60_000, sentAt + 3 * 60_000 + 60_000);
    expect(text).to.contain('Themes are also recomputed 3 minutes after new answers arrive.');
  });
});
