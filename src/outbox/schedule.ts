// Plans emails: the outbox record first, then its job. The record's unique key decides whether a job
// is needed: only the call that creates the record enqueues, so there is one pending job per email.
// (agenda's own unique() cannot do it on the embedded engine: its upsert with $setOnInsert leaves out
// the null fields agenda's worker query relies on, and the job is never picked up.)
//
// The invitation waits as a job for its planned time. Later emails (reminders days ahead) wait as
// records only, and releaseDue enqueues them when their time comes: every job a worker polls for is
// read on each poll by the embedded engine (it has no index for agenda's query), so the queue holds
// what is due, not weeks of future reminders. releaseDue also re-enqueues what went missing.
import mongoose, { type Types } from 'mongoose';
import { sendEmailJob } from '../../jobs/send-email.ts';
import { isDuplicateKeyError } from '../lib/db.ts';
import type { Queue } from '../lib/queue.ts';
import { MailSend, type EmailKind } from './model.ts';
import { ensureSendRecord, type Scheduler } from './send.ts';

/** Emails due within this long are enqueued at once; later ones wait for releaseDue. */
const releaseAheadMs = 60_000;

export function schedulerFor(queue: Queue): Scheduler {
  return async (kind: EmailKind, interviewId: Types.ObjectId | string, step: number, at: Date) => {
    const { record, created } = await ensureSendRecord(kind, interviewId, step, at);
    if (!created) return;
    if (kind === 'invitation' || at.getTime() <= Date.now() + releaseAheadMs) {
      await queue.enqueue(sendEmailJob, { key: record._id }, at);
      await MailSend.updateOne({ _id: record._id }, { $set: { enqueuedAt: new Date() } });
    }
  };
}

/** Sends a planned invitation now instead of at its time ("send one early" in the queue page). */
export async function sendInvitationNow(queue: Queue, interviewId: Types.ObjectId | string, now = new Date()): Promise<void> {
  const { record } = await ensureSendRecord('invitation', interviewId, 0, now);
  if (record.state !== 'pending') return;
  // A second job for the same email: the one waiting for the planned time finds it sent.
  await queue.enqueue(sendEmailJob, { key: record._id });
}

const stalledAfterMs = 10 * 60_000;

/**
 * Enqueues the emails whose time has come and that have no job yet, and again those that should have
 * gone long ago with no attempt in sight (a job lost between the record and the job, or a worker that
 * died before agenda could hand the job on). Extra jobs are harmless: the sender's claims and states
 * let only one send happen.
 */
export async function releaseDue(queue: Queue, now = new Date(), limit = 500): Promise<number> {
  const stalledBefore = new Date(now.getTime() - stalledAfterMs);
  const filter: Record<string, unknown> = {
    state: mongoose.trusted({ $in: ['pending', 'sending'] }),
    dueAt: mongoose.trusted({ $lte: new Date(now.getTime() + releaseAheadMs) }),
  };
  const candidates = await MailSend.find(filter).select({ _id: 1, dueAt: 1, enqueuedAt: 1, nextAttemptAt: 1, updatedAt: 1 }).limit(limit).lean();
  let count = 0;
  for (const record of candidates) {
    const due = !record.enqueuedAt;
    const stalled = record.updatedAt < stalledBefore && (!record.nextAttemptAt || record.nextAttemptAt < stalledBefore) && (record.enqueuedAt ?? now) < stalledBefore;
    if (!due && !stalled) continue;
    await queue.enqueue(sendEmailJob, { key: record._id }, record.dueAt > now ? record.dueAt : undefined);
    await MailSend.updateOne({ _id: record._id }, { $set: { enqueuedAt: now } });
    count += 1;
  }
  return count;
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
    await MailSend.create({ _id: email.key, kind: email.kind, to: email.to, template: email.template, data: JSON.stringify(email.data), dueAt: at, state: 'pending' });
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
  await queue.enqueue(sendEmailJob, { key: email.key }, at);
  await MailSend.updateOne({ _id: email.key }, { $set: { enqueuedAt: new Date() } });
  return true;
}
