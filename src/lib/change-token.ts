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
import { isDuplicateKeyError, unjournaled } from './db.ts';
import { sharedRuns } from './shared-runs.ts';

/** reports: what the report is computed from; suppressions: the suppression list (the send check's lookups). */
export type ChangeGroup = 'reports' | 'suppressions';

const tokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    deletions: { type: String },
  },
  { versionKey: false },
);
const ChangeToken = mongoose.model('ChangeToken', tokenSchema, 'changetokens');

/** token: renewed by every write; deletions: renewed by every delete (and by a write that may delete). */
export interface ChangeMarks {
  token: string;
  deletions: string;
}

const marksOf = (doc: { token: string; deletions?: string | null }): ChangeMarks => ({ token: doc.token, deletions: doc.deletions ?? '' });

async function readMarks(group: ChangeGroup): Promise<ChangeMarks> {
  const doc = await ChangeToken.findById(group).lean();
  if (doc) return marksOf(doc);
  await bump(group);
  const made = await ChangeToken.findById(group).lean();
  return made ? marksOf(made) : { token: randomUUID(), deletions: randomUUID() };
}

// Concurrent callers share reads and renewals (src/lib/shared-runs.ts): a read never shows an older token
// than one of the caller's own would, and a renewal always starts after the write it is for. Under load
// that is one read and one renewal per round trip, not one per request or per write.
const sharedReads = new Map<ChangeGroup, () => Promise<ChangeMarks>>();
const sharedRenewals = new Map<string, () => Promise<void>>();

function shared<K, T>(runs: Map<K, () => Promise<T>>, key: K, fn: () => Promise<T>): Promise<T> {
  let run = runs.get(key);
  if (!run) runs.set(key, (run = sharedRuns(fn)));
  return run();
}

/** The group's current marks. Creates them if there are none (a new or emptied database). */
export function changeMarks(group: ChangeGroup): Promise<ChangeMarks> {
  return shared(sharedReads, group, () => readMarks(group));
}

/** The group's current token. */
export async function changeToken(group: ChangeGroup): Promise<string> {
  return (await changeMarks(group)).token;
}

async function bump(group: ChangeGroup, deleted = false): Promise<void> {
  try {
    // A token made anew (a new or emptied database) comes with a new deletions mark: what was kept is gone.
    const deletions = { deletions: randomUUID() };
    await ChangeToken.updateOne(
      { _id: group },
      deleted ? { $set: { token: randomUUID(), ...deletions } } : { $set: { token: randomUUID() }, $setOnInsert: deletions },
      // Unjournaled: the write it marks was journaled first, and a mark lost in a crash only costs a recomputation.
      { upsert: true, ...unjournaled },
    );
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

async function bumpQuietly(group: ChangeGroup, deleted = false): Promise<void> {
  try {
    await shared(sharedRenewals, `${group}/${deleted}`, () => bump(group, deleted));
  } catch {
    // The write itself succeeded and must not be reported as failed. This process drops what it kept
    // (its listeners); other processes drop theirs by their time limit (see the users' ttl).
    for (const fn of missedListeners.get(group) ?? []) fn();
  }
}

const queryWrites = ['updateOne', 'updateMany', 'replaceOne', 'findOneAndUpdate', 'findOneAndReplace'] as const;
const queryDeletes = ['findOneAndDelete', 'deleteOne', 'deleteMany'] as const;

/** A schema plugin: every write to the model's collection renews the group's token (and deletes its deletions mark). */
export function tracksChanges(group: ChangeGroup) {
  return (schema: SchemaType): void => {
    const after = () => bumpQuietly(group);
    const afterDelete = () => bumpQuietly(group, true);
    schema.post('save', after);
    schema.post('updateOne', { document: true, query: false }, after);
    schema.post('deleteOne', { document: true, query: false }, afterDelete);
    const onQuery = (ops: readonly ((typeof queryWrites)[number] | (typeof queryDeletes)[number])[], renew: () => Promise<void>) => {
      for (const op of ops) {
        schema.post(op, { document: false, query: true }, renew);
        schema.post(op, { document: false, query: true, errorHandler: true }, async (err: unknown) => {
          await renew();
          throw err;
        });
      }
    };
    onQuery(queryWrites, after);
    onQuery(queryDeletes, afterDelete);
    // A bulk write may hold deletes: counted as one.
    for (const [op, renew] of [
      ['insertMany', after],
      ['bulkWrite', afterDelete],
    ] as const) {
      schema.post(op, renew);
      schema.post(op, { errorHandler: true }, async (err: unknown) => {
        await renew();
        throw err;
      });
    }
  };
}
