import { expect } from 'chai';
import mongoose from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { heartbeatJob } from '../../jobs/heartbeat.ts';
import { jobs } from '../../jobs/index.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createQueue, defineJob, JobPayloadError, jobsCollection } from '../../src/lib/queue.ts';
import { latestHeartbeat } from '../../src/system/service.ts';
import type { JobId } from 'agenda';
import { MongoClient, ObjectId } from 'mongodb';
import { testConfig, testWorkerServices } from '../helpers/app.ts';
import { testDatabaseUri, useTestDatabase } from '../helpers/db.ts';
import { captureLogs } from '../helpers/logs.ts';

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe('the job queue', () => {
  useTestDatabase('queue');
  const logger = createLogger('silent');

  it('a job lock that cannot be given back (the database went away) is logged, and stops nothing', async () => {
    // agenda releases some locks without waiting for the release; a rejection there would be unhandled
    // and stop the process. Here the release runs on a connection that is closed.
    const client = await MongoClient.connect(testDatabaseUri('queue_gone'));
    const logs = captureLogs('warn');
    const queue = createQueue({ db: client.db(), jobs, logger: logs.logger, pollMs: 100, inProcessNotifications: false });
    await client.close();
    const jobId = String(new ObjectId()) as JobId;
    await queue.agenda.db.unlockJob({ _id: jobId, name: heartbeatJob.name, priority: 0, nextRunAt: null, type: 'normal', data: {} });
    expect(logs.text()).to.contain('could not release a job lock').and.contain(jobId);
  });

  it('runs a scheduled job in the worker: the heartbeat job records that the queue is alive', async () => {
    const queue = createQueue({ db: mongoose.connection.db!, jobs, logger, pollMs: 100, inProcessNotifications: true });
    await queue.start(testWorkerServices(testConfig()));
    try {
      expect(await latestHeartbeat()).to.equal(null);
      await queue.enqueue(heartbeatJob, {});
      const beat = await waitFor(() => latestHeartbeat());
      expect(Date.now() - beat.beatAt.getTime()).to.be.lessThan(10000);
    } finally {
      await queue.stop(2000);
    }
  });

  it('runs a job scheduled by a web process in a separate worker process (polling, no shared memory)', async () => {
    const ran: number[] = [];
    const countJob = defineJob({ name: 'test.count', payload: z.object({ n: z.number().int() }).strict(), run: async ({ n }) => void ran.push(n) });
    const web = createQueue({ db: mongoose.connection.db!, jobs: [{ job: countJob }], logger, pollMs: 100, inProcessNotifications: false });
    const worker = createQueue({ db: mongoose.connection.db!, jobs: [{ job: countJob }], logger, pollMs: 100, inProcessNotifications: false });
    await worker.start(testWorkerServices(testConfig()));
    try {
      await web.enqueue(countJob, { n: 7 }, new Date(Date.now() + 300));
      await waitFor(async () => ran.length > 0);
      expect(ran).to.deep.equal([7]);
    } finally {
      await worker.stop(2000);
    }
  });

  it('refuses to enqueue a job with a bad payload and stores nothing', async () => {
    const queue = createQueue({ db: mongoose.connection.db!, jobs, logger, pollMs: 100, inProcessNotifications: false });
    const before = await mongoose.connection.db!.collection(jobsCollection).countDocuments();
    const err = await queue.enqueue(heartbeatJob, { unexpected: true } as never).catch((e: Error) => e);
    expect(err).to.be.instanceOf(JobPayloadError);
    expect((err as Error).message).to.contain('system.heartbeat');
    expect(await mongoose.connection.db!.collection(jobsCollection).countDocuments()).to.equal(before);
  });

  it('fails a stored job whose payload no longer validates, without running its handler', async () => {
    let handled = false;
    const strictJob = defineJob({ name: 'test.strict', payload: z.object({ id: z.string() }).strict(), run: async () => void (handled = true) });
    const queue = createQueue({ db: mongoose.connection.db!, jobs: [{ job: strictJob }], logger, pollMs: 100, inProcessNotifications: true });
    await queue.start(testWorkerServices(testConfig()));
    try {
      // Written as an older release might have: a number where a string is now expected.
      await queue.agenda.now('test.strict', { id: 42 });
      const failed = await waitFor(async () => {
        const job = await mongoose.connection.db!.collection(jobsCollection).findOne({ name: 'test.strict' });
        return job?.failReason ? job : null;
      });
      expect(String(failed.failReason)).to.contain('bad payload');
      expect(handled).to.equal(false);
    } finally {
      await queue.stop(2000);
    }
  });
});
