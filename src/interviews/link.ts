// The buyer's personal link, /i/<token>: 32 bytes from the CSPRNG (256 bits), bound to one interview.
// Only the token's SHA-256 is stored for lookup, as the _id of its BuyerLink. Reminders must carry the
// same link, so the token is also kept sealed (AES-256-GCM under a key derived from the app's secret,
// never stored): the database alone reveals no link. If the secret changes, the old link can no longer
// be recovered and the next email carries a new one.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import mongoose, { Schema, type Types } from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';
import type { Secrets } from '../lib/secrets.ts';
import { Interview } from './model.ts';
import type { StoredInterview } from './planner.ts';

const buyerLinkSchema = new Schema(
  {
    _id: { type: String, required: true },
    interviewId: { type: Schema.Types.ObjectId, ref: 'Interview', required: true, index: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const BuyerLink = mongoose.model('BuyerLink', buyerLinkSchema);

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/** Whether a string has the shape of a token (43 base64url characters): cheap to refuse early. */
export function isTokenShaped(token: string): boolean {
  return tokenPattern.test(token);
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function seal(token: string, key: Buffer, interviewId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(interviewId));
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

function unseal(sealed: string, key: Buffer, interviewId: string): string | null {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(interviewId));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * The interview's link token: the one issued before, or a new one. Safe to call from two workers at
 * once: each may issue a link, and both links open the interview (see below). `known`: the interview as
 * the caller has just read it (the outbox, for each email), which saves reading it again.
 */
export async function buyerLinkToken(interviewId: Types.ObjectId | string, secrets: Secrets, known?: { linkSealed?: string | null }): Promise<string> {
  const id = String(interviewId);
  const key = secrets.key('buyer-link');
  const current = known ?? (await Interview.findById(id).select({ linkSealed: 1 }).lean<{ linkSealed?: string }>());
  if (!current) throw new Error(`No interview ${id}`);
  if (current.linkSealed) {
    const token = unseal(current.linkSealed, key, id);
    if (token) return token;
  }
  const token = randomBytes(32).toString('base64url');
  try {
    await BuyerLink.create({ _id: tokenHash(token), interviewId: id });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  // Two workers issuing at once each store a link and the last sealed one is kept for later emails;
  // both links open the interview, so an email already sent with the other still works.
  await Interview.updateOne({ _id: id }, { $set: { linkSealed: seal(token, key, id) } });
  return token;
}

/**
 * Issues links, in one insert and one bulk write, to those of these interviews that have none yet (a
 * batch of invitations), and notes each sealed link on the interview objects given, so that
 * buyerLinkToken(id, secrets, interview) then finds it without a database round trip. The same race as
 * buyerLinkToken's: two workers issuing at once both store a link, both links work.
 */
export async function ensureBuyerLinks(interviews: { _id: Types.ObjectId; linkSealed?: string | null }[], secrets: Secrets): Promise<void> {
  const key = secrets.key('buyer-link');
  const issued = new Map<string, { token: string; sealed: string }>();
  for (const interview of interviews) {
    const id = String(interview._id);
    if (interview.linkSealed && unseal(interview.linkSealed, key, id)) continue;
    if (!issued.has(id)) {
      const token = randomBytes(32).toString('base64url');
      issued.set(id, { token, sealed: seal(token, key, id) });
    }
  }
  if (issued.size === 0) return;
  const links = [...issued].map(([id, { token }]) => ({ _id: tokenHash(token), interviewId: id }));
  await BuyerLink.insertMany(links);
  await Interview.bulkWrite([...issued].map(([id, { sealed }]) => ({ updateOne: { filter: { _id: id }, update: { $set: { linkSealed: sealed } } } })));
  for (const interview of interviews) {
    const mine = issued.get(String(interview._id));
    if (mine) interview.linkSealed = mine.sealed;
  }
}

/** The interview a token opens, or null (unknown token). Whether it may still be used is the caller's rule. */
export async function interviewForToken(token: string): Promise<StoredInterview | null> {
  if (!isTokenShaped(token)) return null;
  const link = await BuyerLink.findById(tokenHash(token)).lean();
  if (!link) return null;
  return Interview.findById(link.interviewId).lean<StoredInterview>();
}

export function buyerFormUrl(appUrl: string, token: string): string {
  return `${appUrl}/i/${token}`;
}
