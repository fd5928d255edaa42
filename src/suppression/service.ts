// Consent: the suppression list every send checks, the signed unsubscribe link every buyer email
// carries (with the RFC 8058 one-click headers), and the buyer's opt-out itself. Takes typed input and
// the actor; never sees req/res. Throws ValidationError for a bad address or domain and NotFoundError
// for an interview that does not exist.
import { createHmac, timingSafeEqual } from 'node:crypto';
import mongoose from 'mongoose';
import { audit, type Actor } from '../audit/index.ts';
import { pageSize, type Page } from '../lib/paging.ts';
import { terminalStates, transition, type InterviewState } from '../interviews/index.ts';
import { Interview } from '../interviews/model.ts';
import type { StoredInterview } from '../interviews/planner.ts';
import { changeToken, onMissedChange } from '../lib/change-token.ts';
import { isDuplicateKeyError } from '../lib/db.ts';
import { NotFoundError } from '../lib/errors.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import type { Secrets } from '../lib/secrets.ts';
import { Suppression, type SuppressionDoc, type SuppressionKind, type SuppressionSource } from './model.ts';
import { domainName, emailAddress, normaliseAddress, unsubscribeParams } from './schemas.ts';

/** What the rest of the app sees of an entry. */
export interface SuppressionView {
  /** What it blocks, as stored: "ada@example.com" or "@example.com". */
  key: string;
  kind: SuppressionKind;
  source: SuppressionSource;
  addedBy: string;
  createdAt: Date;
  note: string | null;
  interviewId: string | null;
}

export interface SuppressOptions {
  source: SuppressionSource;
  actor: Actor;
  note?: string | undefined;
}

/** created is false when the entry was already on the list (it is then left as it was). */
export interface SuppressResult {
  created: boolean;
  entry: SuppressionView;
}

export interface OptOutResult {
  /** The interview's state afterwards: opted_out, or completed (kept: the answers are in). */
  state: InterviewState;
  /** Whether this call moved the interview to opted_out (false when it already was, or was completed). */
  changed: boolean;
}

