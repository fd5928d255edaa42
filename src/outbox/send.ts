// Sends one outbox record, exactly once as far as SMTP allows. Before talking SMTP the sender takes a
// claim on the attempt (a unique insert) and records it; once the server accepts the message the record
// is marked sent. A run after a crash or a lost lock finds the record: sent means nothing to do (but the
// follow-ups, which are idempotent, run again), pending or sending means send again under the same
// Message-ID. So a crash can repeat a message under its one Message-ID, never lose one, never give it a
// second id. Temporary SMTP failures retry with exponential backoff and jitter for up to 24 hours; a
// permanent failure ends the record and, for a buyer, marks the interview bounced.
import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import mongoose from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import { isPermanentSmtpFailure, smtpFailureSummary, type Mailer } from '../lib/mailer.ts';
import { MongoRateLimitStore } from '../lib/rate-limit.ts';
import type { Secrets } from '../lib/secrets.ts';
import { Interview, type InterviewState } from '../interviews/model.ts';
import { defaultSendWindow, isValidTimeZone, nextSendableTime } from '../program/schedule.ts';
import { isSuppressed, suppressAddress } from '../suppression/service.ts';
import { kinds, loadSendContext, openBuyerStates, type Composed, type SendContext } from './kinds.ts';
import { renderEmail } from '../mail/render.ts';
import { MailClaim, MailSend, type EmailKind, type MailSendDoc } from './model.ts';

export interface OutboxServices {
  mailer: Mailer;
  appUrl: string;
  secrets: Secrets;
  /** Messages per minute to one recipient domain. */
  perDomainPerMinute: number;
  /** MAIL_FROM: its display name names the company until a marketer does. */
  mailFrom?: string;
}

/** Schedules a job (the send job, the expiry job); set by the worker's queue, see schedule.ts. */
export type Scheduler = (kind: EmailKind, interviewId: Types.ObjectId | string, step: number, at: Date) => Promise<void>;

export const retryWindowMs = 24 * 3_600_000;
/** Longer than a send can take (three 10-second SMTP timeouts): a claim older than this was abandoned. */
export const claimLeaseMs = 45_000;

export function sendKey(kind: EmailKind, interviewId: Types.ObjectId | string, step = 0): string {
  return `${kind}:${String(interviewId)}:${step}`;
}

/** Derived from the key alone (and the app's host), so every worker and every attempt agrees on it. */
export function messageIdFor(key: string, appUrl: string): string {
  const host = new URL(appUrl).hostname || 'debrief.invalid';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${host}>`;
}

/** Creates the outbox record if there is none yet; returns it, and whether this call created it. */
export async function ensureSendRecord(kind: EmailKind, interviewId: Types.ObjectId | string, step: number, dueAt: Date): Promise<{ record: MailSendDoc; created: boolean }> {
  const key = sendKey(kind, interviewId, step);
  try {
    const doc = await MailSend.create({ _id: key, kind, interviewId, step, dueAt, state: 'pending' });
    return { record: doc.toObject() as MailSendDoc, created: true };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  return { record: (await MailSend.findById(key).lean<MailSendDoc>())!, created: false };
}

/** Exponential backoff with jitter: about 30 s, 1 min, 2 min ... capped at one hour. */
export function retryDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

const domainLimit = new MongoRateLimitStore('mail-domain');
domainLimit.windowMs = 60_000;

/** Takes the claim on the next attempt; null while another worker holds a fresh claim. */
async function claimAttempt(record: MailSendDoc, now: Date): Promise<number | null> {
  for (let attempt = (record.attempts ?? 0) + 1; attempt < (record.attempts ?? 0) + 20; attempt += 1) {
    try {
      await MailClaim.create({ _id: `${record._id}#${attempt}`, at: now });
      return attempt;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const held = await MailClaim.findById(`${record._id}#${attempt}`).lean();
      if (held && now.getTime() - held.at.getTime() < claimLeaseMs) return null;
      // Abandoned (the worker died before recording it): the next attempt number is free.
    }
  }
  return null;
}

