// What an interview's changes cause, through the one table (src/consequences.ts): whichever way a change
// happens (the buyer's form, the worker's sends, the planner, a hold-off, an unsubscribe link, a won
// deal), its event is fired once with what it is about, and the table's consequences follow.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { consequences } from '../../src/consequences.ts';
import { changeOutcome, markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { holdOff } from '../../src/interviews/holdoff.ts';
import { interviewEvents, interviewStates, type InterviewEvent } from '../../src/interviews/index.ts';
import { Interview } from '../../src/interviews/model.ts';
import { jobsCollection } from '../../src/lib/queue.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { MailSend, sendKey } from '../../src/outbox/model.ts';
import { unsubscribeUrl } from '../../src/suppression/service.ts';
import { themesRecomputeContract } from '../../src/themes/jobs.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from '../buyer/helpers.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { dispatchAndDrain } from '../helpers/outbox.ts';

const actor = { type: 'system' as const, email: 'test' };

describe('interview events: what each change causes, by the one table', () => {
  useTestDatabase('interview_events');
  let app: TestApp;
  let mail: TestMail;
  let heard: InterviewEvent[] = [];
  const failures: unknown[] = [];
  before(async () => {
    mail = await startTestMail();
    app = await startTestApp({ mailer: mail.mailer, worker: true, env: { MAIL_RATE_PER_DOMAIN: '1000' } });
    // The app's own table, each event also heard here; a consequence that fails fails the test.
    const table = consequences(app.queue).interview;
    const ear = async (event: InterviewEvent) => {
      heard.push(event);
    };
    const listening = { ...table };
    for (const type of interviewStates) listening[type] = [...table[type], ear];
    interviewEvents.install(listening, (err) => failures.push(err));
  });
  after(async () => {
    await app.close();
    await mail.close();
  });
  beforeEach(async () => {
    await clearCollections();
    await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    heard = [];
  });
  afterEach(() => {
    expect(failures, 'no consequence failed').to.deep.equal([]);
  });

  const typesOf = (id: mongoose.Types.ObjectId) => heard.filter((e) => e.interviewId.equals(id)).map((e) => e.type);
  const recordOf = async (kind: Parameters<typeof sendKey>[0], id: mongoose.Types.ObjectId) => MailSend.findById(sendKey(kind, id, 0)).lean();

  it('completing the form thanks the buyer, tells the interviewer and recomputes the themes later', async () => {
    const iv = await invitedInterview(app.config);
    for (const [i, fields] of defaultAnswerSteps.entries()) {
      const res = await fetch(`${app.url}${iv.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), ...fields }),
      });
      expect(res.status).to.equal(303);
    }
    const completed = heard.filter((e) => e.type === 'completed');
    expect(completed, 'one completed event').to.have.length(1);
    expect(completed[0]!.interviewId.equals(iv.interviewId)).to.equal(true);
    expect(completed[0]!.dealId.equals(iv.dealId)).to.equal(true);
    expect(completed[0]!.at).to.be.instanceOf(Date);
    expect(typesOf(iv.interviewId)).to.deep.equal(['planned', 'in_progress', 'completed']);

    expect(await recordOf('thank_you', iv.interviewId), "the buyer's thank-you").to.not.equal(null);
    expect(await recordOf('marketer_completed', iv.interviewId), "the interviewer's notice").to.not.equal(null);
    const recompute = await mongoose.connection.db!.collection(jobsCollection).findOne({ name: themesRecomputeContract.name });
    expect(recompute, 'a themes run is queued').to.not.equal(null);
    expect(recompute!.nextRunAt.getTime(), 'a few minutes later').to.be.greaterThan(Date.now() + 60_000);
  });

  it('every way in fires the same events: the planner, the worker, a hold-off, an unsubscribe link, a won deal', async () => {
    // The planner: planned. The worker sends the invitation: invited.
    const { deal } = await upsertDeal(dealInputFor({ ownerEmail: 'rita@debrief.test' }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const sent = (await Interview.findOne({ dealId: deal._id }).lean())!;
    await Interview.updateOne({ _id: sent._id }, { $set: { plannedFor: new Date() } });
    await dispatchAndDrain(app.queue);
    expect(typesOf(sent._id)).to.deep.equal(['planned', 'invited']);
    expect(heard.find((e) => e.type === 'invited')!.dealId.equals(deal._id)).to.equal(true);

    // The buyer's unsubscribe link: opted out.
    const path = new URL(unsubscribeUrl(app.config.appUrl, String(sent._id), loadSecrets(app.config))).pathname;
    const res = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).to.equal(200);
    expect(typesOf(sent._id)).to.deep.equal(['planned', 'invited', 'opted_out']);

    // A hold-off: held, and the interviewer is told.
    const { deal: other } = await upsertDeal(dealInputFor({ ownerEmail: 'rita@debrief.test' }), actor, 'api');
    await markLost(other._id, competitorLoss, actor, 'api');
    const held = (await Interview.findOne({ dealId: other._id }).lean())!;
    await holdOff(String(held._id), 'They are renegotiating the renewal.', { type: 'user', email: 'rita@debrief.test' });
    expect(typesOf(held._id)).to.deep.equal(['planned', 'held']);
    expect(await recordOf('marketer_held', held._id), "the interviewer's notice of the hold-off").to.not.equal(null);

    // The deal won: the held interview is cancelled.
    await changeOutcome(other._id, 'won', actor, 'api');
    expect(typesOf(held._id)).to.deep.equal(['planned', 'held', 'cancelled']);
  });
});
