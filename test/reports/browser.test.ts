// The report in a real browser (headless Chromium): a bookmarked view with filters, its charts and numbers
// against the seeded data, the filter form, the print preview (navigation and filters gone), and the CSV
// download read back with csv-parse.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { forgetCachedTemplates } from '../../src/questionnaires/service.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { expected, seedReportData, type Seeded, rita } from './seed.ts';

async function bars(page: Page, chart: string): Promise<Record<string, number>> {
  const rects = page.locator(`svg[data-chart="${chart}"] rect.bar`);
  const out: Record<string, number> = {};
  for (let i = 0; i < (await rects.count()); i += 1) {
    const r = rects.nth(i);
    out[(await r.getAttribute('data-label'))!] = Number(await r.getAttribute('data-value'));
  }
  return out;
}

describe('the report in a browser', function () {
  this.timeout(120_000);
  useTestDatabase('reports_browser');
  const browser = useBrowser();
  let app: TestApp;
  let page: Page;
  let seeded: Seeded;
  before(async () => {
    forgetCachedTemplates();
    app = await startTestApp();
    seeded = await seedReportData();
    await buildUser('admin');
    // Rita, the rep whose deals the February answers are about: a rep's export holds their own deals' rows.
    const sales = await buildUser('sales', { email: rita.ownerEmail });
    const context = await browser.get().context({ width: 1200 });
    page = await context.newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.fill('#email', sales.email);
    await page.fill('#password', testPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${app.url}/`);
  });
  after(async () => {
    await app.close();
  });

  it('opens a bookmarked view with filters and shows charts that match the seeded numbers', async () => {
    await page.goto(`${app.url}/reports?from=2026-02-01&to=2026-02-28&competitor=Clearpath`);
    expect(await page.locator('h1').textContent()).to.equal('Deal review');
    expect(await page.locator('.report-scope').textContent()).to.contain('Decided from: 2026-02-01 · Decided until: 2026-02-28 · Competitor: Clearpath');
    // The period filters both sides, each by its own date: the labels and their hint say so.
    expect(await page.getByLabel('Decided from').inputValue()).to.equal('2026-02-01');
    expect(await page.getByLabel('Decided until').inputValue()).to.equal('2026-02-28');
    const hintId = await page.locator('#filter-from').getAttribute('aria-describedby');
    expect(await page.locator(`#${hintId}`).textContent()).to.contain('the day it was lost on the loss side, the day it was won on the win side');
    const e = expected.february;
    expect(await bars(page, 'funnel')).to.deep.equal({
      'Lost deals': e.lost,
      Invited: e.invited,
      Opened: e.opened,
      Completed: e.completed,
      Declined: 1,
      Expired: 1,
    });
    expect(await page.locator('[data-metric="response-rate"]').textContent()).to.equal(e.responseRate);
    expect(await page.locator('[data-metric="coverage"]').textContent()).to.equal(e.coverage);
    expect(await page.locator('[data-metric="median-days"]').textContent()).to.equal(e.median);
    // Every chart names itself for screen readers and has its table beside it.
    for (const chart of ['funnel', 'holdoffs', 'themes', 'competitors', 'ratings']) {
      const svg = page.locator(`svg[data-chart="${chart}"]`);
      expect(await svg.getAttribute('role'), chart).to.equal('img');
      expect(await svg.locator('title').textContent(), chart).to.not.equal('');
      expect(await svg.boundingBox(), chart).to.not.equal(null);
    }
    // Three answers in this view: the themes have sizes but no shares to draw.
    expect(await page.locator('[data-too-few="themes"]').textContent()).to.contain('Only 3 answers');
    expect(await bars(page, 'themes')).to.deep.equal({});
    expect(await bars(page, 'competitors')).to.deep.equal({ Clearpath: 5 });
  });

  it('the filter form keeps the view in the address, so it can be bookmarked', async () => {
    await page.goto(`${app.url}/reports`);
    expect(await bars(page, 'funnel')).to.include({ 'Lost deals': expected.all.lost, Completed: expected.all.completed });
    // Trends over months: one small line per theme.
    expect(await page.locator('svg.sparkline').count()).to.be.greaterThan(0);
    await page.selectOption('#filter-segment', 'SMB');
    await page.click('.report-filters button[type="submit"]');
    await page.waitForURL(/\/reports\?.*segment=SMB/);
    expect(await page.locator('[data-metric="lost"]').textContent()).to.equal(String(expected.smb.lost));
    expect(await page.locator('[data-metric="coverage"]').textContent()).to.equal('too few answers to read');
    expect(await page.inputValue('#filter-segment')).to.equal('SMB');
  });

  it('prints as a clean handout: no navigation, no filters, no export links', async () => {
    await page.goto(`${app.url}/reports?competitor=Clearpath`);
    expect(await page.locator('.site-header nav').isVisible()).to.equal(true);
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('.site-header').isVisible()).to.equal(false);
      expect(await page.locator('.report-filters').isVisible()).to.equal(false);
      expect(await page.locator('.report-exports').isVisible()).to.equal(false);
      expect(await page.locator('.print-only').first().isVisible()).to.equal(true);
      expect(await page.locator('svg[data-chart="funnel"]').isVisible()).to.equal(true);
      expect(await page.locator('#funnel-table').isVisible()).to.equal(true);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('downloads the answers of the view as CSV that reads back', async () => {
    await page.goto(`${app.url}/reports?from=2026-02-01&to=2026-02-28`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/reports/responses.csv"]')]);
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.response_id).sort()).to.deep.equal([4, 5, 6].map((n) => seeded.responseIds.get(n)!).sort());
  });
});
