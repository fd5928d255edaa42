// Plans emails: the outbox record first, then its job. The record's unique key decides whether a job
// is needed: only the call that creates the record enqueues, so there is one pending job per email.
// (Not agenda's unique(): a job may carry a batch of emails, and "send now" adds a second job on purpose.)
//
// The invitation waits as a job for its planned time. Later emails (reminders days ahead) wait as
// records only, and releaseDue enqueues them when their time comes: agenda looks for its next job among
// the queued ones on every poll, so the queue holds what is due, not weeks of future reminders.
// releaseDue also re-enqueues what went missing.
//
// A job sends one email or a batch. The dispatcher (batchingSchedulerFor), an event's emails and releaseDue
// put the emails due at about the same time into one job (up to maxBatchSize, their times at most batchWindowMs
// apart), which pays the queue's own cost per job (a lock, a save, a removal) once for them all.
//
// A record is marked enqueued before its job is enqueued: a crash between the two leaves a record
// marked but without a job, which releaseDue finds as stalled.
import mongoose, { type Types } from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';
import type { Queue } from '../lib/queue.ts';
import { sendEmailContract } from './jobs.ts';
import { MailClaim, MailSend, type EmailKind } from './model.ts';
import { claimLeaseMs, ensureSendRecord, maxBatchSize } from './send.ts';

/** Plans an email about an interview: its outbox record, and its send job when it is due soon. */
export type Scheduler = (kind: EmailKind, interviewId: Types.ObjectId | string, step: number, at: Date) => Promise<void>;

/** Emails due within this long are enqueued at once; later ones wait for releaseDue. */
const releaseAheadMs = 60_000;
/** Emails due within this long of each other may share a job, which runs at the latest of their times. */
export const batchWindowMs = 10_000;

const enqueuesNow = (kind: EmailKind, at: Date) => kind === 'invitation' || at.getTime() <= Date.now() + releaseAheadMs;

/** Plans each email as it comes: its job (of one email) is enqueued at once. */
export function schedulerFor(queue: Queue): Scheduler {
  return async (kind: EmailKind, interviewId: Types.ObjectId | string, step: number, at: Date) => {
    const now = enqueuesNow(kind, at);
    const { record, created } = await ensureSendRecord(kind, interviewId, step, at, now ? new Date() : undefined);
    if (created && now) await queue.enqueue(sendEmailContract, { key: record._id }, at);
  };
}

export type BatchingScheduler = Scheduler & {
  /** Enqueues the jobs of everything planned since the last flush, grouped; returns how many emails. */
  flush(): Promise<number>;
};

/**
 * Plans many emails in one go (the dispatcher): records are created as they come, their jobs are
 * enqueued together at flush(), emails due together in one job. Call flush() before the end.
 */
export function batchingSchedulerFor(queue: Queue): BatchingScheduler {
  let planned: { key: string; at: Date }[] = [];
  const schedule: Scheduler = async (kind, interviewId, step, at) => {
    const now = enqueuesNow(kind, at);
    const { record, created } = await ensureSendRecord(kind, interviewId, step, at, now ? new Date() : undefined);
    if (created && now) planned.push({ key: record._id, at });
  };
  return Object.assign(schedule, {
    async flush() {
      const items = planned;
      planned = [];
      await enqueueSends(queue, items);
      return items.length;
    },
  });
}

/**
 * Enqueues send jobs for these emails: sorted by time, those due within batchWindowMs of the first of a
 * group share one job (up to maxBatchSize), which runs at the group's latest time, so none goes early.
 */
export async function enqueueSends(queue: Queue, items: readonly { key: string; at: Date }[], now = new Date()): Promise<number> {
  const sorted = items.map(({ key, at }) => ({ key, at: at > now ? at : now })).sort((a, b) => a.at.getTime() - b.at.getTime());
  let jobs = 0;
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i]!.at.getTime();
    const group: { key: string; at: Date }[] = [];
    while (i < sorted.length && group.length < maxBatchSize && sorted[i]!.at.getTime() - first <= batchWindowMs) group.push(sorted[i++]!);
    const when = group[group.length - 1]!.at;
    await queue.enqueue(sendEmailContract, group.length === 1 ? { key: group[0]!.key } : { keys: group.map((g) => g.key) }, when > now ? when : undefined);
    jobs += 1;
  }
  return jobs;
}

