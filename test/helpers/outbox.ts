// Drives the outbox in tests through the real queue: hand new interviews over, then wait until every
// email job that is due has run (the app must run the worker: startTestApp({ worker: true })).
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { jobsCollection, type Queue } from '../../src/lib/queue.ts';
import { dispatchNewInterviews } from '../../src/outbox/dispatch.ts';
import { sendEmailContract } from '../../src/outbox/jobs.ts';
import { schedulerFor } from '../../src/outbox/schedule.ts';

/** Waits until no job of these names is due or running. */
export async function drainJobs(names: string[] = [sendEmailContract.name], timeoutMs = 20_000): Promise<void> {
  const jobs = mongoose.connection.db!.collection(jobsCollection);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = await jobs.countDocuments({
      name: { $in: names },
      $or: [{ nextRunAt: { $lte: new Date() } }, { lockedAt: { $ne: null } }],
    });
    if (busy === 0) return;
    if (Date.now() > deadline) throw new Error(`${busy} job(s) still due after ${timeoutMs} ms`);
    await sleep(50);
  }
}

export async function dispatchAndDrain(queue: Queue): Promise<number> {
  const count = await dispatchNewInterviews(schedulerFor(queue));
  await drainJobs();
  return count;
}
