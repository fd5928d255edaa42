// Change tokens: a value that changes whenever any of a group of collections is written, so that a
// process can keep something computed from them (the report, the sender's suppression lookups) and
// know, with one read by _id, whether it is still current. Web processes stay stateless: what they keep
// is only ever a copy keyed by the token.
//
// The models of a group apply `tracksChanges(group)`; every write through mongoose then replaces the
// token after the write has happened (also when it failed part-way, as an insertMany can). Whoever reads
// the token before computing can therefore never keep a result under a token newer than the data it read.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema, type Schema as SchemaType } from 'mongoose';
import { isDuplicateKeyError } from './db.ts';
import { sharedRuns } from './shared-runs.ts';

/** reports: what the report is computed from; suppressions: the suppression list (the send check's lookups). */
export type ChangeGroup = 'reports' | 'suppressions';

const tokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
  },
  { versionKey: false },
);
const ChangeToken = mongoose.model('ChangeToken', tokenSchema, 'changetokens');

async function readToken(group: ChangeGroup): Promise<string> {
  const doc = await ChangeToken.findById(group).lean();
  if (doc) return doc.token;
  await bump(group);
  return (await ChangeToken.findById(group).lean())?.token ?? randomUUID();
}

// Concurrent callers share reads and renewals (src/lib/shared-runs.ts): a read never shows an older token
// than one of the caller's own would, and a renewal always starts after the write it is for. Under load
// that is one read and one renewal per round trip, not one per request or per write.
const sharedReads = new Map<ChangeGroup, () => Promise<string>>();
const sharedRenewals = new Map<ChangeGroup, () => Promise<void>>();

function shared<T>(runs: Map<ChangeGroup, () => Promise<T>>, group: ChangeGroup, fn: (group: ChangeGroup) => Promise<T>): Promise<T> {
  let run = runs.get(group);
  if (!run) runs.set(group, (run = sharedRuns(() => fn(group))));
  return run();
}

/** The group's current token. Creates one if there is none (a new or emptied database). */
export function changeToken(group: ChangeGroup): Promise<string> {
  return shared(sharedReads, group, readToken);
}

async function bump(group: ChangeGroup): Promise<void> {
  try {
    await ChangeToken.updateOne({ _id: group }, { $set: { token: randomUUID() } }, { upsert: true });
  } catch (err) {
    // Two upserts at once can both try to insert (on MongoDB too): another writer created the token at the same moment,
    // which changed it just as well.
    if (!isDuplicateKeyError(err)) throw err;
  }
}

const missedListeners = new Map<ChangeGroup, Set<() => void>>();

/** fn runs when a write's token could not be renewed (the database went away right after the write). */
export function onMissedChange(group: ChangeGroup, fn: () => void): void {
  missedListeners.set(group, (missedListeners.get(group) ?? new Set()).add(fn));
}

async function bumpQuietly(group: ChangeGroup): Promise<void> {
  try {
    await shared(sharedRenewals, group, bump);
  } catch {
    // The write itself succeeded and must not be reported as failed. This process drops what it kept
    // (its listeners); other processes drop theirs by their time limit (see the users' ttl).
    for (const fn of missedListeners.get(group) ?? []) fn();
  }
}

const queryWrites = ['updateOne', 'updateMany', 'replaceOne', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete', 'deleteOne', 'deleteMany'] as const;

/** A schema plugin: every write to the model's collection renews the group's token. */
export function tracksChanges(group: ChangeGroup) {
  return (schema: SchemaType): void => {
    const after = () => bumpQuietly(group);
    schema.post('save', after);
    schema.post(['updateOne', 'deleteOne'], { document: true, query: false }, after);
    for (const op of queryWrites) {
      schema.post(op, { document: false, query: true }, after);
      schema.post(op, { document: false, query: true, errorHandler: true }, async (err: unknown) => {
        await after();
        throw err;
      });
    }
    for (const op of ['insertMany', 'bulkWrite'] as const) {
      schema.post(op, after);
      schema.post(op, { errorHandler: true }, async (err: unknown) => {
        await after();
        throw err;
      });
    }
  };
}
