// The generic CRM webhook end to end, with the job worker running: signed deliveries mark deals lost
// (one interview, however often they arrive), unsigned, stale or malformed ones change nothing, and events
// that arrive out of order never undo a newer change.
import { expect } from 'chai';
import { DealHistory } from '../../src/deals/history.ts';
import { Deal } from '../../src/deals/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { WebhookDelivery, WebhookSignedRequest } from '../../src/webhooks/model.ts';
import { pruneSignedRequests, rememberSignedMs } from '../../src/webhooks/service.ts';
import { useTestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { genericLost, send, settled, signed, waitFor, webhookEnv } from './helpers.ts';

describe('the generic CRM webhook', () => {
  useTestDatabase('webhooks_generic');
  const app = useTestApp({ env: webhookEnv, worker: true });
  beforeEach(async () => {
    await clearCollections();
  });
  afterEach(async () => {
    // Let the worker finish this test's deliveries before the next test clears the database.
    await waitFor(async () => (await WebhookDelivery.countDocuments({ status: 'received' })) === 0);
  });

  const post = (body: string, headers: Record<string, string> = signed(body)) => send(app.url, '/webhooks/generic', body, headers);

  async function nothingStored(): Promise<void> {
    expect(await WebhookDelivery.countDocuments()).to.equal(0);
    expect(await Deal.countDocuments()).to.equal(0);
    expect(await Interview.countDocuments()).to.equal(0);
  }

  it('a signed deal.lost answers 202, and the job marks the deal lost with one planned interview', async () => {
    const event = genericLost({ externalId: 'G-100' });
    const res = await post(JSON.stringify(event));
    expect(res.status).to.equal(202);
    expect(res.body.status).to.equal('accepted');
    expect(res.body.deliveryId).to.match(/^[0-9a-f]{24}$/);

    const delivery = await settled(res.body.deliveryId);
    expect(delivery.status).to.equal('applied');
    expect(delivery.outcome).to.equal('planned');
    const deal = await Deal.findOne({ source: 'generic', externalId: 'G-100' }).lean();
    expect(deal?.status).to.equal('lost');
    expect(deal?.competitor).to.equal('Clearpath');
    expect(deal?.repReason?.code).to.equal('price');
    expect(deal?.lostAt?.toISOString()).to.equal(event.occurredAt);
    const interviews = await Interview.find({ dealId: deal!._id }).lean();
    expect(interviews).to.have.length(1);
    expect(interviews[0]!.state).to.equal('planned');
    expect(String(delivery.dealId)).to.equal(String(deal!._id));
    const history = await DealHistory.find({ dealId: deal!._id }).lean();
    expect(history.map((h) => [h.event, h.via, h.actor])).to.deep.include.members([
      ['created', 'webhook', 'webhook:generic'],
      ['lost', 'webhook', 'webhook:generic'],
    ]);
  });

  it('keeps the normalised event, not the request: no signature or secret is stored', async () => {
    const body = JSON.stringify(genericLost());
    const headers = signed(body);
    const res = await post(body, headers);
    const stored = await WebhookDelivery.findById(res.body.deliveryId).lean();
    const raw = JSON.stringify(stored);
    expect(raw).not.to.contain(headers['X-Debrief-Signature']!.slice(7));
    expect(raw).not.to.contain(webhookEnv.WEBHOOK_SECRET);
    expect(stored?.endpoint).to.equal('generic');
    expect(stored?.event).to.equal('deal.lost');
    expect(stored?.key).to.match(/^generic:sha256:[0-9a-f]{64}$/);
  });

  it('the same delivery twice answers 200 duplicate the second time, and still one interview', async () => {
    const body = JSON.stringify(genericLost({ externalId: 'G-dup' }));
    const first = await post(body);
    await settled(first.body.deliveryId);
    // A retry: the same body, signed again a little later.
    const again = await post(body, signed(body, Math.floor(Date.now() / 1000) + 1));
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal({ status: 'duplicate', deliveryId: first.body.deliveryId });
    expect(await WebhookDelivery.countDocuments()).to.equal(1);
    expect(await Interview.countDocuments()).to.equal(1);
  });

  it('a delivery id header makes retries duplicates even when the body changes', async () => {
    const event = genericLost({ externalId: 'G-hdr' });
    const body = JSON.stringify(event);
    const first = await post(body, { ...signed(body), 'X-Debrief-Delivery': 'evt_123' });
    expect(first.status).to.equal(202);
    const body2 = JSON.stringify({ ...event, occurredAt: new Date(Date.now() - 1000).toISOString() });
    const again = await post(body2, { ...signed(body2), 'X-Debrief-Delivery': 'evt_123' });
    expect(again.status).to.equal(200);
    expect(again.body.status).to.equal('duplicate');
    expect((await WebhookDelivery.findById(first.body.deliveryId).lean())?.key).to.equal('generic:id:evt_123');
  });

  it('a signed request replayed within the 5 minutes is accepted once, whatever its delivery header says', async () => {
    const body = JSON.stringify(genericLost({ externalId: 'G-replay' }));
    const headers = signed(body);
    const first = await post(body, { ...headers, 'X-Debrief-Delivery': 'evt-1' });
    expect(first.status).to.equal(202);
    // The delivery header is not signed: a replay can carry another, or none.
    for (const delivery of [{ 'X-Debrief-Delivery': 'evt-2' }, {}, { 'X-Debrief-Delivery': 'evt-1' }] as Record<string, string>[]) {
      const replay = await post(body, { ...headers, ...delivery });
      expect(replay.status, JSON.stringify(delivery)).to.equal(200);
      expect(replay.body, JSON.stringify(delivery)).to.deep.equal({ status: 'duplicate', deliveryId: first.body.deliveryId });
    }
    expect(await WebhookDelivery.countDocuments()).to.equal(1);
    await settled(first.body.deliveryId);
    // The guard forgets a request once its timestamp would be refused anyway.
    expect(await WebhookSignedRequest.countDocuments()).to.equal(1);
    expect(await pruneSignedRequests(new Date(Date.now() + rememberSignedMs - 10_000))).to.equal(0);
    expect(await pruneSignedRequests(new Date(Date.now() + rememberSignedMs + 1000))).to.equal(1);
  });

  it('the same loss sent as two different deliveries still plans one interview', async () => {
    const event = genericLost({ externalId: 'G-twice' });
    const a = JSON.stringify(event);
    const b = JSON.stringify(event, null, 2); // different bytes, same event
    const first = await post(a, { ...signed(a), 'X-Debrief-Delivery': 'one' });
    const second = await post(b, { ...signed(b), 'X-Debrief-Delivery': 'two' });
    expect([first.status, second.status]).to.deep.equal([202, 202]);
    const outcomes = [(await settled(first.body.deliveryId)).outcome, (await settled(second.body.deliveryId)).outcome];
    expect(outcomes.sort()).to.deep.equal(['already_lost', 'planned']);
    expect(await Deal.countDocuments({ externalId: 'G-twice' })).to.equal(1);
    expect(await Interview.countDocuments()).to.equal(1);
  });

  describe('refuses what it cannot trust, and stores nothing', () => {
    it('an unsigned request', async () => {
      const res = await post(JSON.stringify(genericLost()), {});
      expect(res.status).to.equal(401);
      expect(res.body.error?.code).to.equal('missing_timestamp');
      await nothingStored();
    });

    it('a wrong signature', async () => {
      const body = JSON.stringify(genericLost());
      const res = await post(body, signed(body, undefined, 'some-other-secret-0123456789'));
      expect(res.status).to.equal(401);
      expect(res.body.error?.code).to.equal('invalid_signature');
      expect(res.body.error?.message).to.contain('X-Debrief-Signature');
      await nothingStored();
    });

    it('a body changed after signing', async () => {
      const body = JSON.stringify(genericLost());
      const res = await post(body.replace('42000', '1'), signed(body));
      expect(res.status).to.equal(401);
      await nothingStored();
    });

    it('a signature that is not sha256=<hex>', async () => {
      const body = JSON.stringify(genericLost());
      const headers = signed(body);
      const res = await post(body, { ...headers, 'X-Debrief-Signature': headers['X-Debrief-Signature']!.slice(7) });
      expect(res.status).to.equal(401);
      await nothingStored();
    });

    it('a timestamp 6 minutes old (a replay)', async () => {
      const body = JSON.stringify(genericLost());
      const res = await post(body, signed(body, Math.floor(Date.now() / 1000) - 6 * 60));
      expect(res.status).to.equal(401);
      expect(res.body.error?.code).to.equal('stale_timestamp');
      expect(res.body.error?.message).to.match(/more than 5 minutes old/);
      await nothingStored();
    });

    it('a timestamp 2 minutes in the future', async () => {
      const body = JSON.stringify(genericLost());
      const res = await post(body, signed(body, Math.floor(Date.now() / 1000) + 120));
      expect(res.status).to.equal(401);
      expect(res.body.error?.code).to.equal('future_timestamp');
      await nothingStored();
    });
  });

  describe('refuses what it cannot understand with 400 and per-field messages, and stores nothing', () => {
    it('malformed JSON', async () => {
      const res = await post('{"event": "deal.lost",');
      expect(res.status).to.equal(400);
      expect(res.body.error?.code).to.equal('validation_failed');
      expect(res.body.error?.message).to.equal('The request body is not valid JSON.');
      await nothingStored();
    });

    it('unknown fields, each named', async () => {
      const event = genericLost();
      const res = await post(JSON.stringify({ ...event, priority: 'high', deal: { ...event.deal, colour: 'red' } }));
      expect(res.status).to.equal(400);
      expect(res.body.error?.details).to.have.keys(['priority', 'deal.colour']);
      expect(res.body.error?.details?.['deal.colour']?.[0]).to.match(/not part of the payload/);
      await nothingStored();
    });

    it('a field called like an Object property (constructor, __proto__, toString) is named, not a 500', async () => {
      for (const field of ['constructor', '__proto__', 'toString']) {
        const event = JSON.stringify(genericLost());
        // Spliced into the raw JSON: an object literal would set the prototype instead of a "__proto__" key.
        const top = await post(`{"${field}":1,${event.slice(1)}`);
        expect(top.status, field).to.equal(400);
        expect(Object.keys(top.body.error?.details ?? {}), field).to.deep.equal([field]);
        expect(top.body.error?.details?.[field]?.[0], field).to.match(/not part of the payload/);
        const inDeal = await post(event.replace('"deal":{', `"deal":{"${field}":1,`));
        expect(inDeal.status, field).to.equal(400);
        expect(Object.keys(inDeal.body.error?.details ?? {}), field).to.deep.equal([`deal.${field}`]);
      }
      await nothingStored();
    });

    it('a missing externalId and a bad email', async () => {
      const event = genericLost();
      const { externalId: _omitted, ...deal } = event.deal;
      const res = await post(JSON.stringify({ ...event, deal: { ...deal, contacts: [{ name: 'X', email: 'not-an-email' }] } }));
      expect(res.status).to.equal(400);
      expect(res.body.error?.details?.['deal.externalId']).to.deep.equal(['This field is required.']);
      expect(res.body.error?.details?.['deal.contacts.0.email']?.[0]).to.match(/email address/);
      await nothingStored();
    });

    it('deal.lost without the loss, and an unknown event', async () => {
      const { loss: _omitted, ...event } = genericLost();
      const noLoss = await post(JSON.stringify(event));
      expect(noLoss.status).to.equal(400);
      expect(noLoss.body.error?.details?.loss?.[0]).to.match(/loss is required with deal\.lost/);
      const unknown = await post(JSON.stringify({ ...event, event: 'deal.exploded' }));
      expect(unknown.status).to.equal(400);
      expect(unknown.body.error?.details?.event?.[0]).to.match(/deal\.lost, deal\.reopened/);
      await nothingStored();
    });

    it('an occurredAt that is not an ISO date-time', async () => {
      const res = await post(JSON.stringify(genericLost({ occurredAt: 'yesterday' })));
      expect(res.status).to.equal(400);
      expect(res.body.error?.details).to.have.keys(['occurredAt']);
      await nothingStored();
    });
  });

  describe('out-of-order delivery', () => {
    it('a reopening that happened later, delivered first, wins over the older loss: no interview', async () => {
      const lostAt = new Date(Date.now() - 60_000).toISOString();
      const reopenedAt = new Date(Date.now() - 30_000).toISOString();
      const lost = genericLost({ externalId: 'G-order', occurredAt: lostAt });
      const { loss: _loss, ...rest } = lost;
      const reopened = { ...rest, event: 'deal.reopened', occurredAt: reopenedAt };

      const first = await post(JSON.stringify(reopened));
      expect((await settled(first.body.deliveryId)).status).to.equal('applied');
      const late = await post(JSON.stringify(lost));
      expect(late.status).to.equal(202);
      const skipped = await settled(late.body.deliveryId);
      expect(skipped.status).to.equal('skipped_stale');

      const deal = await Deal.findOne({ externalId: 'G-order' }).lean();
      expect(deal?.status).to.equal('open');
      expect(await Interview.countDocuments()).to.equal(0);
    });

    it('in order, a later reopening cancels the planned interview and a later win is recorded', async () => {
      const t = (s: number) => new Date(Date.now() - 60_000 + s * 1000).toISOString();
      const lost = genericLost({ externalId: 'G-seq', occurredAt: t(0) });
      const { loss: _loss, ...rest } = lost;
      await settled((await post(JSON.stringify(lost))).body.deliveryId);
      const reopened = await settled((await post(JSON.stringify({ ...rest, event: 'deal.reopened', occurredAt: t(10) }))).body.deliveryId);
      expect(reopened.outcome).to.equal('reopened, 1 interview(s) cancelled');
      expect((await Interview.findOne().lean())?.state).to.equal('cancelled');
      const won = await settled((await post(JSON.stringify({ ...rest, event: 'deal.won', occurredAt: t(20) }))).body.deliveryId);
      expect(won.outcome).to.equal('won');
      expect((await Deal.findOne({ externalId: 'G-seq' }).lean())?.status).to.equal('won');
    });
  });

  it('deal.updated changes the deal’s fields but not its status, and a source may be given', async () => {
    const lost = genericLost({ externalId: 'G-upd', deal: { source: 'pipedrive' } });
    const { loss: _loss, ...rest } = lost;
    const res = await post(JSON.stringify({ ...rest, event: 'deal.updated', deal: { ...rest.deal, amount: 50000 } }));
    expect((await settled(res.body.deliveryId)).outcome).to.equal('created');
    const deal = await Deal.findOne({ source: 'pipedrive', externalId: 'G-upd' }).lean();
    expect(deal?.status).to.equal('open');
    expect(deal?.amount).to.equal(50000);
  });

  it('answers JSON for other methods and paths, and sets no cookie', async () => {
    const get = await send(app.url, '/webhooks/generic', '', {}, 'GET');
    expect(get.status).to.equal(405);
    expect(get.headers.get('allow')).to.equal('POST');
    expect(get.body.error?.code).to.equal('method_not_allowed');
    const unknown = await send(app.url, '/webhooks/pipedrive', '{}', { accept: 'text/html' });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error?.code).to.equal('not_found');
    expect(unknown.headers.get('set-cookie')).to.equal(null);
  });

  it('refuses a body over 256 kB with 413', async () => {
    const body = JSON.stringify({ ...genericLost(), padding: 'x'.repeat(300 * 1024) });
    const res = await post(body);
    expect(res.status).to.equal(413);
    await nothingStored();
  });
});