async function setInterviewState(id: Types.ObjectId, from: readonly InterviewState[], to: InterviewState, note: string, at: Date): Promise<boolean> {
  const { modifiedCount } = await Interview.updateOne(
    { _id: id, state: mongoose.trusted({ $in: [...from] }) },
    { $set: { state: to }, $push: { timeline: { state: to, at, note } } },
  );
  return modifiedCount > 0;
}

export interface SendRun {
  services: OutboxServices;
  logger: Logger;
  schedule: Scheduler;
  runAgainAt(when: Date): void;
  now?: () => Date;
}

export type SendOutcome = 'sent' | 'already-sent' | 'skipped' | 'failed' | 'retry' | 'deferred' | 'missing';

/** What happens once an email went: the interview's state, the next emails. Safe to run twice. */
async function followUp(record: MailSendDoc, ctx: SendContext, run: SendRun): Promise<void> {
  const sentAt = record.sentAt ?? new Date();
  const { interview, program, settings } = ctx;
  const label = record.kind === 'last_call' ? 'Last call sent' : `Reminder ${record.step} sent`;
  switch (record.kind) {
    case 'invitation': {
      const expiresAt = new Date(sentAt.getTime() + settings.expireAfterDays * 86_400_000);
      await Interview.updateOne(
        { _id: interview._id, state: 'planned' },
        { $set: { state: 'invited', expiresAt }, $push: { timeline: { state: 'invited', at: sentAt, note: 'Invitation sent' } } },
      );
      const rules = { ...defaultSendWindow, programTimeZone: program.timeZone, sendFrom: program.sendFrom, sendUntil: program.sendUntil };
      const contact = ctx.deal?.contacts.find((c) => c.email === interview.contact?.email);
      const timeZone = contact?.timeZone && isValidTimeZone(contact.timeZone) ? contact.timeZone : program.timeZone;
      const days = settings.reminderDays;
      for (const [i, d] of days.entries()) {
        const at = nextSendableTime(new Date(sentAt.getTime() + d * 86_400_000), rules, timeZone);
        await run.schedule(i === days.length - 1 ? 'last_call' : 'reminder', interview._id, i + 1, at);
      }
      break;
    }
    case 'reminder':
    case 'last_call':
      if (!(await setInterviewState(interview._id, ['invited'], 'reminded', label, sentAt))) {
        await Interview.updateOne({ _id: interview._id, state: 'reminded' }, { $push: { timeline: { state: 'reminded', at: sentAt, note: label } } });
      }
      break;
    case 'rep_plan':
      break;
    default:
      break;
  }
  await MailSend.updateOne({ _id: record._id }, { $set: { followedUpAt: new Date() } });
}

async function onPermanentFailure(record: MailSendDoc, ctx: SendContext, run: SendRun, now: Date, reason: string): Promise<void> {
  if (kinds[record.kind].audience !== 'buyer' || record.kind === 'thank_you') return;
  const bounced = await setInterviewState(ctx.interview._id, ['planned', ...openBuyerStates], 'bounced', 'The mail server refused the address', now);
  const address = ctx.interview.contact?.email;
  if (address) await suppressAddress(address, { source: 'bounce', actor: { type: 'system', email: 'outbox' }, note: `Refused by the mail server (${reason})` });
  if (bounced) await run.schedule('marketer_bounced', ctx.interview._id, 0, now);
}

interface Prepared {
  /** The interview the email is about; null for a standalone email (the digest). */
  ctx: SendContext | null;
  to: string | null;
  audience: 'buyer' | 'staff';
  skip: string | null;
  compose(): Promise<Composed>;
}

/** What the record is about and how to write it; null when its interview is gone. */
async function prepare(record: MailSendDoc, services: OutboxServices): Promise<Prepared | null> {
  if (!record.interviewId) {
    const data = record.data ? (JSON.parse(record.data) as object) : {};
    return { ctx: null, to: record.to ?? null, audience: 'staff', skip: record.template ? null : 'the email has no template', compose: () => renderEmail(record.template!, data) };
  }
  const ctx = await loadSendContext(record.interviewId, record.step ?? 0, services.appUrl, services.secrets, services.mailFrom);
  if (!ctx) return null;
  const spec = kinds[record.kind];
  return { ctx, to: spec.recipient(ctx), audience: spec.audience, skip: spec.skip(ctx), compose: () => spec.compose(ctx) };
}

