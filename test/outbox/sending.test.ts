// The outbox end to end: invitations wait as one job for their time, go out over real SMTP with the
// buyer's link and opt-out headers, reminders follow and stop, and every email goes exactly once under
// one Message-ID even when a job runs twice, a worker dies mid-send or the mail server fails.
import { expect } from 'chai';
import { createServer } from 'node:net';
import mongoose from 'mongoose';
import { SMTPServer } from 'smtp-server';
import { sendEmailJob } from '../../jobs/send-email.ts';
import { sendStaffEmail } from '../../src/outbox/staff.ts';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { dispatchNewInterviews } from '../../src/outbox/dispatch.ts';
import { Deal } from '../../src/deals/model.ts';
import { interviewForToken } from '../../src/interviews/link.ts';
import { expireOverdue } from '../../src/interviews/expiry.ts';
import { interviewEvents } from '../../src/interviews/index.ts';
import { Interview } from '../../src/interviews/model.ts';
import { User } from '../../src/accounts/model.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createMailer, type Mailer } from '../../src/lib/mailer.ts';
import { jobsCollection } from '../../src/lib/queue.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { MailClaim, MailSend, sendKey } from '../../src/outbox/model.ts';
import { batchingSchedulerFor, releaseDue } from '../../src/outbox/schedule.ts';
import { ensureSendRecord, messageIdFor, sendBatch, type SendOutcome, type SendRun } from '../../src/outbox/send.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { isSuppressed, suppressAddress, suppressDomain } from '../../src/suppression/service.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from '../buyer/helpers.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { dispatchAndDrain, drainJobs } from '../helpers/outbox.ts';

