// Outgoing webhooks from end to end, on the real app, queue and engine, to a local receiver (private
// addresses allowed, as an admin would for a receiver inside their network): a buyer's answer reaches
// the endpoint once, signed as documented; a receiver that fails twice gets it on the third try; two
// workers and replays never deliver an acknowledged event twice; an endpoint failing for days is paused
// and its admins are emailed; and the events fire from where interviews change.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { processDelivery, sweepDeliveries, type DeliverServices } from '../../src/hooks/deliver.ts';
import { HookDelivery, HookEndpoint, HookEvent, saveHookSettings } from '../../src/hooks/model.ts';
import { publishHookEvent } from '../../src/hooks/index.ts';
import { createEndpoint } from '../../src/hooks/service.ts';
import { Interview } from '../../src/interviews/model.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { MailSend } from '../../src/outbox/model.ts';
import { optOut } from '../../src/suppression/service.ts';
import { verifyDebriefSignature } from '../../src/webhooks/signature.ts';
import { apiClient } from '../api/client.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from '../buyer/helpers.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const actor = { type: 'system' as const, email: 'test' };

/** The README's recipe, word for word in code: HMAC-SHA256 over "<timestamp>.<raw body>", hex, compared in constant time. */
function readmeVerify(secret: string, timestamp: string, signature: string, rawBody: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

describe('outgoing webhooks', () => {
  useTestDatabase('hooks_delivery');
  const app = useTestApp({ worker: true, env: { OUTGOING_WEBHOOK_FIRST_RETRY_MS: '200' } });
  let receiver: Receiver;
  let services: DeliverServices;
  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
  });
  beforeEach(async () => {
    await clearCollections();
    receiver.reset();
    await saveHookSettings(true, 'test');
    await buildUser('admin', { email: 'ada@debrief.test', name: 'Ada Admin' });
    services = { secrets: loadSecrets(app.config), logger: createLogger('silent'), firstRetryMs: 200, queue: app.queue, appUrl: app.config.appUrl };
  });

  const lostDeal = async (externalId = `D-${Math.random().toString(36).slice(2, 8)}`) => {
    const { deal } = await upsertDeal(dealInputFor({ externalId }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const interview = await Interview.findOne({ dealId: deal._id }).lean();
    return { deal, interview: interview! };
  };

  it('from a fresh database: an endpoint registered through the API gets a buyer’s answer once, signed, with the primary reason and competitor', async () => {
    const admin = await apiClient(app.url, ['webhooks']);
    const created = await admin.post('/api/v1/webhooks', { url: receiver.url, description: 'CRM', events: ['interview.completed'] });
    expect(created.status).to.equal(201);
    const secret: string = created.json.data.secret;
    expect(secret).to.match(/^whsec_/);

    const iv = await invitedInterview(app.config);
    const post = (fields: Record<string, string | string[]>) =>
      fetch(`${app.url}${iv.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody(fields),
      });
    for (const [i, step] of defaultAnswerSteps.entries()) {
      const res = await post({ _step: String(i + 1), _action: i === defaultAnswerSteps.length - 1 ? 'submit' : 'next', ...step });
      expect(res.status).to.equal(303);
    }
    const [got] = await receiver.waitFor(1);
    // The buyer sends the last step again (a second tab), and the sweep runs: nothing more goes.
    expect((await post({ _step: '4', _action: 'submit', ...defaultAnswerSteps[3]! })).status).to.equal(303);
    await sweepDeliveries(app.queue);
    await sleep(700);
    expect(receiver.received).to.have.length(1);

    const timestamp = String(got!.headers['x-debrief-timestamp']);
    const signature = String(got!.headers['x-debrief-signature']);
    expect(() => verifyDebriefSignature({ secret, timestamp, signature, rawBody: Buffer.from(got!.body), nowMs: Date.now() })).not.to.throw();
    expect(readmeVerify(secret, timestamp, signature, got!.body)).to.equal(true);
    expect(readmeVerify('whsec_someone-else', timestamp, signature, got!.body)).to.equal(false);

    const event = JSON.parse(got!.body);
    expect(event.type).to.equal('interview.completed');
    expect(got!.headers['x-debrief-event-id']).to.equal(event.id);
    expect(event.data.interview).to.include({ id: String(iv.interviewId), state: 'completed', outcome: 'lost' });
    expect(event.data.deal).to.include({ source: 'crm', id: String(iv.dealId) });
    expect(event.data.answers.primaryReason).to.deep.equal({ code: 'price', label: 'Price or commercial terms' });
    expect(event.data.answers.competitor).to.equal('Clearpath');
    const texts = Object.fromEntries(event.data.answers.texts.map((t: { field: string }) => [t.field, t]));
    expect(texts.wouldHaveChanged).to.include({ use: 'named', text: 'A pilot on our data.', withheld: false });
    expect(texts.missingInfo, 'an answer for the team only never leaves in a webhook').to.include({ use: 'internal', text: null, withheld: true });
    expect(got!.body).not.to.contain('security whitepaper');
    const delivery = await HookDelivery.findOne({ eventId: event.id }).lean();
    expect(delivery).to.include({ state: 'delivered', attempts: 1, lastStatus: 200 });
  });

  it('a receiver that answers 500 twice gets the event on the third try, with the same id, after backing off', async () => {
    const { interview } = await lostDeal();
    await createEndpoint({ url: receiver.url, events: ['interview.planned'] }, actor, services.secrets);
    receiver.answers = [500, 500];
    await publishHookEvent(app.queue, { type: 'interview.planned', interviewId: interview._id, at: new Date() });
    const got = await receiver.waitFor(3);
    await sleep(300);
    expect(got).to.have.length(3);
    expect(new Set(got.map((r) => r.headers['x-debrief-event-id'])).size).to.equal(1);
    expect(got.map((r) => r.headers['x-debrief-attempt'])).to.deep.equal(['1', '2', '3']);
    const delivery = await HookDelivery.findOne({}).lean();
    expect(delivery).to.include({ state: 'delivered', attempts: 3, lastStatus: 200 });
    expect(delivery!.log.map((l) => l.status)).to.deep.equal([500, 500, 200]);
    // When each attempt started, as the worker recorded it (the receiver's clock shares this busy process).
    const [first, second, third] = delivery!.log.map((l) => new Date(l.at).getTime());
    expect(second! - first!, 'first retry after about 200 ms').to.be.at.least(170);
    expect(third! - second!, 'the next one about 4 times later').to.be.at.least(700);
  });

  it('two workers at once, a replay and the same happening published again deliver an acknowledged event once', async () => {
    const { interview } = await lostDeal();
    await createEndpoint({ url: receiver.url, events: ['interview.planned'] }, actor, services.secrets);
    // Published where no queue was at hand: a delivery waits for the sweep, and two workers race for it.
    await publishHookEvent(undefined, { type: 'interview.planned', interviewId: interview._id, at: new Date() });
    const waiting = await HookDelivery.findOne({}).lean();
    expect(waiting).to.include({ state: 'pending', type: 'interview.planned' });
    receiver.delayMs = 300;
    const outcomes = await Promise.all([processDelivery(waiting!._id, services), processDelivery(waiting!._id, services)]);
    expect(outcomes.map((o) => o.outcome).sort()).to.deep.equal(['busy', 'delivered']);
    expect((await processDelivery(waiting!._id, services)).outcome).to.equal('done');
    await publishHookEvent(app.queue, { type: 'interview.planned', interviewId: interview._id, at: new Date() });
    expect(await sweepDeliveries(app.queue)).to.equal(0);
    await sleep(500);
    expect(receiver.received).to.have.length(1);
    expect(await HookEvent.countDocuments()).to.equal(1);
    expect(await HookDelivery.countDocuments()).to.equal(1);
  });

  it('a deal lost and a buyer unsubscribing reach the endpoint through the events table; the sweep sends what was published without a queue', async () => {
    await createEndpoint({ url: receiver.url, events: ['interview.planned', 'interview.opted_out'] }, actor, services.secrets);
    const { interview } = await lostDeal();
    await optOut(String(interview._id), 'link');
    const got = await receiver.waitFor(2);
    expect(got.map((r) => JSON.parse(r.body).type).sort()).to.deep.equal(['interview.opted_out', 'interview.planned']);
    // Recorded where no queue was at hand (or its job lost): the sweep enqueues it.
    const other = await lostDeal();
    await HookDelivery.deleteMany({ eventId: mongoose.trusted({ $nin: got.map((r) => JSON.parse(r.body).id) }) });
    await publishHookEvent(undefined, { type: 'interview.opted_out', interviewId: other.interview._id, at: new Date() });
    expect(await sweepDeliveries(app.queue)).to.equal(1);
    const all = await receiver.waitFor(3);
    expect(all.map((r) => JSON.parse(r.body).data.interview.id)).to.include(String(other.interview._id));
  });

  it('an endpoint whose every delivery failed for 3 days is paused, what waited is dropped, and its admins are emailed', async () => {
    // Lost before the endpoint exists, published by hand without a queue: this test makes each attempt itself.
    const first = await lostDeal('FAIL-1');
    const next = await lostDeal('FAIL-2');
    const { endpoint } = await createEndpoint({ url: receiver.url, events: ['interview.planned'] }, actor, services.secrets);
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    // Failing for two days: it stays active.
    await HookEndpoint.updateOne({ _id: endpoint.id }, { $set: { failingSince: daysAgo(2) } });
    receiver.answers = [500, 500];
    await publishHookEvent(undefined, { type: 'interview.planned', interviewId: first.interview._id, at: new Date() });
    const firstDelivery = (await HookDelivery.findOne({}).lean())!;
    expect((await processDelivery(firstDelivery._id, services)).outcome).to.equal('retry');
    expect((await HookEndpoint.findById(endpoint.id).lean())?.state).to.equal('active');
    // Failing for three days and a minute: paused at the next failure.
    await HookEndpoint.updateOne({ _id: endpoint.id }, { $set: { failingSince: daysAgo(3.001) } });
    await publishHookEvent(undefined, { type: 'interview.planned', interviewId: next.interview._id, at: new Date() });
    const second = (await HookDelivery.findOne({ _id: mongoose.trusted({ $ne: firstDelivery._id }) }).lean())!;
    expect((await processDelivery(second._id, services)).outcome).to.equal('retry');
    const paused = await HookEndpoint.findById(endpoint.id).lean();
    expect(paused).to.include({ state: 'paused' });
    expect(paused!.pausedReason).to.contain('3 days');
    expect((await HookDelivery.findById(firstDelivery._id).lean())?.state).to.equal('cancelled');
    const mail = await MailSend.find({ kind: 'staff', to: 'ada@debrief.test' }).lean();
    expect(mail).to.have.length(1);
    expect(mail[0]!.template).to.equal('staff-notice');
    expect(JSON.parse(mail[0]!.data!).subject).to.equal(`Webhook paused: ${receiver.url}`);
    // Paused: new events are not sent to it.
    await publishHookEvent(app.queue, { type: 'interview.planned', interviewId: first.interview._id, at: new Date() });
    await lostDeal('FAIL-3');
    expect(await HookDelivery.countDocuments({ state: mongoose.trusted({ $in: ['pending', 'retrying'] }) })).to.equal(0);
  });
});
