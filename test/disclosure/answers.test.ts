// How a buyer's answer is shown, to whom, everywhere it is shown: two buyers answer through the real form
// (one without her name, one by name with one answer for the team only), and every page a person reads
// (in Chromium), the weekly digest email (through the SMTP catcher), the answers CSV and the privacy
// export are read back.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { disclosureVersion } from '../../src/disclosure/index.ts';
import { buyerLinkToken } from '../../src/interviews/link.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { forgetCachedTemplates } from '../../src/questionnaires/service.ts';
import { runWeeklyDigest } from '../../src/reports/digest.ts';
import { saveDigestSettings } from '../../src/reports/digest-settings.ts';
import { ThemeSnapshot } from '../../src/themes/model.ts';
import { runRecompute } from '../../src/themes/runs.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { defaultAnswerSteps, formBody } from '../buyer/helpers.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { drainJobs } from '../helpers/outbox.ts';

const actor = { type: 'system' as const, email: 'test' };

const zoe = {
  deal: {
    name: 'Claims platform',
    buyerCompany: 'Zephyr Mutual',
    segment: 'Enterprise',
    contacts: [{ name: 'Zoe Zephyr', email: 'zoe@zephyrmutual.example', role: 'Head of CX', primary: true }],
  },
  why: 'I am Zoe Zephyr, Head of CX at Zephyr Mutual (zoe@zephyrmutual.example). Your price page hid the per-seat cost, and Zephyr Mutual needed it up front; call me on +44 20 7946 0958.',
  whyShown: 'I am [name], Head of CX at [company] ([email]). Your price page hid the per-seat cost, and [company] needed it up front; call me on [phone].',
  missing: 'A security whitepaper for the Zephyr Mutual board.',
};
const nora = {
  deal: {
    name: 'Store analytics',
    buyerCompany: 'Northwind Traders',
    segment: 'SMB',
    contacts: [{ name: 'Nora Named', email: 'nora@northwind.example', role: 'CFO', primary: true }],
  },
  why: 'Northwind Traders chose Clearpath because its price was a third lower.',
  missing: 'Nora here: the reference call we wanted never happened.',
};