function view(doc: SuppressionDoc): SuppressionView {
  return {
    key: doc._id,
    kind: doc.kind,
    source: doc.source,
    addedBy: doc.addedBy,
    createdAt: doc.createdAt,
    note: doc.note ?? null,
    interviewId: doc.interviewId ? String(doc.interviewId) : null,
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------
// The check before every send

// What the check found, for the list as it was under one change token (src/lib/change-token.ts): every
// write to the list renews the token, and the next check then starts afresh. A wave of sends reads the
// token once (concurrent reads are shared) and looks up only what it has not seen under it, so the
// recipients' domains, which repeat, cost a lookup each only once per change of the list.
let lookups: { token: string; found: Map<string, boolean> } | null = null;
const maxLookupsKept = 10_000;
onMissedChange('suppressions', () => {
  lookups = null;
});

async function isListed(key: string, seen: { token: string; found: Map<string, boolean> }): Promise<boolean> {
  const known = seen.found.get(key);
  if (known !== undefined) return known;
  const listed = (await Suppression.exists({ _id: key })) !== null;
  if (seen.found.size >= maxLookupsKept) seen.found.clear();
  seen.found.set(key, listed);
  return listed;
}

/**
 * Whether Debrief must not email this address: it, or its whole domain, is on the list. Case does not
 * matter. A read of the list's change token, then a lookup by _id (index-backed on both engines) of the
 * address and of its domain, each unless already looked up under that token; an address without a
 * domain is checked as it is.
 */
export async function isSuppressed(email: string): Promise<boolean> {
  const address = normaliseAddress(email);
  const at = address.lastIndexOf('@');
  const keys = at >= 0 ? [address, address.slice(at)] : [address];
  const token = await changeToken('suppressions');
  if (lookups?.token !== token) lookups = { token, found: new Map() };
  const seen = lookups;
  const found = await Promise.all(keys.map((key) => isListed(key, seen)));
  return found.some(Boolean);
}

// ---------------------------------------------------------------------------------------------------
// The signed unsubscribe link: /u/<interviewId>.<sig>, sig = base64url HMAC-SHA256 of the interview id

function signature(interviewId: string, secrets: Secrets): Buffer {
  return createHmac('sha256', secrets.key('unsubscribe')).update(interviewId, 'utf8').digest();
}

/** The token of an interview's unsubscribe link: the id, a dot and its signature (43 characters). */
export function unsubscribeToken(interviewId: string, secrets: Secrets): string {
  return `${interviewId}.${signature(interviewId, secrets).toString('base64url')}`;
}

/** The interview a token stands for, if its signature is ours (compared in constant time), else null. */
export function verifyUnsubscribeToken(token: string, secrets: Secrets): string | null {
  const parsed = unsubscribeParams.safeParse({ token });
  if (!parsed.success) return null;
  const [interviewId, sig] = parsed.data.token.split('.') as [string, string];
  // Compared as text, so that only the one canonical encoding passes (the last base64url character has
  // spare bits: decoding first would let a second spelling of the same signature through).
  const given = Buffer.from(sig, 'utf8');
  const expected = Buffer.from(signature(interviewId, secrets).toString('base64url'), 'utf8');
  // Both are 43 characters when the pattern matched; the check keeps timingSafeEqual from throwing.
  return given.length === expected.length && timingSafeEqual(given, expected) ? interviewId : null;
}

/** The buyer's unsubscribe page for an interview: `${appUrl}/u/<interviewId>.<sig>`. */
export function unsubscribeUrl(appUrl: string, interviewId: string, secrets: Secrets): string {
  return `${appUrl.replace(/\/+$/, '')}/u/${unsubscribeToken(String(interviewId), secrets)}`;
}

/** The RFC 2369 and RFC 8058 headers for a buyer email: mail clients show an Unsubscribe button that POSTs. */
export function unsubscribeHeaders(appUrl: string, interviewId: string, secrets: Secrets): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl(appUrl, interviewId, secrets)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

// ---------------------------------------------------------------------------------------------------
// The list

type NewEntry = {
  _id: string;
  kind: SuppressionKind;
  source: SuppressionSource;
  addedBy: string;
  note?: string | undefined;
  interviewId?: mongoose.Types.ObjectId | undefined;
};

/** Inserts an entry, or answers the one already there: the unique _id makes a second insert fail (E11000) on both engines. */
async function insertEntry(doc: NewEntry, attempt = 1): Promise<SuppressResult> {
  try {
    // A note is for people reading the list (a bounce's SMTP answer can be long): keep what fits.
    const created = await Suppression.create({ ...doc, note: doc.note?.trim().slice(0, 500) || undefined });
    return { created: true, entry: view(created.toObject() as SuppressionDoc) };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const existing = await Suppression.findById(doc._id).lean<SuppressionDoc>();
    // Removed again between the insert and this read: the caller's intent stands, so insert once more.
    if (!existing && attempt < 3) return insertEntry(doc, attempt + 1);
    if (!existing) throw err;
    return { created: false, entry: view(existing) };
  }
}

function addedBy(actor: Actor): string {
  return actor.email ?? actor.type;
}

/** Puts one address on the list (idempotent: an address already there is left as it was). Audited when added. */
export async function suppressAddress(email: string, options: SuppressOptions): Promise<SuppressResult> {
  const key = parseOrThrow(emailAddress, email);
  const result = await insertEntry({ _id: key, kind: 'address', source: options.source, addedBy: addedBy(options.actor), note: options.note });
  if (result.created) await audit(options.actor, 'suppression.added', key, { kind: 'address', source: options.source });
  return result;
}

/** Puts a whole domain on the list ("example.com" or "@example.com"): nobody at it is emailed. Audited when added. */
export async function suppressDomain(domain: string, options: SuppressOptions): Promise<SuppressResult> {
  const key = `@${parseOrThrow(domainName, domain)}`;
  const result = await insertEntry({ _id: key, kind: 'domain', source: options.source, addedBy: addedBy(options.actor), note: options.note });
  if (result.created) await audit(options.actor, 'suppression.added', key, { kind: 'domain', source: options.source });
  return result;
}

/** Takes an entry off the list ("ada@example.com" or "@example.com"); the removed entry, or null if there was none. Audited. */
export async function removeSuppression(key: string, actor: Actor): Promise<SuppressionView | null> {
  const id = key.trim().toLowerCase();
  const doc = await Suppression.findById(id).lean<SuppressionDoc>();
  if (!doc) return null;
  const { deletedCount } = await Suppression.deleteOne({ _id: id });
  if (deletedCount === 0) return null;
  await audit(actor, 'suppression.removed', id, { kind: doc.kind, source: doc.source });
  return view(doc);
}

/** The list, newest first, 25 a page; search matches any part of an entry, case-insensitively. */
export async function listSuppressions(page: number, search = ''): Promise<Page<SuppressionView>> {
  const text = search.trim().toLowerCase();
  const filter = text ? { _id: new RegExp(escapeRegex(text)) } : {};
  const total = await Suppression.countDocuments(filter);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  const docs = await Suppression.find(filter)
    .sort({ createdAt: -1, _id: 1 })
    .skip((current - 1) * pageSize)
    .limit(pageSize)
    .lean<SuppressionDoc[]>();
  return { items: docs.map(view), total, page: current, pages };
}

// ---------------------------------------------------------------------------------------------------
// The buyer's opt-out

const optOutNotes: Record<'one-click' | 'link', string> = {
  'one-click': 'The buyer unsubscribed with their mail client’s one-click button.',
  link: 'The buyer unsubscribed on the page the email links to.',
};

/**
 * The buyer asked for no more emails: their address goes on the list (before anything else, so a send
 * checking the list from now on skips them) and the interview moves to opted_out, with a timeline
 * entry, unless it is completed. Idempotent: a second call changes nothing. Throws NotFoundError for an
 * unknown interview.
 */
export async function optOut(interviewId: string, via: 'one-click' | 'link', now = new Date()): Promise<OptOutResult> {
  if (!mongoose.isValidObjectId(interviewId)) throw new NotFoundError();
  let interview = await Interview.findById(interviewId).lean<StoredInterview>();
  if (!interview) throw new NotFoundError();

  const email = interview.contact?.email;
  const address = email ? emailAddress.safeParse(email) : undefined;
  if (address?.success) {
    await insertEntry({
      _id: address.data,
      kind: 'address',
      source: via === 'one-click' ? 'one-click' : 'unsubscribe-link',
      addedBy: 'buyer',
      interviewId: interview._id,
    });
  }

  // One conditional move from every state the machine lets an opt-out leave (all but the terminal ones:
  // completed answers stay completed), so a state written meanwhile (the buyer completing) is never
  // overwritten. Not applied: it is completed or already opted out, which is what we report.
  if (terminalStates.includes(interview.state)) return { state: interview.state, changed: false };
  const moved = await transition(interview._id, { to: 'opted_out', note: optOutNotes[via], at: now });
  if (moved) return { state: 'opted_out', changed: true };
  interview = await Interview.findById(interviewId).lean<StoredInterview>();
  if (!interview) throw new NotFoundError();
  return { state: interview.state, changed: false };
}

/** The interview's state, for the confirm page (null when there is no such interview). */
export async function interviewStateFor(interviewId: string): Promise<InterviewState | null> {
  if (!mongoose.isValidObjectId(interviewId)) return null;
  const doc = await Interview.findById(interviewId).select({ state: 1 }).lean<{ state: InterviewState }>();
  return doc?.state ?? null;
}