export async function processSend(key: string, run: SendRun): Promise<SendOutcome> {
  const now = run.now?.() ?? new Date();
  const { services, logger } = run;
  const record = await MailSend.findById(key).lean<MailSendDoc & { followedUpAt?: Date }>();
  if (!record) {
    logger.warn({ key }, 'no outbox record for this send');
    return 'missing';
  }
  if (record.state === 'failed' || record.state === 'skipped') return 'already-sent';
  const prepared = await prepare(record, services);
  if (!prepared) {
    await MailSend.updateOne({ _id: key }, { $set: { state: 'skipped', skipReason: 'the interview no longer exists' } });
    return 'skipped';
  }
  const { ctx, to, audience } = prepared;
  if (record.state === 'sent') {
    if (!record.followedUpAt && ctx) await followUp(record, ctx, run);
    return 'already-sent';
  }
  const skip = prepared.skip ?? (to ? null : 'there is no address to send to');
  if (skip || !to) {
    await MailSend.updateOne({ _id: key }, { $set: { state: 'skipped', skipReason: skip } });
    logger.info({ key, reason: skip }, 'email not sent');
    return 'skipped';
  }
  const toDomain = to.slice(to.lastIndexOf('@') + 1).toLowerCase();
  if (audience === 'buyer' && ctx && (await isSuppressed(to))) {
    await MailSend.updateOne({ _id: key }, { $set: { state: 'skipped', skipReason: 'the address is on the suppression list', toDomain } });
    if (record.kind !== 'thank_you') await setInterviewState(ctx.interview._id, ['planned', ...openBuyerStates], 'opted_out', 'The address is on the suppression list', now);
    return 'skipped';
  }
  const { totalHits } = await domainLimit.increment(toDomain);
  if (totalHits > services.perDomainPerMinute) {
    run.runAgainAt(new Date((Math.floor(now.getTime() / 60_000) + 1) * 60_000 + Math.random() * 10_000));
    return 'deferred';
  }
  const attempt = await claimAttempt(record, now);
  if (attempt === null) {
    run.runAgainAt(new Date(now.getTime() + claimLeaseMs));
    return 'deferred';
  }
  const firstAttemptAt = record.firstAttemptAt ?? now;
  const messageId = record.messageId ?? messageIdFor(key, services.appUrl);
  await MailSend.updateOne({ _id: key }, { $set: { state: 'sending', attempts: attempt, lastAttemptAt: now, firstAttemptAt, toDomain, messageId } });
  const message = await prepared.compose();
  try {
    await services.mailer.send({ ...message, to, messageId });
  } catch (err) {
    const reason = smtpFailureSummary(err);
    if (isPermanentSmtpFailure(err) || now.getTime() - firstAttemptAt.getTime() >= retryWindowMs) {
      await MailSend.updateOne({ _id: key }, { $set: { state: 'failed', lastError: reason } });
      logger.warn({ key, reason }, 'email failed for good');
      if (ctx) await onPermanentFailure(record, ctx, run, now, reason);
      return 'failed';
    }
    const next = new Date(now.getTime() + retryDelayMs(attempt));
    await MailSend.updateOne({ _id: key }, { $set: { state: 'pending', lastError: reason, nextAttemptAt: next } });
    run.runAgainAt(next);
    return 'retry';
  }
  const sentAt = new Date();
  // A standalone email's data (an account link's token) is not kept once it has gone.
  await MailSend.updateOne({ _id: key }, { $set: { state: 'sent', sentAt }, $unset: { nextAttemptAt: 1, ...(ctx ? {} : { data: 1 }) } });
  if (ctx) await followUp({ ...record, state: 'sent', sentAt }, ctx, run);
  return 'sent';
}
