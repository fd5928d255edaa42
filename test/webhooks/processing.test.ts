// The request only stores the delivery; the job applies it. Without a running worker a webhook is still
// answered at once and durably kept, nothing about the deal changes until the worker runs, a delivery
// whose job was lost is applied by the sweep, and an endpoint without its secret refuses everything.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { webhookProcessJob } from '../../jobs/webhook-process.ts';
import { loadConfig, type ConfigError } from '../../src/config.ts';
import { Deal } from '../../src/deals/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { jobsCollection } from '../../src/lib/queue.ts';
import { WebhookDelivery } from '../../src/webhooks/model.ts';
import { maxDeliveryAttempts, processDelivery, pruneDeliveries, sweepDeliveries } from '../../src/webhooks/service.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { genericLost, hubspotSigned, send, settled, signed, webhookEnv } from './helpers.ts';

const logger = createLogger('silent');
const processJobs = () => mongoose.connection.db!.collection(jobsCollection).countDocuments({ name: webhookProcessJob.name });

describe('webhook processing', () => {
  useTestDatabase('webhooks_processing');
  beforeEach(async () => {
    await clearCollections();
  });

  describe('with no worker running', () => {
    let app: TestApp;
    beforeEach(async () => {
      app = await startTestApp({ env: webhookEnv });
    });
    afterEach(async () => {
      await app.close();
    });

    it('answers 202 having stored the delivery and queued one job, before the deal changes; the worker applies it later', async () => {
      const body = JSON.stringify(genericLost({ externalId: 'P-1' }));
      const res = await send(app.url, '/webhooks/generic', body, signed(body));
      expect(res.status).to.equal(202);
      const stored = await WebhookDelivery.findById(res.body.deliveryId).lean();
      expect(stored?.status).to.equal('received');
      expect(stored?.deal.externalId).to.equal('P-1');
      expect(await Deal.countDocuments()).to.equal(0);
      expect(await Interview.countDocuments()).to.equal(0);
      expect(await processJobs()).to.equal(1);

      // A retry while the job waits: a duplicate, and no second job.
      const again = await send(app.url, '/webhooks/generic', body, signed(body));
      expect(again.status).to.equal(200);
      expect(again.body.status).to.equal('duplicate');
      expect(await processJobs()).to.equal(1);

      await app.startWorker();
      expect((await settled(res.body.deliveryId)).outcome).to.equal('planned');
      expect((await Deal.findOne({ externalId: 'P-1' }).lean())?.status).to.equal('lost');
      expect(await Interview.countDocuments()).to.equal(1);
    });

    it('the sweep applies a delivery whose job never ran', async () => {
      const body = JSON.stringify(genericLost({ externalId: 'P-2' }));
      const res = await send(app.url, '/webhooks/generic', body, signed(body));
      await mongoose.connection.db!.collection(jobsCollection).deleteMany({ name: webhookProcessJob.name }); // the job is lost
      expect(await sweepDeliveries(logger, new Date())).to.equal(0); // too recent: its job may still come
      const later = new Date(Date.now() + 11 * 60_000);
      expect(await sweepDeliveries(logger, later)).to.equal(1);
      const delivery = await WebhookDelivery.findById(res.body.deliveryId).lean();
      expect(delivery?.status).to.equal('applied');
      expect(await Interview.countDocuments()).to.equal(1);
      expect(await sweepDeliveries(logger, later)).to.equal(0);
    });

    it('applying a delivery twice, even at once, changes the deal once', async () => {
      const body = JSON.stringify(genericLost({ externalId: 'P-3' }));
      const res = await send(app.url, '/webhooks/generic', body, signed(body));
      const results = await Promise.all([1, 2, 3].map(() => processDelivery(res.body.deliveryId!, logger)));
      // Every run reports the delivery applied; only the one that applied it has an outcome.
      expect(results.map((r) => r.status)).to.deep.equal(['applied', 'applied', 'applied']);
      expect(results.filter((r) => r.outcome)).to.have.length(1);
      expect(await Interview.countDocuments()).to.equal(1);
      expect((await WebhookDelivery.findById(res.body.deliveryId).lean())?.attempts).to.equal(1);
    });

    it('a failing delivery is retried (the job throws), then marked failed after the last attempt', async () => {
      const body = JSON.stringify(genericLost({ externalId: 'P-4' }));
      const res = await send(app.url, '/webhooks/generic', body, signed(body));
      const id = res.body.deliveryId!;
      // One injected fault: the database refuses the lifecycle's read of the deal.
      const findById = Deal.findById;
      Deal.findById = (() => {
        throw new Error('database hiccup');
      }) as unknown as typeof Deal.findById;
      try {
        const first = await processDelivery(id, logger).catch((err: Error) => err);
        expect(first).to.be.instanceOf(Error);
        const retrying = await WebhookDelivery.findById(id).lean();
        expect(retrying).to.include({ status: 'received', attempts: 1, lastError: 'database hiccup' });
        await WebhookDelivery.updateOne({ _id: id }, { $set: { attempts: maxDeliveryAttempts - 1 } });
        expect((await processDelivery(id, logger)).status).to.equal('failed');
      } finally {
        Deal.findById = findById;
      }
      expect((await WebhookDelivery.findById(id).lean())?.status).to.equal('failed');
      expect(await sweepDeliveries(logger, new Date(Date.now() + 11 * 60_000))).to.equal(0);
    });

    it('a delivery that no longer validates is failed at once, and a resend of it is taken up again', async () => {
      const body = JSON.stringify(genericLost({ externalId: 'P-5' }));
      const res = await send(app.url, '/webhooks/generic', body, signed(body));
      const id = res.body.deliveryId!;
      await WebhookDelivery.collection.updateOne({ _id: new mongoose.Types.ObjectId(id) }, { $set: { 'deal.name': 'x'.repeat(400) } });
      expect((await processDelivery(id, logger)).status).to.equal('failed');
      expect((await WebhookDelivery.findById(id).lean())?.lastError).to.match(/no longer validates/);
      expect(await Deal.countDocuments()).to.equal(0);

      const resend = await send(app.url, '/webhooks/generic', body, signed(body));
      expect(resend.status).to.equal(202);
      expect(resend.body).to.deep.equal({ status: 'accepted', deliveryId: id });
      expect(await WebhookDelivery.findById(id).lean()).to.include({ status: 'received', attempts: 0 });
    });
  });

  describe('without secrets configured', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp();
    });
    after(async () => {
      await app.close();
    });

    it('every endpoint answers 503 "not configured" and stores nothing, signed or not', async () => {
      const body = JSON.stringify(genericLost());
      for (const [path, headers] of [
        ['/webhooks/generic', signed(body)],
        ['/webhooks/salesforce', {}],
        ['/webhooks/hubspot', hubspotSigned(body, '/webhooks/hubspot')],
      ] as const) {
        const res = await send(app.url, path, body, headers);
        expect(res.status, path).to.equal(503);
        expect(res.body.error?.code).to.equal('webhook_not_configured');
        expect(res.body.error?.message).to.match(path.includes('hubspot') ? /HUBSPOT_CLIENT_SECRET/ : /WEBHOOK_SECRET/);
      }
      expect(await WebhookDelivery.countDocuments()).to.equal(0);
      expect(await Deal.countDocuments()).to.equal(0);
    });

    it('the configuration refuses secrets shorter than 16 characters', () => {
      const err = (() => {
        try {
          loadConfig({ WEBHOOK_SECRET: 'short', HUBSPOT_CLIENT_SECRET: 'also-short' });
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error('expected a ConfigError');
      })();
      expect(err.problems).to.deep.equal(['WEBHOOK_SECRET: must be at least 16 characters', 'HUBSPOT_CLIENT_SECRET: must be at least 16 characters']);
      expect(err.message).not.to.contain('short');
    });
  });

  it('deletes deliveries 30 days after they were done, and keeps any still waiting, however old', async () => {
    const now = new Date('2026-12-04T12:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 60 * 60_000);
    const delivery = (key: string, status: 'received' | 'applied' | 'skipped_stale' | 'failed', receivedDaysAgo: number, processedDaysAgo?: number) =>
      WebhookDelivery.create({
        key: `generic:id:${key}`,
        endpoint: 'generic',
        event: 'deal.lost',
        occurredAt: daysAgo(receivedDaysAgo),
        deal: { source: 'crm', externalId: key, name: key, buyerCompany: 'Acme', contacts: [{ name: 'Bea Buyer', email: 'bea@acme.example' }] },
        status,
        receivedAt: daysAgo(receivedDaysAgo),
        ...(processedDaysAgo === undefined ? {} : { processedAt: daysAgo(processedDaysAgo) }),
      });
    await delivery('old-applied', 'applied', 40, 40);
    await delivery('old-stale', 'skipped_stale', 35, 31);
    await delivery('old-failed', 'failed', 45, 44);
    await delivery('recent-applied', 'applied', 40, 29); // done 29 days ago: a retry is still a duplicate
    await delivery('old-waiting', 'received', 90);
    expect(await pruneDeliveries(now)).to.equal(3);
    const left = await WebhookDelivery.find().lean();
    expect(left.map((d) => d.deal.externalId).sort()).to.deep.equal(['old-waiting', 'recent-applied']);
  });
});
