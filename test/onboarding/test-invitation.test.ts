// "Send a test invitation to myself": the whole buyer path, with the admin as the buyer, through the real
// outbox and form, and then nowhere in the figures: the overview, the response rate, the report, themes,
// the CSV exports, the perception gap, the digest and the API's lists all read as if it never happened.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Deal } from '../../src/deals/model.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { MailSend } from '../../src/outbox/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { buildDigest } from '../../src/reports/digest.ts';
import { programFigures } from '../../src/reports/index.ts';
import { perceptionGap } from '../../src/reports/gap.ts';
import { themeSets } from '../../src/themes/model.ts';
import { latestStored, recomputeThemes } from '../../src/themes/snapshots.ts';
import { apiClient } from '../api/client.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from '../buyer/helpers.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { drainJobs } from '../helpers/outbox.ts';

const marker = 'Zanzibar';
/** The admin's answers as a buyer: words found nowhere else, and a reason no real buyer gave. */
const testAnswers = defaultAnswerSteps.map((step) => ({
  ...step,
  ...('a_primary_reason' in step ? { a_primary_reason: 'trust' } : {}),
  ...('a_why_text' in step
    ? {
        a_why_text: `${marker} vendors felt safer, a test answer.`,
        'a_why_text.use': 'named',
        a_would_have_changed: `${marker} certifications.`,
        'a_would_have_changed.use': 'named',
      }
    : {}),
  ...('a_missing_info' in step ? { a_missing_info: `${marker} security whitepaper.`, 'a_missing_info.use': 'named' } : {}),
}));

async function answer(base: string, path: string, steps: Record<string, string | string[]>[]): Promise<void> {
  for (const [i, fields] of steps.entries()) {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ _step: String(i + 1), ...fields }),
    });
    expect(res.status, `step ${i + 1}`).to.equal(303);
  }
}

