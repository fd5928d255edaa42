// Single-use links for staff: invitations (valid 72 h) and password resets (valid 1 h). Only a SHA-256
// of the token is stored (tokens are 32 random bytes, so a fast hash is enough); a use is recorded by
// inserting a document keyed by the token's id, so a second use fails with E11000 on both engines.
import { createHash, randomBytes } from 'node:crypto';
import mongoose, { Schema, type Types } from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';

export const tokenLifetimes = { invite: 72 * 60 * 60_000, reset: 60 * 60_000 } as const;
export type TokenKind = keyof typeof tokenLifetimes;

const tokenSchema = new Schema(
  {
    kind: { type: String, enum: ['invite', 'reset'], required: true },
    hash: { type: String, required: true, unique: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true },
);
const StaffToken = mongoose.model('StaffToken', tokenSchema);

const tokenUseSchema = new Schema({ _id: { type: Schema.Types.ObjectId, required: true }, usedAt: { type: Date, required: true } }, { versionKey: false });
const StaffTokenUse = mongoose.model('StaffTokenUse', tokenUseSchema);

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function issueToken(kind: TokenKind, userId: Types.ObjectId | string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await StaffToken.create({ kind, hash: digest(token), userId, expiresAt: new Date(now.getTime() + tokenLifetimes[kind]) });
  return token;
}

export interface ValidToken {
  id: Types.ObjectId;
  userId: Types.ObjectId;
}

/** The token if it exists, is of this kind, has not expired and was not used; else null. */
export async function findValidToken(kind: TokenKind, token: string, now = new Date()): Promise<ValidToken | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const doc = await StaffToken.findOne({ hash: digest(token), kind }).lean();
  if (!doc || doc.expiresAt <= now) return null;
  if (await StaffTokenUse.exists({ _id: doc._id })) return null;
  return { id: doc._id, userId: doc.userId };
}

/** Marks the token used; false if it was used already (by a concurrent request, say). */
export async function consumeToken(id: Types.ObjectId, now = new Date()): Promise<boolean> {
  try {
    await StaffTokenUse.create({ _id: id, usedAt: now });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Earlier links of this kind for the user stop working when a new one is sent. */
export async function revokeTokens(kind: TokenKind, userId: Types.ObjectId | string, now = new Date()): Promise<void> {
  const open = await StaffToken.find({ kind, userId }).select({ _id: 1 }).lean();
  for (const t of open) await consumeToken(t._id, now);
}
