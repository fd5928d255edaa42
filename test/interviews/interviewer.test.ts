// A fresh install has an admin and no interviewer: no buyer ever gets an email signed by no one. The
// interview waits, every page where staff look says why, and once someone can sign (the admin who
// chooses to interview buyers, a marketer added later) what waited goes out in their name.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { sendEmailJob } from '../../jobs/send-email.ts';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Deal } from '../../src/deals/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { sendTime } from '../../src/interviews/planner.ts';
import { dispatchWaitingForInterviewer } from '../../src/outbox/dispatch.ts';
import { MailSend } from '../../src/outbox/model.ts';
import { sendKey } from '../../src/outbox/model.ts';
import { defaultProgram, loadProgram, saveProgram } from '../../src/program/model.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { dispatchAndDrain, drainJobs } from '../helpers/outbox.ts';

const actor = { type: 'system' as const, email: 'test' };
const day = 86_400_000;

describe('no buyer email without a real interviewer', function () {
  this.timeout(120_000);
  useTestDatabase('interviewer');
  const browser = useBrowser();
  let app: TestApp;
  let mail: TestMail;
  let page: Page;

  before(async () => {
    mail = await startTestMail();
    app = await startTestApp({ mailer: mail.mailer, worker: true, env: { MAIL_FROM: 'Acme Analytics <hello@acme.example>' } });
  });
  after(async () => {
    await app.close();
    await mail.close();
  });
  beforeEach(async () => {
    await clearCollections();
    await saveProgram({ ...defaultProgram, timeZone: 'UTC' });
  });

  const toBuyer = async (email: string) => (await mail.caught()).filter((m) => m.envelopeTo.includes(email));

  async function signIn(email: string): Promise<void> {
    page = await (await browser.get().context({ width: 1200 })).newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.fill('#email', email);
    await page.fill('#password', testPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${app.url}/`);
  }

  /** A deal lost a while ago, whose invitation came due (and its job ran) while no one could sign it. */
  async function dueWithNoInterviewer() {
    const input = dealInputFor({
      name: 'Initech renewal',
      contacts: [{ name: 'Bea Buyer', email: 'bea@initech.example', timeZone: 'Europe/Berlin', primary: true }],
    });
    const { deal } = await upsertDeal(input, actor, 'api');
    const { plan } = await markLost(deal._id, { ...competitorLoss, lostAt: new Date(Date.now() - 10 * day) }, actor, 'api');
    expect(plan.outcome).to.equal('planned');
    expect(plan.outcome === 'planned' && plan.reason).to.contain('waits for an interviewer');
    const interview = await Interview.findOne({ dealId: deal._id }).lean();
    expect(interview?.interviewer?.email, 'no one to sign it').to.equal(undefined);
    // Its time has come: the invitation's job runs now.
    await Interview.updateOne({ _id: interview!._id }, { $set: { plannedFor: new Date(Date.now() - 60_000) } });
    await dispatchAndDrain(app.queue);
    return { deal, interviewId: interview!._id };
  }

  it('with only an admin, the invitation waits, nothing reaches the buyer, and the deal, the queue, the interviews and the overview say why', async () => {
    const admin = await buildUser('admin', { name: 'Ada Admin', email: 'ada@acme.example' });
    const { deal, interviewId } = await dueWithNoInterviewer();
    expect(await toBuyer('bea@initech.example'), 'no nameless email to the buyer').to.have.length(0);
    const record = await MailSend.findById(sendKey('invitation', interviewId)).lean();
    expect(record?.state, 'waiting, not failed, not skipped').to.equal('waiting');
    const interview = await Interview.findById(interviewId).lean();
    expect(interview?.state).to.equal('planned');
    expect(interview?.awaitingInterviewer).to.equal(true);

    await signIn(admin.email);
    await page.goto(`${app.url}/deals/${String(deal._id)}`);
    expect(await page.locator('article.answer .waiting').innerText())
      .to.contain('Waiting for an interviewer')
      .and.contain('nothing has gone to the buyer');
    await page.goto(`${app.url}/interviews/queue?days=30`);
    expect(await page.locator('tr', { hasText: 'Initech renewal' }).innerText()).to.contain('None yet: waits for an interviewer');
    // "Send now" cannot make it go: it says why instead.
    await page.locator('tr', { hasText: 'Initech renewal' }).locator('button', { hasText: 'Send now' }).click();
    await page.waitForLoadState();
    expect(await page.locator('p.notice').innerText()).to.contain('Not sent: No one can sign the buyer’s emails yet');
    await drainJobs();
    expect(await toBuyer('bea@initech.example')).to.have.length(0);
    await page.goto(`${app.url}/interviews`);
    expect(await page.locator('tr', { hasText: 'Initech renewal' }).innerText()).to.contain('None yet: waits for an interviewer');
    await page.goto(`${app.url}/`);
    const step = page.locator('[data-step="interviewer"]');
    expect(await step.innerText())
      .to.contain('Add at least one interviewer')
      .and.contain('To do')
      .and.contain('No one signs buyers’ emails yet');
  });

  it('once the admin interviews buyers, the invitation that waited is planned for the next sendable time and goes out signed by them', async () => {
    const admin = await buildUser('admin', { name: 'Ada Admin', email: 'ada@acme.example' });
    const { deal, interviewId } = await dueWithNoInterviewer();
    await signIn(admin.email);
    await page.goto(`${app.url}/account`);
    await page.locator('button', { hasText: 'Interview buyers myself' }).click();
    await page.waitForLoadState();
    expect(await page.locator('p.notice').innerText()).to.contain('You interview buyers now');

    const now = new Date();
    expect(await dispatchWaitingForInterviewer(now)).to.equal(1);
    const named = await Interview.findById(interviewId).lean();
    expect(named?.interviewer).to.deep.include({ name: 'Ada Admin', email: 'ada@acme.example' });
    expect(named?.awaitingInterviewer).to.equal(undefined);
    // Waited past its time: the next time the planner would pick now, in the buyer's sending hours.
    const lostAt = (await Deal.findById(deal._id).lean())!.lostAt!;
    const expected = sendTime(lostAt, await loadProgram(), 'Europe/Berlin', now).sendAt;
    expect(named?.plannedFor?.getTime()).to.equal(expected.getTime());
    const record = await MailSend.findById(sendKey('invitation', interviewId)).lean();
    expect(record).to.deep.include({ state: 'pending' });
    expect(record?.dueAt.getTime()).to.equal(expected.getTime());

    // A marketer who does not want to wait for the hours sends it now from the queue.
    await page.goto(`${app.url}/interviews/queue?days=30`);
    expect(await page.locator('tr', { hasText: 'Initech renewal' }).innerText()).to.contain('Ada Admin');
    await page.locator('tr', { hasText: 'Initech renewal' }).locator('button', { hasText: 'Send now' }).click();
    await page.waitForLoadState();
    await drainJobs();
    const [invite, ...more] = await toBuyer('bea@initech.example');
    expect(more).to.have.length(0);
    expect(invite?.from).to.match(/^"Ada Admin" </);
    expect(invite?.replyTo).to.contain('ada@acme.example');
    expect(invite?.text).to.contain('I am Ada Admin,').and.contain('\nAda Admin\n');
    expect(invite?.text).not.to.contain('I am Acme Analytics');
    await page.goto(`${app.url}/deals/${String(deal._id)}`);
    expect(await page.locator('article.answer .waiting').count()).to.equal(0);
    expect(await page.locator('article.answer').innerText())
      .to.contain('interviewer Ada Admin')
      .and.contain('Invited');
  });

  it('a marketer added later signs an invitation planned while there was no one, at its planned time', async () => {
    const { deal } = await upsertDeal(dealInputFor({ contacts: [{ name: 'Cal Buyer', email: 'cal@globex.example', primary: true }] }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const planned = (await Interview.findOne({ dealId: deal._id }).lean())!;
    expect(planned.awaitingInterviewer).to.equal(true);
    expect(await dispatchWaitingForInterviewer(), 'no one yet').to.equal(0);

    await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@acme.example' });
    expect(await dispatchWaitingForInterviewer()).to.equal(1);
    const named = (await Interview.findById(planned._id).lean())!;
    expect(named.interviewer).to.deep.include({ name: 'Mia Marketer', email: 'mia@acme.example' });
    expect(named.plannedFor?.getTime(), 'still ahead: it keeps its time').to.equal(planned.plannedFor?.getTime());
    await dispatchAndDrain(app.queue); // handed to the outbox: the invitation's job waits for its time
    // Its time comes.
    await app.queue.enqueue(sendEmailJob, { key: sendKey('invitation', planned._id) });
    await drainJobs();
    const [invite] = await toBuyer('cal@globex.example');
    expect(invite?.from).to.contain('Mia Marketer');
    expect(invite?.text).to.contain('I am Mia Marketer,');
  });
});
