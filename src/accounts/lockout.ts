// Failed sign-ins, counted per email address whether or not an account has it: a lockout that only real
// accounts could reach would tell which addresses have one. After 5 failures an address is locked for a
// minute, doubling with each further failure up to an hour; a success or a password reset clears it. An
// address is kept as a SHA-256 (the audit log names who tried), and forgotten after a day without failures.
import { createHash } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';

export const lockout = { freeAttempts: 5, firstLockMs: 60_000, maxLockMs: 60 * 60_000, forgetAfterMs: 24 * 60 * 60_000 } as const;

const failuresSchema = new Schema(
  {
    // SHA-256 of the lower-cased address.
    _id: { type: String, required: true },
    failures: { type: Number, required: true, default: 0 },
    lockedUntil: { type: Date },
    lastFailureAt: { type: Date, required: true },
  },
  { versionKey: false },
);
const SignInFailures = mongoose.model('SignInFailures', failuresSchema, 'signinfailures');

const keyOf = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/** Until when the address is locked, or null. */
export async function lockedUntil(email: string, now = new Date()): Promise<Date | null> {
  const doc = await SignInFailures.findById(keyOf(email)).lean();
  return doc?.lockedUntil && doc.lockedUntil > now ? doc.lockedUntil : null;
}

/** Counts a failure; returns the lock it earned, if any. */
export async function recordFailure(email: string, now = new Date()): Promise<{ failures: number; lockedUntil: Date | null }> {
  const _id = keyOf(email);
  const count = () => SignInFailures.updateOne({ _id }, { $inc: { failures: 1 }, $set: { lastFailureAt: now } }, { upsert: true });
  try {
    await count();
  } catch (err) {
    // Two first failures at once: the second upsert's insert fails, the document exists now.
    if (!isDuplicateKeyError(err)) throw err;
    await count();
  }
  const failures = (await SignInFailures.findById(_id).lean())?.failures ?? 1;
  const over = failures - lockout.freeAttempts;
  if (over < 0) return { failures, lockedUntil: null };
  const until = new Date(now.getTime() + Math.min(lockout.firstLockMs * 2 ** over, lockout.maxLockMs));
  await SignInFailures.updateOne({ _id }, { $set: { lockedUntil: until } });
  return { failures, lockedUntil: until };
}

/** After a successful sign-in or a password reset. */
export async function clearFailures(email: string): Promise<void> {
  await SignInFailures.deleteOne({ _id: keyOf(email) });
}

/** Forgets addresses with no failure for a day (a lock lasts an hour at most); the daily retention job. Returns how many. */
export async function pruneFailures(now = new Date()): Promise<number> {
  const { deletedCount } = await SignInFailures.deleteMany({ lastFailureAt: mongoose.trusted({ $lt: new Date(now.getTime() - lockout.forgetAfterMs) }) });
  return deletedCount;
}