describe('a test invitation to myself', function () {
  this.timeout(180_000);
  useTestDatabase('test_invitation');
  let app: TestApp;
  let mail: TestMail;
  let admin: Client;

  before(async () => {
    mail = await startTestMail();
    app = await startTestApp({ mailer: mail.mailer, worker: true });
    await saveProgram({ ...defaultProgram, timeZone: 'UTC' });
    const ada = await buildUser('admin', { name: 'Ada Admin', email: 'ada@acme.example' });
    await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@acme.example' });
    admin = new Client(app.url);
    await admin.signIn(ada.email, testPassword);
  });
  after(async () => {
    await app.close();
    await mail.close();
  });

  it('walks the buyer’s path with the admin as the buyer, and is counted in no figure, theme, export, digest or API list', async () => {
    // A real buyer answered first.
    const real = await invitedInterview(app.config, { dealName: 'Initech renewal' });
    await answer(app.url, real.path, defaultAnswerSteps);
    for (const set of themeSets) await recomputeThemes(set);
    await drainJobs();
    const figures = await programFigures();
    expect(figures.funnel.completed).to.equal(1);
    const csvBefore = (await admin.get('/reports/responses.csv', 'text/csv')).body;
    const gapBefore = await perceptionGap();

    // The test invitation: the real email, signed by the real interviewer, to the admin.
    const sent = await admin.submit('/', '/setup-checklist/test-invitation', {});
    expect(sent.status).to.equal(303);
    await drainJobs();
    const inbox = (await mail.caught()).filter((m) => m.envelopeTo.includes('ada@acme.example'));
    expect(inbox.map((m) => m.subject)).to.deep.equal(['Two minutes, Ada? What Debrief could have done better']);
    expect(inbox[0]!.from).to.match(/^"Mia Marketer" </);
    expect(inbox[0]!.text).to.contain('I am Mia Marketer,');
    const path = /\/i\/[A-Za-z0-9_-]{43}/.exec(inbox[0]!.text)![0];
    const interview = (await Interview.findOne({ test: true }).lean())!;
    expect(interview.state).to.equal('invited');
    // No rep is told, and no reminder will chase the admin.
    expect(await MailSend.countDocuments({ interviewId: interview._id, kind: mongoose.trusted({ $in: ['rep_plan', 'reminder', 'last_call'] }) })).to.equal(0);

    // The admin answers as a buyer would, and is thanked as a buyer is.
    const form = await fetch(`${app.url}${path}`);
    expect(form.status).to.equal(200);
    await answer(app.url, path, testAnswers);
    await drainJobs();
    expect((await Interview.findById(interview._id).lean())?.state).to.equal('completed');
    const response = (await InterviewResponse.findOne({ interviewId: interview._id }).lean())!;
    expect(response.test).to.equal(true);
    expect((await mail.caught()).filter((m) => m.envelopeTo.includes('ada@acme.example')).map((m) => m.subject)).to.include('Thank you, Ada');
    for (const set of themeSets) await recomputeThemes(set);

    // Counted nowhere: the overview's (and the report's) figures and quotes,
    expect(await programFigures()).to.deep.equal(figures);
    const overview = await admin.get('/');
    expect(overview.body).not.to.contain(marker);
    expect(/data-metric="completed">(\d+)</.exec(overview.body)?.[1]).to.equal('1');
    expect(/data-metric="lost">(\d+)</.exec(overview.body)?.[1]).to.equal('1');
    // the report,
    const report = await admin.get('/reports');
    expect(report.status).to.equal(200);
    expect(report.body).not.to.contain(marker).and.not.to.contain('Test invitation for');
    // the themes (no theme counts the answer, no quote or list shows it),
    for (const set of themeSets) {
      const snapshot = await latestStored(set);
      expect(
        (snapshot?.raw ?? []).flatMap((t) => t.memberIds ?? []),
        set,
      ).not.to.include(String(response._id));
      const page = await admin.get(`/themes?set=${set}`);
      expect(page.body, set).not.to.contain(marker);
    }
    // the exports,
    expect((await admin.get('/reports/responses.csv', 'text/csv')).body).to.equal(csvBefore);
    expect((await admin.get('/reports/themes.csv', 'text/csv')).body).not.to.contain(String(response._id));
    // the perception gap,
    expect(await perceptionGap()).to.deep.equal(gapBefore);
    expect((await admin.get('/themes/gap')).body).not.to.contain('Trust, security or vendor risk');
    // the weekly digest (and so its chat post),
    const digest = await buildDigest(new Date(Date.now() + 60_000), '2026-W01', app.config.appUrl);
    expect(digest.totalAnswers).to.equal(1);
    expect(digest.newLosses).to.equal(1);
    expect(JSON.stringify(digest)).not.to.contain(marker);
    // and what programs read through the API.
    const api = await apiClient(app.url, ['read']);
    const deals = await api.get('/api/v1/deals');
    expect(deals.json.data.map((d: { name: string }) => d.name)).to.deep.equal(['Initech renewal']);
    const interviews = await api.get('/api/v1/interviews');
    expect(interviews.json.data.map((i: { id: string }) => i.id)).to.deep.equal([String(real.interviewId)]);

    // Staff still find it, tagged, where they look for it.
    const testDeal = (await Deal.findOne({ test: true }).lean())!;
    const dealsPage = await admin.get('/deals');
    expect(dealsPage.body).to.match(/Test invitation for Ada Admin<\/a> <span class="tag">test<\/span>/);
    expect((await admin.get(`/deals/${String(testDeal._id)}`)).body).to.contain('counts in no figure');
  });

  it('is refused, saying why, while no one can sign it', async () => {
    await mongoose.connection.collection('users').deleteMany({ role: 'marketer' });
    const before = await Interview.countDocuments({ test: true });
    const res = await admin.submit('/', '/setup-checklist/test-invitation', {});
    expect(res.status).to.equal(303);
    expect((await admin.get('/')).body).to.contain('Add an interviewer first: every invitation, a test too, is signed by a real person.');
    expect(await Interview.countDocuments({ test: true })).to.equal(before);
  });
});