/** Sends a planned invitation now instead of at its time ("send one early" in the queue page). */
export async function sendInvitationNow(queue: Queue, interviewId: Types.ObjectId | string, now = new Date()): Promise<void> {
  const { record } = await ensureSendRecord('invitation', interviewId, 0, now);
  // One that waited for an interviewer goes now too (the caller made sure someone signs it).
  if (record.state === 'waiting')
    await MailSend.updateOne({ _id: record._id, state: 'waiting' }, { $set: { state: 'pending', dueAt: now }, $unset: { lastError: 1 } });
  else if (record.state !== 'pending') return;
  // A second job for the same email: the one waiting for the planned time finds it sent.
  await queue.enqueue(sendEmailContract, { key: record._id });
}

/**
 * Sends on an interview's emails that waited for an interviewer (state waiting), due at `dueAt`: they
 * wait as records without a job, which releaseDue enqueues when they come due. Returns how many.
 */
export async function releaseWaitingEmails(interviewId: Types.ObjectId, dueAt: Date): Promise<number> {
  const { modifiedCount } = await MailSend.updateMany(
    { interviewId, state: 'waiting' },
    { $set: { state: 'pending', dueAt }, $unset: { lastError: 1, enqueuedAt: 1 } },
  );
  return modifiedCount;
}

const stalledAfterMs = 10 * 60_000;

/** Whether an attempt on the record is in flight now (a fresh claim on its next attempt). */
async function inFlight(record: { _id: string; attempts?: number | null }, now: Date): Promise<boolean> {
  const claim = await MailClaim.findById(`${record._id}#${(record.attempts ?? 0) + 1}`).lean();
  return !!claim && now.getTime() - claim.at.getTime() < claimLeaseMs;
}

/**
 * Enqueues the emails whose time has come and that have no job yet, and again those that should have
 * gone long ago with no attempt in sight (a job lost between the record and the job, or a worker that
 * died before agenda could hand the job on), in batches. Extra jobs are harmless: the sender's claims
 * and states let only one send happen.
 */
export async function releaseDue(queue: Queue, now = new Date(), limit = 500): Promise<number> {
  const stalledBefore = new Date(now.getTime() - stalledAfterMs);
  const filter: Record<string, unknown> = {
    state: mongoose.trusted({ $in: ['pending', 'sending'] }),
    dueAt: mongoose.trusted({ $lte: new Date(now.getTime() + releaseAheadMs) }),
  };
  const candidates = await MailSend.find(filter).select({ _id: 1, dueAt: 1, enqueuedAt: 1, nextAttemptAt: 1, updatedAt: 1, attempts: 1 }).limit(limit).lean();
  const release: { key: string; at: Date }[] = [];
  for (const record of candidates) {
    const due = !record.enqueuedAt;
    const stalled =
      record.updatedAt < stalledBefore && (!record.nextAttemptAt || record.nextAttemptAt < stalledBefore) && (record.enqueuedAt ?? now) < stalledBefore;
    if (!due && !stalled) continue;
    // A send in progress writes its record only when the attempt ends: leave it alone until then.
    if (stalled && (await inFlight(record, now))) continue;
    release.push({ key: record._id, at: record.dueAt });
  }
  if (release.length === 0) return 0;
  await MailSend.bulkWrite(release.map(({ key }) => ({ updateOne: { filter: { _id: key }, update: { $set: { enqueuedAt: now } } } })));
  await enqueueSends(queue, release, now);
  return release.length;
}

export interface StandaloneEmail {
  /** Unique per email, e.g. "digest:2026-W48:<user id>": the same key is never sent twice. */
  key: string;
  kind: 'digest' | 'staff';
  to: string;
  /** A folder under views/emails/. */
  template: string;
  data: Record<string, unknown>;
}

const keyPattern = /^[a-z_]+:[\w.:-]{1,200}$/;

/** Plans an email that is not about an interview (the weekly digest, account links), through the same outbox. */
export async function scheduleEmail(queue: Queue, email: StandaloneEmail, at = new Date()): Promise<boolean> {
  if (!keyPattern.test(email.key) || !email.key.startsWith(`${email.kind}:`)) throw new Error(`Not an outbox key for ${email.kind}: ${email.key}`);
  try {
    await MailSend.create({
      _id: email.key,
      kind: email.kind,
      to: email.to,
      template: email.template,
      data: JSON.stringify(email.data),
      dueAt: at,
      state: 'pending',
      enqueuedAt: new Date(),
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
  await queue.enqueue(sendEmailContract, { key: email.key }, at);
  return true;
}
