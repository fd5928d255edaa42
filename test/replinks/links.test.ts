// The rep's emailed links work without a Debrief account, for that rep, that deal and that purpose
// alone: a CRM owner with no account follows them from the real email (sent over SMTP) in Chromium,
// holds the interview off and gives their view; a link cannot do the other link's work, an expired or
// used one says so calmly and whom to write to, a wrong one is a 404, guesses are limited, posts from
// other sites are refused, and the tokens never reach the logs.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { User } from '../../src/accounts/model.ts';
import { AuditEntry } from '../../src/audit/model.ts';
import { DealHistory } from '../../src/deals/history.ts';
import { Deal } from '../../src/deals/model.ts';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Interview } from '../../src/interviews/model.ts';
import type { CaughtMailDoc } from '../../src/mail/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { captureLogs } from '../helpers/logs.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { dispatchAndDrain, drainJobs } from '../helpers/outbox.ts';

const actor = { type: 'system' as const, email: 'test' };
/** The stored links, read as the database holds them (hashes only). */
const repLinks = () => mongoose.connection.db!.collection('replinks');
const repEmail = 'casey@crm-only.test';

describe('the rep’s links, without an account', function () {
  this.timeout(120_000);
  useTestDatabase('rep_links');
  const browser = useBrowser();
  const logs = captureLogs('info');
  let app: TestApp;
  let mail: TestMail;
  before(async () => {
    mail = await startTestMail();
    app = await startTestApp({ mailer: mail.mailer, worker: true, logger: logs.logger });
  });
  after(async () => {
    await app.close();
    await mail.close();
  });
  beforeEach(async () => {
    await clearCollections();
    await saveProgram({ ...defaultProgram });
    await buildUser('admin');
    await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
  });

  /** A lost deal owned by a CRM owner with no account, and the links of the notice they were emailed. */
  async function lostDealWithNotice(name = 'Initech renewal') {
    const { deal } = await upsertDeal(dealInputFor({ name, ownerEmail: repEmail, ownerName: 'Casey Closer' }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    await dispatchAndDrain(app.queue);
    const notice = (await mail.caught()).find((m: CaughtMailDoc) => m.envelopeTo.includes(repEmail) && m.subject.includes(name));
    if (!notice) throw new Error('the rep got no notice');
    const link = (pattern: RegExp) => {
      const found = pattern.exec(notice.text ?? '');
      return found ? new URL(found[0]).pathname : null;
    };
    const interview = (await Interview.findOne({ dealId: deal._id }).lean())!;
    return { deal, interview, notice, holdOff: link(/https?:\/\/\S+\/r\/hold-off\/[\w-]{43}/), debrief: link(/https?:\/\/\S+\/r\/debrief\/[\w-]{43}/) };
  }

  const get = (path: string, init: RequestInit = {}) => fetch(`${app.url}${path}`, { redirect: 'manual', ...init });
  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    get(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });

  it('a CRM owner with no account follows the emailed links in a browser: holds the interview off, then gives their view', async () => {
    const { deal, interview, notice, holdOff, debrief } = await lostDealWithNotice();
    expect(holdOff, 'the email holds a hold-off link').to.be.a('string');
    expect(debrief, 'the email holds a link to give one’s view').to.be.a('string');
    expect(notice.html).to.contain(`${holdOff}"`).and.contain(`${debrief}"`);
    expect(notice.text).to.contain('need no Debrief account');
    expect(notice.addresseeOnly, 'the dev mailbox shows it to the rep only').to.equal(true);

    const context = await browser.get().context();
    const page = await context.newPage();
    await page.goto(`${app.url}${holdOff}`);
    expect(new URL(page.url()).pathname, 'no sign-in page').to.equal(holdOff);
    expect(await page.locator('h1').textContent()).to.equal('Hold off this interview');
    const text = await page.locator('main').innerText();
    expect(text).to.contain('Initech renewal').and.contain(interview.contact!.name).and.contain('Mia Marketer');
    expect(await page.locator('nav[aria-label="Main"]').count(), 'nothing else of Debrief').to.equal(0);
    await page.fill('#reason', 'Too short');
    await page.click('button[type="submit"]');
    expect(await page.locator('#reason-error').textContent()).to.contain('10 characters or more');
    expect(await page.inputValue('#reason'), 'what was typed is kept').to.equal('Too short');
    await page.fill('#reason', 'They are renegotiating the renewal with our CEO this week.');
    await page.click('button[type="submit"]');
    await page.waitForSelector('h1:text("Held off")');
    expect(await page.locator('main').innerText()).to.contain('will not be invited');

    const held = (await Interview.findById(interview._id).lean())!;
    expect(held.state).to.equal('held');
    expect(held.holdOff).to.deep.include({ by: repEmail, reason: 'They are renegotiating the renewal with our CEO this week.' });
    await drainJobs();
    const told = (await mail.caught()).filter((m) => m.envelopeTo.includes('mia@debrief.test') && /Held off by the rep/.test(m.subject));
    expect(told, 'the interviewer is told').to.have.length(1);

    await page.goto(`${app.url}${debrief}`);
    expect(new URL(page.url()).pathname).to.equal(debrief);
    expect(await page.locator('h1').textContent()).to.equal('Why was Initech renewal lost?');
    await page.check('input[name="reasonCode"][value="product_fit"]');
    await page.fill('#note', 'They needed SSO on day one.');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\?saved=1$/);
    expect(await page.locator('.notice').textContent()).to.contain('your view is kept');
    expect(await page.isChecked('input[name="reasonCode"][value="product_fit"]'), 'the saved view, to change if need be').to.equal(true);
    const saved = (await Deal.findById(deal._id).lean())!;
    expect(saved.repReason).to.deep.include({ code: 'product_fit', note: 'They needed SSO on day one.' });
    // Both are the rep's, through their link: in the audit log and the deal's history.
    const audited = await AuditEntry.findOne({ action: 'interview.held' }).lean();
    expect(audited).to.include({ actorType: 'rep_link', actorEmail: repEmail });
    expect(await DealHistory.findOne({ dealId: deal._id, event: 'rep_view' }).lean()).to.include({ actor: repEmail, via: 'link' });
    await context.close();
  });

  it('a link does its own work only, on its own deal: the hold-off link gives no view, the view’s link holds nothing off, a wrong token is a 404', async () => {
    const { deal, interview, holdOff, debrief } = await lostDealWithNotice('Hooli rollout');
    const other = await lostDealWithNotice('Umbrella expansion');
    const holdOffToken = holdOff!.split('/').pop()!;
    const debriefToken = debrief!.split('/').pop()!;

    expect((await get(`/r/debrief/${holdOffToken}`)).status).to.equal(404);
    expect((await post(`/r/debrief/${holdOffToken}`, { reasonCode: 'price' })).status).to.equal(404);
    expect((await get(`/r/hold-off/${debriefToken}`)).status).to.equal(404);
    expect((await post(`/r/hold-off/${debriefToken}`, { reason: 'Not now, they are in a renewal.' })).status).to.equal(404);
    expect((await Interview.findById(interview._id).lean())!.state, 'nothing held off').to.equal('planned');
    expect((await Deal.findById(deal._id).lean())!.repReason?.code, 'no view saved').to.equal('price');

    // Made-up tokens: well-formed or not.
    const wrong = await get(`/r/hold-off/${'A'.repeat(43)}`);
    expect(wrong.status).to.equal(404);
    expect(await wrong.text())
      .to.contain('This link does not open anything')
      .and.not.contain('Hooli');
    expect((await get('/r/debrief/short')).status).to.equal(404);
    expect((await get(`/r/debrief/${debriefToken}/extra`)).status).to.equal(404);

    // Each page shows its own deal and nothing of another.
    const page = await (await get(debrief!)).text();
    expect(page).to.contain('Hooli rollout').and.not.contain('Umbrella expansion');
    expect(page).not.to.contain(String(other.deal._id));
    // A view saved through the link changes that deal only.
    expect((await post(debrief!, { reasonCode: 'support', note: 'Slow answers in the trial.' })).status).to.equal(303);
    expect((await Deal.findById(deal._id).lean())!.repReason).to.deep.include({ code: 'support' });
    expect((await Deal.findById(other.deal._id).lean())!.repReason?.code).to.equal('price');
  });

  it('an expired, used or overtaken link says so calmly and whom to write to', async () => {
    const { interview, holdOff, debrief } = await lostDealWithNotice();
    const mailto = 'href="mailto:mia@debrief.test"';

    // The rep's view: 30 days after the email.
    await repLinks().updateOne({ purpose: 'debrief', interviewId: interview._id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await get(debrief!);
    expect(expired.status).to.equal(410);
    const expiredText = await expired.text();
    expect(expiredText).to.contain('This link has expired').and.contain(mailto);
    expect((await post(debrief!, { reasonCode: 'support' })).status, 'and saves nothing').to.equal(410);

    // The hold-off: the window after the loss has closed.
    await repLinks().updateOne({ purpose: 'hold_off', interviewId: interview._id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const closed = await get(holdOff!);
    expect(closed.status).to.equal(410);
    expect(await closed.text())
      .to.contain('The hold-off window has closed')
      .and.contain(mailto);
    expect((await post(holdOff!, { reason: 'They are renegotiating the renewal.' })).status).to.equal(410);
    expect((await Interview.findById(interview._id).lean())!.state).to.equal('planned');

    // The invitation went out: too late, whatever the window says.
    const sent = await lostDealWithNotice('Hooli rollout');
    await Interview.updateOne({ _id: sent.interview._id }, { $set: { state: 'invited' } });
    const late = await get(sent.holdOff!);
    expect(late.status).to.equal(410);
    expect(await late.text())
      .to.contain('Too late to hold off')
      .and.contain(mailto);

    // Used: held off already, the link says so (and no second hold-off is recorded).
    const used = await lostDealWithNotice('Umbrella expansion');
    expect((await post(used.holdOff!, { reason: 'They are renegotiating the renewal.' })).status).to.equal(303);
    const again = await get(used.holdOff!);
    expect(again.status).to.equal(200);
    expect(await again.text())
      .to.contain('Held off')
      .and.contain('will not be invited');
    expect((await post(used.holdOff!, { reason: 'A second time, from another tab.' })).status).to.equal(200);
    expect((await Interview.findById(used.interview._id).lean())!.holdOff?.reason).to.equal('They are renegotiating the renewal.');

    // The deal changed hands: the old owner's links stop.
    const moved = await lostDealWithNotice('Globex pilot');
    await Deal.updateOne({ _id: moved.deal._id }, { $set: { ownerEmail: 'someone-else@debrief.test' } });
    const notYours = await get(moved.debrief!);
    expect(notYours.status).to.equal(410);
    expect(await notYours.text()).to.contain('no longer works for you');
  });

  it('a rep with an account sees the same pages signed in; posts from another site are refused; guesses are limited; tokens stay out of the logs', async () => {
    const rep = await buildUser('sales', { email: repEmail, name: 'Casey Closer' });
    const { interview, holdOff, debrief } = await lostDealWithNotice();

    const signedIn = new Client(app.url);
    await signedIn.signIn(rep.email, testPassword);
    const linked = await signedIn.get(holdOff!);
    expect(linked.status).to.equal(200);
    expect(linked.body).to.contain('Hold off this interview').and.contain('name="reason"');
    const staff = await signedIn.get(`/interviews/${String(interview._id)}/hold-off`);
    expect(staff.status).to.equal(200);
    expect(staff.body).to.contain('Hold off this interview').and.contain('name="reason"');
    expect((await signedIn.get(debrief!)).body).to.contain('Why was Initech renewal lost?');

    const forged = await post(holdOff!, { reason: 'Forged from another site, not by the rep.' }, { origin: 'https://evil.example' });
    expect(forged.status).to.equal(403);
    expect((await post(holdOff!, { reason: 'Forged from another site, not by the rep.' }, { 'sec-fetch-site': 'cross-site' })).status).to.equal(403);
    expect((await Interview.findById(interview._id).lean())!.state).to.equal('planned');

    // A disabled account's links stop too.
    await User.updateOne({ email: repEmail }, { $set: { disabled: true } });
    expect((await get(debrief!)).status).to.equal(410);
    await User.updateOne({ email: repEmail }, { $set: { disabled: false } });

    let last = 0;
    for (let i = 0; i < 31; i += 1) last = (await get(`/r/debrief/${String(i).padStart(43, 'x')}`)).status;
    expect(last, 'the 31st guess within 15 minutes').to.equal(429);

    const text = logs.text();
    expect(text).to.contain('"path":"/r/hold-off/…"').and.contain('"path":"/r/debrief/…"');
    for (const path of [holdOff!, debrief!]) expect(text).not.to.contain(path.split('/').pop()!);
  });
});
