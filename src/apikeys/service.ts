// API keys: create (the plaintext is returned once and never stored), list, revoke, and authenticate a
// key presented by a program. Takes typed input and the actor; never sees req/res. Throws
// ValidationError for bad input and NotFoundError for an unknown key.
import { createHash, randomBytes } from 'node:crypto';
import { audit, type Actor } from '../audit/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { ApiKey, keyMarker, prefixLength, type ApiKeyDoc, type ApiKeyScope } from './model.ts';
import { newApiKeyInput, type NewApiKey } from './schemas.ts';
import { isDuplicateKeyError, unjournaled } from '../lib/db.ts';

/** lastUsedAt is written at most this often per key, not on every request. */
export const lastUsedResolutionMs = 60_000;

const keyPattern = /^dbk_[A-Za-z0-9_-]{43}$/;

/** What the rest of the app sees of a key: never the hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** The public id: the 8 characters after dbk_. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

function view(doc: ApiKeyDoc): ApiKeyView {
  return {
    id: String(doc._id),
    name: doc.name,
    prefix: doc.prefix,
    scopes: [...doc.scopes] as ApiKeyScope[],
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    lastUsedAt: doc.lastUsedAt ?? null,
    revokedAt: doc.revokedAt ?? null,
    revokedBy: doc.revokedBy ?? null,
  };
}

function hashKey(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

function label(key: { name: string; prefix: string }): string {
  return `${key.name} (${keyMarker}${key.prefix})`;
}

/** Creates a key. The plaintext `key` is in the answer only: show it once, then forget it. */
export async function createApiKey(input: NewApiKey, actor: Actor): Promise<{ key: string; record: ApiKeyView }> {
  const { name, scopes } = parseOrThrow(newApiKeyInput, input);
  // The prefix is unique; two keys sharing their first 48 random bits is unheard of, but try again if so.
  for (let attempt = 1; ; attempt++) {
    const key = keyMarker + randomBytes(32).toString('base64url');
    const prefix = key.slice(keyMarker.length, keyMarker.length + prefixLength);
    // A prefix starting with - reads as an option on the command line (`--prefix -Ab…`): draw again.
    if (prefix.startsWith('-')) continue;
    try {
      const doc = await ApiKey.create({ name, prefix, hash: hashKey(key), scopes, createdBy: actor.email ?? actor.type });
      const record = view(doc.toObject() as ApiKeyDoc);
      await audit(actor, 'api_key.created', label(record), { prefix, scopes: scopes.join(',') });
      return { key, record };
    } catch (err) {
      if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
    }
  }
}

/** Every key, newest first, revoked ones included (they stay for the record). */
export async function listApiKeys(): Promise<ApiKeyView[]> {
  const docs = await ApiKey.find().select({ hash: 0 }).sort({ createdAt: -1 }).lean<ApiKeyDoc[]>();
  return docs.map(view);
}

export async function findApiKeyByPrefix(prefix: string): Promise<ApiKeyView | null> {
  const doc = await ApiKey.findOne({ prefix }).select({ hash: 0 }).lean<ApiKeyDoc>();
  return doc ? view(doc) : null;
}

/** Revokes a key at once; revoking a revoked key changes nothing and is not audited again. */
export async function revokeApiKey(id: string, actor: Actor, now = new Date()): Promise<ApiKeyView> {
  const doc = await ApiKey.findById(id).select({ hash: 0 }).lean<ApiKeyDoc>();
  if (!doc) throw new NotFoundError('There is no such API key.');
  if (doc.revokedAt) return view(doc);
  const revokedBy = actor.email ?? actor.type;
  await ApiKey.updateOne({ _id: doc._id }, { $set: { revokedAt: now, revokedBy } });
  await audit(actor, 'api_key.revoked', label(doc), { prefix: doc.prefix });
  return view({ ...doc, revokedAt: now, revokedBy });
}

/**
 * The key a program presented, if it is a live key. The lookup by hash is the comparison (the
 * database compares hashes, not secrets), so there is no timing to learn the key from.
 */
export async function authenticateApiKey(plaintext: string, now = new Date()): Promise<ApiKeyView | null> {
  if (!keyPattern.test(plaintext)) return null;
  const doc = await ApiKey.findOne({ hash: hashKey(plaintext) })
    .select({ hash: 0 })
    .lean<ApiKeyDoc>();
  if (!doc || doc.revokedAt) return null;
  if (!doc.lastUsedAt || now.getTime() - doc.lastUsedAt.getTime() >= lastUsedResolutionMs) {
    await ApiKey.updateOne({ _id: doc._id }, { $set: { lastUsedAt: now } }, unjournaled);
    doc.lastUsedAt = now;
  }
  return view(doc);
}