/** A lost deal whose buyer answers the default questionnaire through the real form, with these texts and choices. */
async function answers(app: TestApp, who: typeof zoe.deal, texts: { why: string; whyUse: string; missing: string; missingUse: string }): Promise<void> {
  const { deal } = await upsertDeal(dealInputFor(who), actor, 'api');
  await markLost(deal._id, competitorLoss, actor, 'api');
  const interview = (await Interview.findOne({ dealId: deal._id }).lean())!;
  await Interview.updateOne({ _id: interview._id }, { $set: { state: 'invited' }, $push: { timeline: { state: 'invited', at: new Date() } } });
  const path = `/i/${await buyerLinkToken(interview._id, loadSecrets(app.config))}`;
  const steps = [
    defaultAnswerSteps[0]!,
    defaultAnswerSteps[1]!,
    { a_why_text: texts.why, 'a_why_text.use': texts.whyUse },
    { a_missing_info: texts.missing, 'a_missing_info.use': texts.missingUse, a_call_consent: 'no' },
  ];
  for (const [i, fields] of steps.entries()) {
    const res = await fetch(`${app.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ _step: String(i + 1), ...fields }),
    });
    expect(res.status, `step ${i + 1}`).to.equal(303);
  }
}

describe('how a buyer’s answer is shown, and to whom', function () {
  this.timeout(180_000);
  useTestDatabase('disclosure');
  const browser = useBrowser();
  let app: TestApp;
  let mail: TestMail;
  let page: Page;
  let marketer: Client;
  let admin: Client;
  /** Everything a person reads on a page, lower-cased. */
  const visible = async (path: string) => {
    await page.goto(`${app.url}${path}`);
    return page.locator('body').innerText();
  };
  const zoeTraces = /zoe|zephyr|zephyrmutual|7946/i;

  before(async () => {
    forgetCachedTemplates();
    mail = await startTestMail();
    app = await startTestApp({ mailer: mail.mailer, worker: true });
    await saveProgram({ ...defaultProgram, timeZone: 'UTC' });
    const root = await buildUser('admin');
    const mia = await buildUser('marketer', { name: 'Mia Marketer' });
    await buildUser('sales', { name: 'Sasha Sales', email: 'sasha@debrief.test' });
    const viewer = await buildUser('viewer');
    await answers(app, zoe.deal, { why: zoe.why, whyUse: 'anonymous', missing: zoe.missing, missingUse: 'anonymous' });
    await answers(app, nora.deal, { why: nora.why, whyUse: 'named', missing: nora.missing, missingUse: 'internal' });
    await runRecompute();
    marketer = new Client(app.url);
    await marketer.signIn(mia.email, testPassword);
    admin = new Client(app.url);
    await admin.signIn(root.email, testPassword);
    page = await (await browser.get().context({ width: 1200 })).newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.fill('#email', viewer.email);
    await page.fill('#password', testPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${app.url}/`);
  });
  after(async () => {
    await app.close();
    await mail.close();
  });

  it('the overview quotes an anonymous buyer with her name, company, email and phone wholly taken out, and a named one by name', async () => {
    const text = await visible('/');
    expect(text).to.contain(zoe.whyShown);
    expect(text).to.contain('— A buyer at an enterprise company');
    expect(text).not.to.match(zoeTraces);
    expect(text).to.contain(nora.why).and.contain('— Nora Named, CFO, Northwind Traders');
  });

  it('the themes, a theme’s answers and the report show the same, and never quote an answer given for the team only', async () => {
    const reasons = await visible('/themes?set=reasons');
    expect(reasons).to.contain(zoe.whyShown).and.not.match(zoeTraces);
    const helped = await visible('/themes?set=helped');
    expect(helped).to.contain('A security whitepaper for the [company] board.');
    expect(helped, 'Nora kept this answer for the team: never quoted').not.to.contain('the reference call we wanted never happened');
    expect(helped).not.to.match(zoeTraces);
    // Every theme's list of answers: the words, never an identity the buyer did not give.
    const themes = await Promise.all((await page.locator('ol.themes h3 a').all()).map(async (a) => (await a.getAttribute('href'))!));
    expect(themes.length).to.be.at.least(1);
    for (const href of themes) expect(await visible(href), href).not.to.match(zoeTraces);
    const report = await visible('/reports');
    expect(report).to.contain(zoe.whyShown).and.not.match(zoeTraces);
    expect(report).not.to.contain('the reference call we wanted never happened');
  });

  it('the weekly digest, the answers CSV and a theme’s answer list go through the same rule', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000);
    await saveDigestSettings(
      { enabled: true, weekday: ((tomorrow.getUTCDay() + 6) % 7) + 1, time: '00:00', recipients: 'sales', emails: [], webhookFormat: 'slack' },
      actor,
    );
    expect(await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: tomorrow })).to.deep.include({ status: 'sent', scheduled: 1 });
    await drainJobs(['email.send']);
    const digest = (await mail.caught()).find((m) => m.subject?.startsWith('Debrief weekly digest'));
    expect(digest?.text).to.contain(zoe.whyShown).and.not.match(zoeTraces);
    expect(digest?.html).not.to.match(zoeTraces);

    const csv = (await marketer.get('/reports/responses.csv', 'text/csv')).body;
    expect(csv).to.contain(zoe.whyShown);
    expect(csv, 'the buyer’s words never carry her name or address').not.to.match(/Zoe|zoe@|7946/);
    expect(csv).to.contain(nora.missing.replace('Nora', '[name]'));
  });

  it('the interview’s own record and the buyer’s privacy export keep the words as written', async () => {
    const interview = (await Interview.findOne({ 'contact.email': 'zoe@zephyrmutual.example' }).lean())!;
    const record = await marketer.get(`/interviews/${String(interview._id)}/answers`);
    expect(record.body).to.contain('I am Zoe Zephyr, Head of CX at Zephyr Mutual (zoe@zephyrmutual.example).');
    const exported = await admin.submit('/admin/privacy', '/admin/privacy/export', { email: 'zoe@zephyrmutual.example' });
    expect(exported.status).to.equal(200);
    expect(exported.body).to.contain('I am Zoe Zephyr, Head of CX at Zephyr Mutual');
    const stored = await InterviewResponse.findOne({ interviewId: interview._id }).lean();
    expect(stored?.textUses).to.deep.include({ whyText: 'anonymous', missingInfoText: 'anonymous' });
  });
  it('theme quotes kept from before this rule are worded under it the first time they are read', async () => {
    // As a snapshot from an older version holds them: the buyer's words with only a part taken out.
    const leaky = '[name] [name], Head of CX at [name] Mutual ([email]). Your price page hid the per-seat cost.';
    const latest = (await ThemeSnapshot.findOne({ set: 'reasons' }).sort({ asOf: -1, _id: -1 }).lean())!;
    await ThemeSnapshot.updateOne({ _id: latest._id }, { $set: { 'themes.0.quotes.0.text': leaky, 'raw.0.quotes.0.text': leaky }, $unset: { disclosure: 1 } });
    const reasons = await visible('/themes?set=reasons');
    expect(reasons).not.to.contain('Mutual (');
    expect(reasons).to.contain(zoe.whyShown);
    expect((await ThemeSnapshot.findById(latest._id).lean())?.disclosure, 'made again once, and kept').to.equal(disclosureVersion);
  });
});
