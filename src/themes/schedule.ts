// When themes are recomputed: a few minutes after new answers arrive (debounced: one pending run covers
// every answer that comes in before it starts) and at once when a marketer asks. The status of each
// set's latest run is kept in a small document so that the page can show progress.
// agenda's unique() does not work on the embedded engine, so "is one already pending" is a plain query
// on agenda's collection: a job not yet started has a nextRunAt and no lock (a marketer's run of one set
// does not count: it leaves the other sets as they were).
import mongoose from 'mongoose';
import { themesRecomputeJob } from '../../jobs/themes-recompute.ts';
import { jobsCollection, type Queue } from '../lib/queue.ts';
import { ThemeRun } from './model.ts';
import { runStatus } from './runs.ts';
import type { ThemeSet } from './snapshots.ts';

/** How long after an answer arrives the themes are recomputed (more answers in between share the run). */
export const debounceMs = 3 * 60_000;

async function pendingJob(): Promise<{ nextRunAt: Date } | null> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('The database is not connected.');
  const job = await db.collection(jobsCollection).findOne({ name: themesRecomputeJob.name, 'data.set': { $exists: false }, lockedAt: null, nextRunAt: { $ne: null } }, { projection: { nextRunAt: 1 } });
  return job ? { nextRunAt: job.nextRunAt as Date } : null;
}

/** New answers arrived: recompute every theme set in a few minutes, unless a run is already pending. */
export async function themesChanged(queue: Queue, now = new Date()): Promise<void> {
  if (await pendingJob()) return;
  await queue.enqueue(themesRecomputeJob, {}, new Date(now.getTime() + debounceMs));
}

/** A marketer asked: recompute this set now. False when a run of it is already queued or running. */
export async function requestRecompute(queue: Queue, set: ThemeSet, now = new Date()): Promise<boolean> {
  const status = await runStatus(set, now);
  if (status.state === 'queued' || status.state === 'running') return false;
  await ThemeRun.updateOne({ _id: set }, { $set: { state: 'queued', progress: 0, requestedAt: now }, $unset: { error: 1, startedAt: 1, finishedAt: 1 } }, { upsert: true });
  await queue.enqueue(themesRecomputeJob, { set });
  return true;
}
