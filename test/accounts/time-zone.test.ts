// Each staff member sees times in their own time zone, or the program's when they chose none: on the
// deal, the invitation queue and the hold-off page alike, with the zone named. A zone that is not one
// is refused with a message, and what was typed stays.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { User } from '../../src/accounts/model.ts';
import { AuditEntry } from '../../src/audit/model.ts';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Interview } from '../../src/interviews/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };
/** How a time reads in a zone: day, month, year, hour and minute, and the zone's short name. */
const inZone = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);

describe('staff time zones', () => {
  useTestDatabase('staff_time_zones');
  const app = useTestApp();
  const browser = useBrowser();
  beforeEach(async () => {
    await clearCollections();
    await buildUser('admin');
    await saveProgram({ ...defaultProgram, timeZone: 'Europe/Berlin' });
  });

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${app.url}/sign-in`);
    await page.fill('#email', email);
    await page.fill('#password', testPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${app.url}/`);
  }

  it('a marketer who chose Asia/Tokyo sees the deal’s, the queue’s and the hold-off’s times in Tokyo time; another sees them in the program’s zone', async function () {
    this.timeout(90_000);
    const tokyo = await buildUser('marketer', { name: 'Tomo Tokyo' });
    const berlin = await buildUser('marketer', { name: 'Bea Berlin' });
    const { deal } = await upsertDeal(
      dealInputFor({ name: 'Zonal deal', contacts: [{ name: 'Kai Buyer', email: 'kai@zonal.example', primary: true }] }),
      actor,
      'api',
    );
    await markLost(deal._id, competitorLoss, actor, 'api');
    const interview = (await Interview.findOne({ dealId: deal._id }).lean())!;
    const plannedFor = interview.plannedFor!;

    const tokyoPage = await (await browser.get().context({ width: 1280 })).newPage();
    await signIn(tokyoPage, tokyo.email);
    await tokyoPage.goto(`${app.url}/account`);
    expect(await tokyoPage.textContent('#time-zone-now')).to.contain('Europe/Berlin, the program’s time zone');
    // A misspelt zone: refused, with the reason beside the field, and the typing kept.
    await tokyoPage.fill('#timeZone', 'Asia/Tokio');
    await tokyoPage.click('form[action="/account/time-zone"] button[type="submit"]');
    expect(await tokyoPage.textContent('#timeZone-error')).to.contain('Choose a time zone from the list, such as Europe/Berlin');
    expect(await tokyoPage.inputValue('#timeZone')).to.equal('Asia/Tokio');
    await tokyoPage.fill('#timeZone', 'asia/tokyo');
    await tokyoPage.click('form[action="/account/time-zone"] button[type="submit"]');
    await tokyoPage.waitForURL(`${app.url}/account`);
    expect(await tokyoPage.textContent('[role="status"]')).to.contain('Saved: your pages show times in Asia/Tokyo.');
    expect(await tokyoPage.inputValue('#timeZone')).to.equal('Asia/Tokyo');

    const berlinPage = await (await browser.get().context({ width: 1280 })).newPage();
    await signIn(berlinPage, berlin.email);

    const views: [Page, string, string][] = [
      [tokyoPage, 'Asia/Tokyo', 'Europe/Berlin'],
      [berlinPage, 'Europe/Berlin', 'Asia/Tokyo'],
    ];
    for (const [page, zone, other] of views) {
      const shown = inZone(plannedFor, zone);
      expect(shown, 'the two zones read differently').not.to.equal(inZone(plannedFor, other));

      await page.goto(`${app.url}/deals/${String(deal._id)}`);
      const dealText = (await page.textContent('main')) ?? '';
      expect(dealText, `${zone}: the deal`).to.contain(`invitation ${shown}`).and.not.contain(inZone(plannedFor, other));

      await page.goto(`${app.url}/interviews/queue`);
      const row = page.locator('tr', { hasText: 'Kai Buyer' });
      expect(await row.locator('td').first().textContent(), `${zone}: the queue`).to.equal(shown);
      expect(await page.textContent('main'), `${zone}: the queue names its zone`).to.contain(`(times in ${zone})`);

      await page.goto(`${app.url}/interviews/${String(interview._id)}/hold-off`);
      expect(await page.textContent('main'), `${zone}: the hold-off page`).to.contain(`to be invited ${shown}`);
    }
    expect(await AuditEntry.countDocuments({ action: 'user.time_zone_changed', target: tokyo.email })).to.equal(1);
  });

  it('an admin sets or clears someone’s zone on the users page; a zone that is not one is refused beside that person, as typed', async () => {
    const admin = await buildUser('admin');
    const rep = await buildUser('sales', { name: 'Sam Sales' });
    const c = new Client(app.url);
    await c.signIn(admin.email, testPassword);
    const page = await c.get('/admin/users');
    expect(page.body)
      .to.contain(`id="timeZone-${String(rep._id)}"`)
      .and.contain('placeholder="Program’s (Europe/Berlin)"')
      .and.contain('<option value="Asia/Tokyo">');

    const bad = await c.submit('/admin/users', `/admin/users/${String(rep._id)}/time-zone`, { timeZone: 'Mars/Olympus <b>' });
    expect(bad.status).to.equal(400);
    expect(bad.body).to.match(new RegExp(`<p class="field-error" id="timeZone-${String(rep._id)}-error">Choose a time zone from the list`));
    expect(bad.body).to.contain('value="Mars/Olympus &lt;b&gt;"');
    expect((await User.findById(rep._id).lean())?.timeZone).to.equal(undefined);

    expect((await c.submit('/admin/users', `/admin/users/${String(rep._id)}/time-zone`, { timeZone: 'America/New_York' })).status).to.equal(303);
    expect((await User.findById(rep._id).lean())?.timeZone).to.equal('America/New_York');
    expect((await c.submit('/admin/users', `/admin/users/${String(rep._id)}/time-zone`, { timeZone: '' })).status).to.equal(303);
    expect((await User.findById(rep._id).lean())?.timeZone).to.equal(undefined);

    // Sales cannot set anyone's zone.
    const sales = new Client(app.url);
    await sales.signIn(rep.email, testPassword);
    expect((await sales.submit('/account', `/admin/users/${String(admin._id)}/time-zone`, { timeZone: 'Asia/Tokyo' })).status).to.equal(403);
  });
});
