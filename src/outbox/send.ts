// Sends outbox records, each exactly once as far as SMTP allows. Before talking SMTP the sender takes a
// claim on the attempt (a unique insert, which is the attempt's record while it is in flight); once the
// server accepts the message the record is marked sent. A run after a crash or a lost lock finds the
// record: sent means nothing to do (but the follow-ups, which are idempotent, run again), pending means
// send again under the same Message-ID. So a crash can repeat a message under its one Message-ID, never
// lose one, never give it a second id. Only the recipient's address refused for good (or for 24 hours)
// ends the record and, for a buyer, marks the interview bounced. Everything else retries with exponential
// backoff and jitter (up to hourly), the record pending with its error for staff to see: temporary
// failures, and failures of ours (the template, the From, the server's configuration) however long they
// last, as they never were the recipient's doing.
//
// A job sends a batch of records (sendBatch; one email is a batch of one) in waves of a few. A wave is
// examined (each record and what it is about: should it still go?), rated (one reservation for all its
// recipient domains), claimed (one insert) and given its buyers' links (one insert) while the wave before
// it is sent, a few at a time, each marked sent as soon as the server accepts it; what went is followed
// up in one bulk write. Round trips to the database, not the work in them, are much of what an email
// costs, so what can be done for a wave at once is.
import { createHash } from 'node:crypto';
import mongoose, { type Types } from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import { blamesRecipient, isPermanentSmtpFailure, smtpFailureSummary, type Mailer } from '../lib/mailer.ts';
import type { Secrets } from '../lib/secrets.ts';
import { openBuyerStates, transition } from '../interviews/index.ts';
import { ensureBuyerLinks } from '../interviews/link.ts';
import { assignInterviewer, hasNamedInterviewer, markAwaitingInterviewer, noInterviewerMessage } from '../interviews/interviewers.ts';
import { isSuppressed, suppressAddress } from '../suppression/index.ts';
import { followsUp, followUp, type SentEmail } from './follow-up.ts';
import { reserveDomainSends } from './throttle.ts';
import { kinds, loadSendContext, sharedLoads, type Composed, type SendContext, type SharedLoads } from './kinds.ts';
import { addresseeOnlyHeader, renderEmail } from '../mail/index.ts';
import { MailClaim, MailSend, sendKey, type EmailKind, type MailSendDoc } from './model.ts';

export interface OutboxServices {
  mailer: Mailer;
  appUrl: string;
  secrets: Secrets;
  /** Messages per minute to one recipient domain. */
  perDomainPerMinute: number;
  /** MAIL_FROM: its display name names the company until a marketer does. */
  mailFrom?: string;
}

/** How long the recipient's server may refuse their address for a while before that counts as for good. */
export const retryWindowMs = 24 * 3_600_000;
/** Longer than a send can take (three 10-second SMTP timeouts): a claim older than this was abandoned. */
export const claimLeaseMs = 45_000;
/** The longest one send can take: the mailer's three 10-second timeouts. */
const sendTimeoutMs = 30_000;

/** Derived from the key alone (and the app's host), so every worker and every attempt agrees on it. */
export function messageIdFor(key: string, appUrl: string): string {
  const host = new URL(appUrl).hostname || 'debrief.invalid';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${host}>`;
}

/**
 * Creates the outbox record if there is none yet; returns it, and whether this call created it.
 * `enqueuedAt`: the caller enqueues the record's job right after (see schedule.ts).
 */
export async function ensureSendRecord(
  kind: EmailKind,
  interviewId: Types.ObjectId | string,
  step: number,
  dueAt: Date,
  enqueuedAt?: Date,
): Promise<{ record: MailSendDoc; created: boolean }> {
  const key = sendKey(kind, interviewId, step);
  try {
    const doc = await MailSend.create({ _id: key, kind, interviewId, step, dueAt, state: 'pending', ...(enqueuedAt ? { enqueuedAt } : {}) });
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

/**
 * Takes the claim on the next attempt; null while another run holds a fresh claim. The record's
 * `attempts` counts finished attempts only (it is written when an attempt ends), so a second run that
 * reads the record while an attempt is in flight tries that same attempt's claim and is refused: it
 * cannot start the next attempt beside it.
 */
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

/**
 * Takes the claims on the next attempt of each record in one insert; for each, the attempt, or null
 * while another run holds a fresh claim on it (claimAttempt settles those one by one).
 */
async function claimAttempts(records: readonly MailSendDoc[], now: Date): Promise<(number | null)[]> {
  if (records.length === 1) return [await claimAttempt(records[0]!, now)];
  const ids = records.map((r) => `${r._id}#${(r.attempts ?? 0) + 1}`);
  const refused = new Set<string>();
  try {
    await MailClaim.insertMany(
      ids.map((_id) => ({ _id, at: now })),
      { ordered: false },
    );
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { code?: number; getOperation?: () => { _id?: unknown } }[] }).writeErrors;
    if (!Array.isArray(writeErrors) || !writeErrors.every(isDuplicateKeyError)) throw err;
    for (const e of writeErrors) refused.add(String(e.getOperation?.()._id));
  }
  return Promise.all(records.map((r, i) => (refused.has(ids[i]!) ? claimAttempt(r, now) : (r.attempts ?? 0) + 1)));
}

