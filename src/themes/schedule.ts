// When themes are recomputed: 3 minutes (debounceMs) after new answers arrive (debounced: one pending run covers
// every answer that comes in before it starts) and at once when a marketer asks. The status of each
// set's latest run is kept in a small document so that the page can show progress.
// "Is one already pending" is a document of our own, read by _id on every submitted form, not agenda's
// unique(): insert-only, its job still matches once it has run, so a later answer schedules nothing;
// otherwise every answer moves the run (a steady trickle would put it off for good), even one under way.
import mongoose, { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';
import type { Queue } from '../lib/queue.ts';
import { ThemeRun } from './model.ts';
import { runStatus } from './runs.ts';
import type { ThemeSet } from './types.ts';
import { themesRecomputeContract } from './jobs.ts';

/** How long after an answer arrives the themes are recomputed (more answers in between share the run). */
export const debounceMs = 3 * 60_000;

// _id 'answers': when the pending run for new answers starts. Past (or missing): none is pending.
const pendingSchema = new Schema({ _id: { type: String, required: true }, due: { type: Date, required: true } }, { versionKey: false });
const PendingRun = mongoose.model('ThemePendingRun', pendingSchema, 'themependingruns');

/** When the run for new answers starts, if one is pending (the themes page says so). */
export async function pendingRunAt(now = new Date()): Promise<Date | null> {
  const pending = await PendingRun.findById('answers').lean();
  return pending && pending.due > now ? pending.due : null;
}

/** New answers arrived: recompute every theme set `debounceMs` later, unless a run is already pending. */
export async function themesChanged(queue: Queue, now = new Date()): Promise<void> {
  const pending = await PendingRun.findById('answers').lean();
  if (pending && pending.due > now) return;
  const due = new Date(now.getTime() + debounceMs);
  try {
    if (pending) {
      // Claimed by whoever moves the time it read (a conditional update: one of two at once wins).
      const { modifiedCount } = await PendingRun.updateOne({ _id: 'answers', due: pending.due }, { $set: { due } });
      if (modifiedCount === 0) return;
    } else {
      await PendingRun.create({ _id: 'answers', due });
    }
  } catch (err) {
    if (isDuplicateKeyError(err)) return; // another answer created it this moment
    throw err;
  }
  await queue.enqueue(themesRecomputeContract, {}, due);
}

/** A marketer asked: recompute this set now. False when a run of it is already queued or running. */
export async function requestRecompute(queue: Queue, set: ThemeSet, now = new Date()): Promise<boolean> {
  const status = await runStatus(set, now);
  if (status.state === 'queued' || status.state === 'running') return false;
  await ThemeRun.updateOne(
    { _id: set },
    { $set: { state: 'queued', progress: 0, requestedAt: now }, $unset: { error: 1, startedAt: 1, finishedAt: 1 } },
    { upsert: true },
  );
  await queue.enqueue(themesRecomputeContract, { set });
  return true;
}