const actor = { type: 'system' as const, email: 'test' };
const logger = createLogger('silent');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the outbox: every email once, over real SMTP', () => {
  useTestDatabase('outbox');
  let app: TestApp;
  let mail: TestMail;
  before(async () => {
    mail = await startTestMail();
    app = await startTestApp({ mailer: mail.mailer, worker: true, env: { MAIL_RATE_PER_DOMAIN: '1000', MAIL_FROM: 'Acme Analytics <hello@acme.example>' } });
  });
  after(async () => {
    await app.close();
    await mail.close();
  });
  beforeEach(async () => {
    await clearCollections();
    await saveProgram({ ...defaultProgram, timeZone: 'Europe/Berlin' });
    await buildUser('admin');
  });

  function runWith(mailer: Mailer, perDomainPerMinute = 1000): SendRun & { again: Date[] } {
    const again: Date[] = [];
    return {
      services: { mailer, appUrl: app.config.appUrl, secrets: loadSecrets(app.config), perDomainPerMinute },
      logger,
      again,
    };
  }

  /** One email through the sender as the send job runs it (a batch of one): how it ended; what its run threw is thrown. */
  async function sendOne(key: string, run: SendRun & { again: Date[] }): Promise<SendOutcome> {
    const result = await sendBatch([key], run, 1);
    const [failure] = result.failed;
    if (failure) throw failure.err;
    run.again.push(...result.again.map(({ at }) => at));
    return result.outcomes.get(key) ?? 'missing';
  }

  /** The event of a completed interview, as the buyer's form fires it. */
  const completedEvent = (interview: { _id: mongoose.Types.ObjectId; dealId: mongoose.Types.ObjectId }) =>
    interviewEvents.fire({ type: 'completed', interviewId: interview._id, dealId: interview.dealId, at: new Date() });

  async function lostDeal(overrides: Parameters<typeof dealInputFor>[0] = {}) {
    const { deal } = await upsertDeal(dealInputFor({ ownerEmail: 'rita@debrief.test', ...overrides }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const interview = await Interview.findOne({ dealId: deal._id }).lean();
    return { deal, interview: interview! };
  }

  const toBuyer = async (email: string) => (await mail.caught()).filter((m) => m.envelopeTo.includes(email));
  const header = (m: { headers: { name: string; value: string }[] }, name: string) => m.headers.find((h) => h.name.toLowerCase() === name)?.value;
  // Later emails wait as records; when their day comes the dispatcher's releaseDue enqueues them.
  const dueNow = async (key: string) => {
    await MailSend.updateOne({ _id: key }, { $set: { dueAt: new Date() } });
    await releaseDue(app.queue);
  };

  it('plans the invitation as one job at its time, and "send now" mails the buyer their personal link, from the marketer, with one-click opt-out', async function () {
    this.timeout(120_000); // one retry of a temporary failure, on a busy machine
    const marketer = await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    const { interview } = await lostDeal({
      contacts: [{ name: 'Jordan Rivera', email: 'jordan@northwind.example', timeZone: 'America/New_York', primary: true }],
    });
    await dispatchAndDrain(app.queue);
    await dispatchAndDrain(app.queue);
    const jobs = await mongoose.connection
      .db!.collection(jobsCollection)
      .find({ name: 'email.send', 'data.key': sendKey('invitation', interview._id) })
      .toArray();
    expect(jobs).to.have.length(1);
    expect(jobs[0]!.nextRunAt.getTime()).to.equal(interview.plannedFor!.getTime());
    expect(await toBuyer('jordan@northwind.example')).to.have.length(0);

    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    const sent = await c.submit('/interviews/queue', `/interviews/${String(interview._id)}/send-now`, {});
    expect(sent.status).to.equal(303);
    await drainJobs();
    // On a busy machine the first attempt can meet a temporary failure; the outbox then tries again
    // about 30 s later, which is still "send now" working.
    for (const deadline = Date.now() + 60_000; (await toBuyer('jordan@northwind.example')).length === 0; ) {
      if (Date.now() > deadline) {
        const record = await MailSend.findById(sendKey('invitation', interview._id)).lean();
        expect.fail(
          `no invitation arrived; the outbox record: ${JSON.stringify({ state: record?.state, attempts: record?.attempts, lastError: record?.lastError })}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await drainJobs();

    const [invite, ...more] = await toBuyer('jordan@northwind.example');
    expect(more).to.have.length(0);
    // No company name set yet: MAIL_FROM's display name stands in.
    expect(invite!.subject).to.equal('Two minutes, Jordan? What Acme Analytics could have done better');
    expect(invite!.from).to.contain('Mia Marketer');
    expect(invite!.replyTo).to.contain('mia@debrief.test');
    const record = await MailSend.findById(sendKey('invitation', interview._id)).lean();
    expect(record?.state).to.equal('sent');
    expect(invite!.messageId).to.equal(record!.messageId);
    const link = /https?:\/\/\S+\/i\/([A-Za-z0-9_-]{43})/.exec(invite!.text)!;
    expect(invite!.html).to.contain(link[0]);
    expect(String((await interviewForToken(link[1]!))?._id)).to.equal(String(interview._id));
    expect(invite!.text).to.not.match(/<[a-z]/i);
    expect(header(invite!, 'list-unsubscribe-post')).to.equal('List-Unsubscribe=One-Click');
    const optOut = /<(https?:\/\/[^>]+)>/.exec(header(invite!, 'list-unsubscribe') ?? '')![1]!;
    expect(invite!.html).to.contain(optOut);

    const after = await Interview.findById(interview._id).lean();
    expect(after?.state).to.equal('invited');
    const reminders = await MailSend.find({ interviewId: interview._id, kind: mongoose.trusted({ $in: ['reminder', 'last_call'] }) })
      .sort({ step: 1 })
      .lean();
    expect(reminders.map((r) => [r.kind, r.step, r.state])).to.deep.equal([
      ['reminder', 1, 'pending'],
      ['last_call', 2, 'pending'],
    ]);
    const expiresAt = (await Interview.findById(interview._id).lean())?.expiresAt;
    expect(Math.round((expiresAt!.getTime() - record!.sentAt!.getTime()) / 86_400_000)).to.equal(21);
    // Day 4 and day 9, each moved into the buyer's sending hours (09:00-17:00 on a weekday in New York).
    const days = reminders.map((r) => (r.dueAt.getTime() - record!.sentAt!.getTime()) / 86_400_000);
    expect(days[0]).to.be.within(4, 7);
    expect(days[1]).to.be.within(9, 12);
    const local = reminders.map((r) =>
      new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).format(r.dueAt),
    );
    // Intl writes the hour with two digits under h23 ("09").
    for (const when of local) expect(when).to.match(/^(Mon|Tue|Wed|Thu|Fri),? (0?9|1[0-6])$/);

    // The buyer opts out with one click (no cookie, as a mail client does it): the reminder is not sent.
    const click = await fetch(new URL(new URL(optOut).pathname, app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(click.status).to.equal(200);
    await dueNow(sendKey('reminder', interview._id, 1));
    await drainJobs();
    expect(await toBuyer('jordan@northwind.example')).to.have.length(1);
    expect((await MailSend.findById(sendKey('reminder', interview._id, 1)).lean())?.state).to.equal('skipped');
    expect((await Interview.findById(interview._id).lean())?.state).to.equal('opted_out');
  });

  it('reminders carry the same link under their own Message-ID, and stop once the buyer has answered', async () => {
    await buildUser('marketer', { name: 'Mia Marketer' });
    const { interview } = await lostDeal();
    const email = interview.contact!.email;
    await app.queue.enqueue(sendEmailJob, { key: (await ensureSendRecord('invitation', interview._id, 0, new Date())).record._id });
    await drainJobs();
    await dueNow(sendKey('reminder', interview._id, 1));
    await drainJobs();
    const [invite, reminder] = await toBuyer(email);
    expect(reminder, 'the reminder arrived').to.not.equal(undefined);
    const linkOf = (text: string) => /\/i\/[A-Za-z0-9_-]{43}/.exec(text)![0];
    expect(linkOf(reminder!.text)).to.equal(linkOf(invite!.text));
    expect(reminder!.messageId).to.not.equal(invite!.messageId);
    expect((await Interview.findById(interview._id).lean())?.state).to.equal('reminded');

    await Interview.updateOne({ _id: interview._id }, { $set: { state: 'completed' } });
    await dueNow(sendKey('last_call', interview._id, 2));
    await drainJobs();
    expect(await toBuyer(email)).to.have.length(2);
    expect((await MailSend.findById(sendKey('last_call', interview._id, 2)).lean())?.skipReason).to.equal('the interview is completed');
  });

  it('a send run twice at once goes once; a send cut off mid-way goes again under the same Message-ID', async () => {
    await buildUser('marketer', { name: 'Mia Marketer' }); // who signs the invitations
    const { interview } = await lostDeal();
    const key = (await ensureSendRecord('invitation', interview._id, 0, new Date())).record._id;
    const outcomes = await Promise.all([sendOne(key, runWith(mail.mailer)), sendOne(key, runWith(mail.mailer))]);
    expect(outcomes.sort()).to.deep.equal(['deferred', 'sent']);
    expect(await toBuyer(interview.contact!.email)).to.have.length(1);
    expect(await sendOne(key, runWith(mail.mailer))).to.equal('already-sent');

    // A worker died after claiming attempt 1 and before the server answered.
    const { interview: other } = await lostDeal();
    const cut = (await ensureSendRecord('invitation', other._id, 0, new Date())).record._id;
    const longAgo = new Date(Date.now() - 5 * 60_000);
    await MailClaim.create({ _id: `${cut}#1`, at: longAgo });
    await MailSend.updateOne(
      { _id: cut },
      { $set: { state: 'sending', attempts: 1, firstAttemptAt: longAgo, messageId: messageIdFor(cut, app.config.appUrl) } },
    );
    expect(await sendOne(cut, runWith(mail.mailer))).to.equal('sent');
    const [again] = await toBuyer(other.contact!.email);
    expect(again!.messageId).to.equal(messageIdFor(cut, app.config.appUrl));
    expect((await MailSend.findById(cut).lean())?.attempts).to.equal(2);
  });

  it('a mail server that is down is retried with backoff; one that refuses the address for good marks the interview bounced and tells the marketer', async () => {
    await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    const { interview } = await lostDeal();
    const key = (await ensureSendRecord('invitation', interview._id, 0, new Date())).record._id;
    const down = createMailer({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, from: 'Debrief <debrief@debrief.test>', logger });
    const run = runWith(down);
    const before = Date.now();
    expect(await sendOne(key, run)).to.equal('retry');
    const pending = await MailSend.findById(key).lean();
    expect(pending).to.include({ state: 'pending', lastError: 'ECONNREFUSED', attempts: 1 });
    expect(run.again[0]!.getTime() - before).to.be.within(20_000, 40_000);
    // Still down a day after the first try: our mail server, not the buyer's address, so still pending.
    await MailSend.updateOne({ _id: key }, { $set: { firstAttemptAt: new Date(Date.now() - 25 * 3_600_000) } });
    expect(await sendOne(key, runWith(down))).to.equal('retry');
    expect((await Interview.findById(interview._id).lean())?.state).to.equal('planned');
    await down.close();

    const refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 })),
    });
    const port = await freePort();
    await new Promise<void>((resolve) => refusing.listen(port, '127.0.0.1', resolve));
    const { interview: second } = await lostDeal();
    const key2 = (await ensureSendRecord('invitation', second._id, 0, new Date())).record._id;
    const refusingMailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Debrief <debrief@debrief.test>', logger });
    expect(await sendOne(key2, runWith(refusingMailer))).to.equal('failed');
    await refusingMailer.close();
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
    expect((await MailSend.findById(key2).lean())?.lastError).to.equal('550 on RCPT TO');
    expect((await Interview.findById(second._id).lean())?.state).to.equal('bounced');
    await drainJobs();
    const notice = (await mail.caught()).find((m) => m.envelopeTo.includes('mia@debrief.test'));
    expect(notice?.subject).to.match(/^Not delivered: the interview with Buyer \d+$/);
  });

  it('a send that fails for a reason of ours (a From name with a line break, a server refusing our sender) never blames the buyer: it waits, pending, with the error on the deal page', async () => {
    const nina = await buildUser('marketer', { name: 'Nina Marketer', email: 'nina@debrief.test' });
    // A name stored before names were checked where they enter: the From header it would make is refused.
    await User.collection.updateOne({ _id: nina._id }, { $set: { name: 'Nina\r\nBcc: spy@evil.example' } });
    const { deal, interview } = await lostDeal();
    expect(interview.interviewer?.name).to.equal('Nina\r\nBcc: spy@evil.example');
    const key = (await ensureSendRecord('invitation', interview._id, 0, new Date())).record._id;
    expect(await sendOne(key, runWith(mail.mailer))).to.equal('retry');
    expect(await MailSend.findById(key).lean()).to.include({
      state: 'pending',
      lastError: 'refused by the mailer: fromName must be one line of text',
      attempts: 1,
    });

    // A server that refuses our sender address for good (550 on MAIL FROM): our configuration, not the buyer.
    const refusingUs = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onMailFrom: (_address, _session, callback) => callback(Object.assign(new Error('5.7.1 Sender not allowed'), { responseCode: 550 })),
    });
    const port = await freePort();
    await new Promise<void>((resolve) => refusingUs.listen(port, '127.0.0.1', resolve));
    const { interview: second } = await lostDeal();
    await Interview.updateOne({ _id: second._id }, { $set: { 'interviewer.name': 'Mia Marketer' } });
    const key2 = (await ensureSendRecord('invitation', second._id, 0, new Date())).record._id;
    const misconfigured = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Debrief <debrief@debrief.test>', logger });
    expect(await sendOne(key2, runWith(misconfigured))).to.equal('retry');
    await misconfigured.close();
    await new Promise<void>((resolve) => refusingUs.close(() => resolve()));
    expect(await MailSend.findById(key2).lean()).to.include({ state: 'pending', lastError: '550 on MAIL FROM' });

    for (const { _id, contact } of [interview, second]) {
      expect((await Interview.findById(_id).lean())?.state).to.equal('planned');
      expect(await isSuppressed(contact!.email)).to.equal(false);
      expect(await MailSend.countDocuments({ interviewId: _id, kind: 'marketer_bounced' })).to.equal(0);
    }
    expect((await mail.caught()).filter((m) => /spy@evil/.test(m.raw))).to.have.length(0);
    // Staff see why the invitation has not gone.
    const admin = await buildUser('admin');
    const c = new Client(app.url);
    await c.signIn(admin.email, testPassword);
    const page = await c.get(`/deals/${String(deal._id)}`);
    expect(page.body).to.contain('The invitation has not gone out yet:').and.contain('refused by the mailer: fromName must be one line of text');
  });

  it('invitations planned together go out as one job, and a batch run twice at once still sends each email once', async () => {
    await buildUser('marketer', { name: 'Mia Marketer' }); // who signs the invitations
    const planned = [await lostDeal(), await lostDeal(), await lostDeal()];
    const schedule = batchingSchedulerFor(app.queue);
    expect(await dispatchNewInterviews(schedule)).to.equal(3);
    expect(await schedule.flush()).to.equal(6);
    const keys = planned.map(({ interview }) => sendKey('invitation', interview._id)).sort();
    const [job, ...more] = await mongoose.connection.db!.collection(jobsCollection).find({ name: 'email.send', 'data.keys': keys[0] }).toArray();
    expect(more).to.have.length(0);
    expect([...job!.data.keys].sort()).to.deep.equal(keys);
    // The job runs at the latest of their planned times: none goes early.
    expect(job!.nextRunAt.getTime()).to.equal(Math.max(...planned.map(({ interview }) => interview.plannedFor!.getTime())));
    await drainJobs(); // the reps' notices, due now, went as a job of their own

    const run = runWith(mail.mailer);
    const [first, second] = await Promise.all([sendBatch(keys, run, 5), sendBatch(keys, run, 5)]);
    expect([...first.outcomes.values(), ...second.outcomes.values()].filter((o) => o === 'sent')).to.have.length(3);
    expect([...first.failed, ...second.failed]).to.deep.equal([]);
    for (const { interview } of planned) {
      const got = await toBuyer(interview.contact!.email);
      expect(got, interview.contact!.email).to.have.length(1);
      expect(got[0]!.messageId).to.equal(messageIdFor(sendKey('invitation', interview._id), app.config.appUrl));
      expect((await Interview.findById(interview._id).lean())?.state).to.equal('invited');
      expect(
        (await MailSend.find({ interviewId: interview._id, kind: mongoose.trusted({ $in: ['reminder', 'last_call'] }) }).lean()).map((r) => r.state),
      ).to.deep.equal(['pending', 'pending']);
    }
    // The reminders' day comes: the dispatcher's release puts them in one job too.
    const reminderKeys = planned.map(({ interview }) => sendKey('reminder', interview._id, 1));
    await MailSend.updateMany({ _id: mongoose.trusted({ $in: reminderKeys }) }, { $set: { dueAt: new Date(Date.now() + 30_000) } });
    expect(await releaseDue(app.queue)).to.equal(3);
    const released = await mongoose.connection.db!.collection(jobsCollection).find({ name: 'email.send', 'data.keys': reminderKeys[0] }).toArray();
    expect(released.map((j) => [...j.data.keys].sort())).to.deep.equal([[...reminderKeys].sort()]);
  });

  it('a run that reads the record while another run is sending it does not send beside it', async () => {
    await buildUser('marketer', { name: 'Mia Marketer' }); // who signs the invitations
    const { interview } = await lostDeal();
    const key = (await ensureSendRecord('invitation', interview._id, 0, new Date())).record._id;
    let inFlight!: () => void;
    const sending = new Promise<void>((resolve) => (inFlight = resolve));
    const slow: Mailer = {
      description: 'slow',
      close: async () => {},
      send: async (msg) => {
        inFlight();
        await new Promise((resolve) => setTimeout(resolve, 300));
        return mail.mailer.send(msg);
      },
    };
    const first = sendOne(key, runWith(slow));
    await sending;
    expect(await sendOne(key, runWith(mail.mailer))).to.equal('deferred');
    expect(await first).to.equal('sent');
    expect(await toBuyer(interview.contact!.email)).to.have.length(1);
    expect((await MailSend.findById(key).lean())?.attempts).to.equal(1);
  });

  it('an email held up in its batch by a slow mail server is examined again before it goes: an opt-out meanwhile still stops it', async () => {
    await buildUser('marketer', { name: 'Mia Marketer' }); // who signs the invitations
    const { interview: first } = await lostDeal();
    const { interview: second } = await lostDeal();
    const keys = [first, second].map((i) => sendKey('invitation', i._id));
    for (const i of [first, second]) await ensureSendRecord('invitation', i._id, 0, new Date());
    let clock = Date.now();
    const slow: Mailer = {
      description: 'slow',
      close: async () => {},
      send: async (msg) => {
        // While the first email takes its time, the second buyer opts out.
        await suppressAddress(second.contact!.email, { source: 'one-click', actor });
        clock += 11_000;
        return mail.mailer.send(msg);
      },
    };
    const result = await sendBatch(keys, { ...runWith(slow), now: () => new Date(clock) }, 1);
    expect([...result.outcomes.entries()]).to.deep.equal([
      [keys[0], 'sent'],
      [keys[1], 'skipped'],
    ]);
    expect(await toBuyer(second.contact!.email)).to.have.length(0);
    expect((await MailSend.findById(keys[1]).lean())?.skipReason).to.equal('the address is on the suppression list');
  });

  it('sends nothing to a suppressed domain, and keeps to the per-domain rate', async () => {
    await buildUser('marketer', { name: 'Mia Marketer' }); // who signs the invitations
    const { interview } = await lostDeal({ contacts: [{ name: 'Sam', email: 'sam@blocked.example', primary: true }] });
    await suppressDomain('blocked.example', { source: 'marketer', actor });
    const key = (await ensureSendRecord('invitation', interview._id, 0, new Date())).record._id;
    expect(await sendOne(key, runWith(mail.mailer))).to.equal('skipped');
    expect((await Interview.findById(interview._id).lean())?.state).to.equal('opted_out');

    const outcomes = [];
    for (let i = 0; i < 3; i += 1) {
      const { interview: each } = await lostDeal({
        buyerCompany: `Same Domain ${i}`,
        contacts: [{ name: `P${i}`, email: `p${i}@samedomain.example`, primary: true }],
      });
      const run = runWith(mail.mailer, 2);
      outcomes.push(await sendOne((await ensureSendRecord('invitation', each._id, 0, new Date())).record._id, run));
      if (i === 2) expect(run.again[0]!.getTime()).to.be.greaterThan(Date.now());
    }
    expect(outcomes).to.deep.equal(['sent', 'sent', 'deferred']);
  });

  it('thanks the buyer and tells the interviewer when the interview is completed; expires what was never answered', async () => {
    await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    const { interview } = await lostDeal();
    await Interview.updateOne({ _id: interview._id }, { $set: { state: 'completed' } });
    await completedEvent(interview);
    await completedEvent(interview); // told twice: still once
    await drainJobs();
    const [thanks, ...rest] = await toBuyer(interview.contact!.email);
    expect(rest).to.have.length(0);
    expect(thanks!.subject).to.match(/^Thank you, Buyer$/);
    expect(thanks!.text).to.not.contain('/i/');
    const notices = (await mail.caught()).filter((m) => m.envelopeTo.includes('mia@debrief.test'));
    const deal = await Deal.findById(interview.dealId).lean();
    expect(notices.map((m) => m.subject)).to.deep.equal([`${interview.contact!.name} answered: ${deal!.name}`]);

    const { interview: open } = await lostDeal();
    const { interview: later } = await lostDeal();
    const past = new Date(Date.now() - 1000);
    await Interview.updateOne({ _id: open._id }, { $set: { state: 'invited', expiresAt: past } });
    await Interview.updateOne({ _id: later._id }, { $set: { state: 'opened', expiresAt: new Date(Date.now() + 86_400_000) } });
    await Interview.updateOne({ _id: interview._id }, { $set: { expiresAt: past } }); // completed stays completed
    expect(await expireOverdue()).to.equal(1);
    expect((await Interview.findById(open._id).lean())?.state).to.equal('expired');
    expect((await Interview.findById(later._id).lean())?.state).to.equal('opened');
  });

  it('tells the interviewer, in the subject and the email, when the buyer agreed to a call, and how to reach them', async () => {
    await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    const iv = await invitedInterview(app.config);
    for (const [i, fields] of defaultAnswerSteps.entries()) {
      // The last step says yes to "Would you take a short call?"
      const res = await fetch(`${app.url}${iv.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), ...fields }),
      });
      expect(res.status).to.equal(303);
    }
    expect(defaultAnswerSteps.at(-1)).to.deep.include({ a_call_consent: 'yes' });
    await drainJobs();
    const interview = (await Interview.findById(iv.interviewId).lean())!;
    const [notice, ...more] = (await mail.caught()).filter((m) => m.envelopeTo.includes('mia@debrief.test'));
    expect(more).to.have.length(0);
    expect(notice!.subject).to.equal(`${iv.contactName} answered and agreed to a call: ${(await Deal.findById(iv.dealId).lean())!.name}`);
    expect(notice!.text).to.contain(`They agreed to a short call: write to ${iv.contactName} at ${interview.contact!.email} to find a time.`);
  });

  it('the emails one event plans (a form sent: the thanks and the notice) share a job, and each arrives once', async () => {
    await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    const done = [await lostDeal(), await lostDeal(), await lostDeal(), await lostDeal()];
    await drainJobs(); // the reps' notices of the plans
    const started: unknown[] = [];
    const onStart = (job: { attrs: { data: unknown } }) => started.push(job.attrs.data);
    app.queue.agenda.on('start:email.send', onStart);
    try {
      for (const { interview } of done) await Interview.updateOne({ _id: interview._id }, { $set: { state: 'completed' } });
      // the four forms arrive together
      await Promise.all(done.map(({ interview }) => completedEvent(interview)));
      await drainJobs();
    } finally {
      app.queue.agenda.off('start:email.send', onStart);
    }
    expect(started, 'one job per form').to.have.length(done.length);
    for (const data of started) expect((data as { keys: string[] }).keys, 'the thanks and the notice').to.have.length(2);
    for (const { interview } of done) {
      const thanks = await toBuyer(interview.contact!.email);
      expect(thanks.filter((m) => /^Thank you/.test(m.subject))).to.have.length(1);
    }
    const notices = (await mail.caught()).filter((m) => m.envelopeTo.includes('mia@debrief.test') && / answered: /.test(m.subject));
    expect(notices).to.have.length(done.length);
    expect(new Set(notices.map((m) => m.messageId)).size).to.equal(done.length);
  });

  it('sends an account link once through the same outbox, and does not keep the link once it has gone', async () => {
    const email = {
      template: 'password-reset' as const,
      to: 'ada@debrief.test',
      data: { name: 'Ada', link: 'http://localhost:3000/reset-password/abc123', expiresMinutes: 60 },
    };
    await sendStaffEmail(app.queue, email);
    await sendStaffEmail(app.queue, email); // a double click: still one email
    await drainJobs();
    const caught = (await mail.caught()).filter((m) => m.envelopeTo.includes('ada@debrief.test'));
    expect(caught).to.have.length(1);
    expect(caught[0]!.text).to.contain('/reset-password/abc123');
    const [record] = await MailSend.find({ kind: 'staff' }).lean();
    expect(record).to.include({ state: 'sent' });
    expect(record).to.not.have.property('data');
    expect(JSON.stringify(record)).to.not.contain('abc123');
  });
});