export interface SendRun {
  services: OutboxServices;
  logger: Logger;
  now?: () => Date;
  /** Reads shared by the emails of one batch; each batch reads its own when absent. */
  shared?: SharedLoads;
}

export type SendOutcome = 'sent' | 'already-sent' | 'skipped' | 'failed' | 'retry' | 'deferred' | 'missing' | 'waiting';

/** The buyer's address refused for good: the interview bounced (its event tells the interviewer), the address suppressed. */
async function onPermanentFailure(record: MailSendDoc, ctx: SendContext, now: Date, reason: string): Promise<void> {
  if (kinds[record.kind].audience !== 'buyer' || record.kind === 'thank_you') return;
  await transition(ctx.interview._id, {
    from: ['planned', ...openBuyerStates],
    to: 'bounced',
    note: 'The mail server refused the address',
    at: now,
  });
  const address = ctx.interview.contact?.email;
  if (address) await suppressAddress(address, { source: 'bounce', actor: { type: 'system', email: 'outbox' }, note: `Refused by the mail server (${reason})` });
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
async function prepare(record: MailSendDoc, services: OutboxServices, shared?: SharedLoads): Promise<Prepared | null> {
  if (!record.interviewId) {
    const data = record.data ? (JSON.parse(record.data) as object) : {};
    // Account mail (kind staff: invitations, resets) holds a link to someone's account: the SMTP catcher
    // shows it to its addressee only.
    const headers = record.kind === 'staff' ? { headers: { [addresseeOnlyHeader]: 'yes' } } : {};
    return {
      ctx: null,
      to: record.to ?? null,
      audience: 'staff',
      skip: record.template ? null : 'the email has no template',
      compose: async () => ({ ...(await renderEmail(record.template!, data)), ...headers }),
    };
  }
  const ctx = await loadSendContext(record.interviewId, record.step ?? 0, services.appUrl, services.secrets, services.mailFrom, shared);
  if (!ctx) return null;
  const spec = kinds[record.kind];
  return { ctx, to: spec.recipient(ctx), audience: spec.audience, skip: spec.skip(ctx), compose: () => spec.compose(ctx) };
}

/**
 * Marks the record skipped, unless a run beside this one sent it meanwhile: that run's follow-up may be
 * what made this email pointless (an invitation's interview turned invited), and sent must stay sent.
 */
async function markSkipped(key: string, set: { skipReason: string | null; toDomain?: string }): Promise<void> {
  const current = await MailSend.findById(key).select({ state: 1 }).lean();
  if (current?.state === 'sent') return;
  await MailSend.updateOne({ _id: key }, { $set: { state: 'skipped', ...set } });
}

/** An email that should go now, with what it needs to go. */
interface Due {
  record: MailSendDoc;
  prepared: Prepared;
  to: string;
  toDomain: string;
  examinedAt: Date;
}

/**
 * An email examined longer ago than this (its batch held up by a slow mail server) is examined again
 * before it goes, so that an opt-out or an answer meanwhile still stops it.
 */
const reexamineAfterMs = 10_000;

interface Claimed extends Due {
  attempt: number;
  claimedAt: Date;
}

type Settled = { outcome: SendOutcome; again?: Date };

/** Reads the record and what it is about, and decides whether it should go: a Due, or how it ended. */
async function examine(key: string, run: SendRun, shared: SharedLoads, now: Date, sent: SentEmail[]): Promise<Due | Settled> {
  const { services, logger } = run;
  const record = await MailSend.findById(key).lean<MailSendDoc>();
  if (!record) {
    logger.warn({ key }, 'no outbox record for this send');
    return { outcome: 'missing' };
  }
  if (record.state === 'failed' || record.state === 'skipped') return { outcome: 'already-sent' };
  // Sent, with nothing to follow up: done, without reading what it was about.
  if (record.state === 'sent' && !followsUp(record.kind)) return { outcome: 'already-sent' };
  const prepared = await prepare(record, services, shared);
  if (!prepared) {
    await markSkipped(key, { skipReason: 'the interview no longer exists' });
    return { outcome: 'skipped' };
  }
  if (record.state === 'sent') {
    if (prepared.ctx) sent.push({ record, ctx: prepared.ctx, sentAt: record.sentAt ?? now });
    return { outcome: 'already-sent' };
  }
  return decide(record, prepared, run, now);
}

/** Whether the email should still go (its state, its address, the suppression list): a Due, or how it ended. */
async function decide(record: MailSendDoc, prepared: Prepared, run: SendRun, now: Date): Promise<Due | Settled> {
  const { logger } = run;
  const key = record._id;
  const { ctx, to, audience } = prepared;
  const skip = prepared.skip ?? (to ? null : 'there is no address to send to');
  if (skip || !to) {
    await markSkipped(key, { skipReason: skip });
    logger.info({ key, reason: skip }, 'email not sent');
    return { outcome: 'skipped' };
  }
  const toDomain = to.slice(to.lastIndexOf('@') + 1).toLowerCase();
  // A buyer's email is signed by a real person, named now if no one was when it was planned; with no one
  // to sign it, it waits (not failed, not skipped) until the dispatcher finds someone (dispatch.ts).
  if (audience === 'buyer' && ctx && !hasNamedInterviewer(ctx.interview)) {
    const signer = await assignInterviewer(ctx.interview, ctx.program);
    if (!signer) {
      await MailSend.updateOne(
        { _id: key, state: mongoose.trusted({ $in: ['pending', 'sending'] }) },
        { $set: { state: 'waiting', lastError: noInterviewerMessage } },
      );
      await markAwaitingInterviewer(ctx.interview._id);
      logger.info({ key }, 'email waits for an interviewer');
      return { outcome: 'waiting' };
    }
    ctx.interview.interviewer = signer;
  }
  if (audience === 'buyer' && ctx && (await isSuppressed(to))) {
    await markSkipped(key, { skipReason: 'the address is on the suppression list', toDomain });
    if (record.kind !== 'thank_you')
      await transition(ctx.interview._id, { from: ['planned', ...openBuyerStates], to: 'opted_out', note: 'The address is on the suppression list', at: now });
    return { outcome: 'skipped' };
  }
  return { record, prepared, to, toDomain, examinedAt: now };
}

/** Sends one claimed email and records how it ended; what went is added to `sent` for the follow-up. */
async function deliver(claimed: Claimed, run: SendRun, shared: SharedLoads, now: Date, sent: SentEmail[]): Promise<Settled> {
  const { services, logger } = run;
  let item: Claimed = claimed;
  if (now.getTime() - item.examinedAt.getTime() > reexamineAfterMs) {
    const prepared = await prepare(item.record, services, shared);
    if (!prepared) {
      await markSkipped(item.record._id, { skipReason: 'the interview no longer exists' });
      return { outcome: 'skipped' };
    }
    const again = await decide(item.record, prepared, run, now);
    if ('outcome' in again) return again;
    item = { ...item, ...again };
  }
  const { record, prepared, to, toDomain, attempt } = item;
  const key = record._id;
  const claimAge = now.getTime() - item.claimedAt.getTime();
  // Claims are taken when a batch starts. One that aged while earlier emails went may have been given
  // up (another run may have the next attempt now): this email waits for a run of its own. One about to
  // age during this send is renewed first, so that it holds until the send has ended.
  if (claimAge >= claimLeaseMs) return { outcome: 'deferred', again: now };
  if (claimAge > claimLeaseMs - sendTimeoutMs) await MailClaim.updateOne({ _id: `${key}#${attempt}` }, { $set: { at: now } });
  // The claim is the attempt's record while it is in flight; the outbox record learns of it when it
  // ends, in the one write that says how it ended.
  const attemptFields = {
    attempts: attempt,
    lastAttemptAt: now,
    firstAttemptAt: record.firstAttemptAt ?? now,
    toDomain,
    messageId: record.messageId ?? messageIdFor(key, services.appUrl),
  };
  // Pending with the error, to try again: the outcome of every failure that was not the recipient's.
  const retry = async (lastError: string): Promise<Settled> => {
    const next = new Date(now.getTime() + retryDelayMs(attempt));
    await MailSend.updateOne({ _id: key }, { $set: { ...attemptFields, state: 'pending', lastError, nextAttemptAt: next } });
    return { outcome: 'retry', again: next };
  };
  let message: Composed;
  try {
    message = await prepared.compose();
  } catch (err) {
    // Ours (a template, or the data behind it): never the recipient's doing.
    logger.error({ key, err }, 'email could not be written');
    return retry('the email could not be written');
  }
  try {
    await services.mailer.send({ ...message, to, messageId: attemptFields.messageId });
  } catch (err) {
    const reason = smtpFailureSummary(err);
    if (!blamesRecipient(err)) {
      if (isPermanentSmtpFailure(err)) logger.error({ key, reason }, 'email refused for a reason of ours: it waits, pending, until that is fixed');
      return retry(reason);
    }
    if (isPermanentSmtpFailure(err) || now.getTime() - attemptFields.firstAttemptAt.getTime() >= retryWindowMs) {
      await MailSend.updateOne({ _id: key }, { $set: { ...attemptFields, state: 'failed', lastError: reason } });
      logger.warn({ key, reason }, 'email failed for good');
      if (prepared.ctx) await onPermanentFailure(record, prepared.ctx, now, reason);
      return { outcome: 'failed' };
    }
    return retry(reason);
  }
  const sentAt = new Date();
  const { ctx } = prepared;
  // A standalone email's data (an account link's token) is not kept once it has gone.
  await MailSend.updateOne({ _id: key }, { $set: { ...attemptFields, state: 'sent', sentAt }, $unset: { nextAttemptAt: 1, ...(ctx ? {} : { data: 1 }) } });
  if (ctx && followsUp(record.kind)) sent.push({ record: { ...record, state: 'sent', sentAt }, ctx, sentAt });
  return { outcome: 'sent' };
}

/** Runs fn over the items, `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** The most emails one send job carries (its payload is checked against it). */
export const maxBatchSize = 100;

export interface BatchResult {
  /** How each email's run ended (an email whose run threw is in `failed` instead, or as well). */
  outcomes: Map<string, SendOutcome>;
  /** Emails to try again, each at its own time (a deferral, a retry after a temporary failure). */
  again: { key: string; at: Date }[];
  /** Emails whose run threw (a database error): the job is retried for them. */
  failed: { key: string; err: unknown }[];
}

/** A batch under way: what it shares, and how each of its emails ended so far. */
interface Batch {
  run: SendRun;
  shared: SharedLoads;
  concurrency: number;
  clock(): Date;
  result: BatchResult;
  settle(key: string, settled: Settled): void;
  fail(key: string, err: unknown): void;
}

function startBatch(run: SendRun, concurrency: number): Batch {
  const result: BatchResult = { outcomes: new Map(), again: [], failed: [] };
  return {
    run,
    shared: run.shared ?? sharedLoads(run.services.mailFrom),
    concurrency,
    clock: () => run.now?.() ?? new Date(),
    result,
    settle(key, { outcome, again }) {
      result.outcomes.set(key, outcome);
      if (again) result.again.push({ key, at: again });
    },
    fail(key, err) {
      result.failed.push({ key, err });
    },
  };
}

/** What each email of a wave is, and whether it should go now (more at once than are sent: nothing goes out here), in the job's order. */
async function examineWave(batch: Batch, wave: readonly string[], sent: SentEmail[]): Promise<Due[]> {
  const examined = new Map<string, Due>();
  await inParallel(wave, 2 * batch.concurrency, async (key) => {
    try {
      const step = await examine(key, batch.run, batch.shared, batch.clock(), sent);
      if ('outcome' in step) batch.settle(key, step);
      else examined.set(key, step);
    } catch (err) {
      batch.fail(key, err);
    }
  });
  return wave.flatMap((key) => examined.get(key) ?? []);
}

/** The per-domain rate: one reservation for the wave's domains; what exceeds it waits for the next minute. */
async function rateWave(batch: Batch, due: readonly Due[]): Promise<Due[]> {
  const byDomain = new Map<string, Due[]>();
  for (const d of due) byDomain.set(d.toDomain, [...(byDomain.get(d.toDomain) ?? []), d]);
  if (byDomain.size === 0) return [];
  const now = batch.clock();
  const mayGo = new Set<Due>();
  try {
    const may = await reserveDomainSends(new Map([...byDomain].map(([domain, items]) => [domain, items.length])), batch.run.services.perDomainPerMinute, now);
    const nextMinute = (Math.floor(now.getTime() / 60_000) + 1) * 60_000;
    for (const [domain, items] of byDomain) {
      const n = may.get(domain) ?? 0;
      for (const d of items.slice(0, n)) mayGo.add(d);
      for (const d of items.slice(n)) batch.settle(d.record._id, { outcome: 'deferred', again: new Date(nextMinute + Math.random() * 10_000) });
    }
  } catch (err) {
    for (const d of due) batch.fail(d.record._id, err);
  }
  return due.filter((d) => mayGo.has(d));
}

/** The claims on the attempts, in one insert; one held by another run waits until it may have been given up. */
async function claimWave(batch: Batch, allowed: readonly Due[]): Promise<Claimed[]> {
  if (allowed.length === 0) return [];
  const claimedAt = batch.clock();
  try {
    const attempts = await claimAttempts(
      allowed.map((d) => d.record),
      claimedAt,
    );
    const claimed: Claimed[] = [];
    allowed.forEach((d, i) => {
      const attempt = attempts[i];
      if (attempt == null) batch.settle(d.record._id, { outcome: 'deferred', again: new Date(claimedAt.getTime() + claimLeaseMs) });
      else claimed.push({ ...d, attempt, claimedAt });
    });
    return claimed;
  } catch (err) {
    for (const d of allowed) batch.fail(d.record._id, err);
    return [];
  }
}

const needsLink = (kind: EmailKind) => kind === 'invitation' || kind === 'reminder' || kind === 'last_call';

/** The buyers' links, for those who have none yet, in one insert; returns the emails ready to go. */
async function linkWave(batch: Batch, claimed: readonly Claimed[]): Promise<Claimed[]> {
  const linked = claimed.filter((c) => needsLink(c.record.kind) && c.prepared.ctx);
  if (linked.length === 0) return [...claimed];
  try {
    await ensureBuyerLinks(
      linked.map((c) => c.prepared.ctx!.interview),
      batch.run.services.secrets,
    );
    return [...claimed];
  } catch (err) {
    for (const c of linked) batch.fail(c.record._id, err);
    return claimed.filter((c) => !linked.includes(c));
  }
}

/** Examines, rates and claims a wave, and issues its links: what may go now. */
async function prepareWave(batch: Batch, wave: readonly string[], sent: SentEmail[]): Promise<Claimed[]> {
  const due = await examineWave(batch, wave, sent);
  const allowed = await rateWave(batch, due);
  const claimed = await claimWave(batch, allowed);
  return linkWave(batch, claimed);
}

/** Sends a wave's claimed emails, `concurrency` at a time; what went is added to `sent`. */
async function deliverWave(batch: Batch, claimed: readonly Claimed[], sent: SentEmail[]): Promise<void> {
  await inParallel(claimed, batch.concurrency, async (item) => {
    try {
      batch.settle(item.record._id, await deliver(item, batch.run, batch.shared, batch.clock(), sent));
    } catch (err) {
      batch.fail(item.record._id, err);
    }
  });
}

/** The interviews' states and the reminders of what went; if it fails, the job's retry finds them sent and follows up then. */
async function followUpWave(batch: Batch, sent: readonly SentEmail[]): Promise<void> {
  if (sent.length === 0) return;
  try {
    await followUp(sent);
  } catch (err) {
    for (const s of sent) batch.fail(s.record._id, err);
  }
}

/** Emails per wave: two rounds of sends. */
const waveSize = (concurrency: number) => Math.max(1, 2 * concurrency);

/**
 * Sends the records of one job, in waves of a few: while one wave's emails go out, the next wave is
 * examined and claimed, and the previous one followed up, so that the database and the mail server are
 * both kept busy, and no email waits long between its checks and its send. One email's failure or
 * deferral does not hold up the others; the reads every email shares are made once.
 */
export async function sendBatch(keys: readonly string[], run: SendRun, concurrency: number): Promise<BatchResult> {
  const batch = startBatch(run, concurrency);
  const unique = [...new Set(keys)];
  const waves: string[][] = [];
  for (let i = 0; i < unique.length; i += waveSize(concurrency)) waves.push(unique.slice(i, i + waveSize(concurrency)));
  const sentByWave = waves.map((): SentEmail[] => []);
  const followingUp: Promise<void>[] = [];
  let preparing = waves.length > 0 ? prepareWave(batch, waves[0]!, sentByWave[0]!) : null;
  for (let i = 0; i < waves.length; i += 1) {
    const claimed = await preparing!;
    preparing = i + 1 < waves.length ? prepareWave(batch, waves[i + 1]!, sentByWave[i + 1]!) : null;
    await deliverWave(batch, claimed, sentByWave[i]!);
    followingUp.push(followUpWave(batch, sentByWave[i]!));
  }
  await Promise.all(followingUp);
  return batch.result;
}
