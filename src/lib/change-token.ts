// Change tokens: a value that changes whenever any of a group of collections is written, so that a
// process can keep something computed from them (the report) and know, with one read by _id, whether it
// is still current. Web processes stay stateless: what they keep is only ever a copy keyed by the token.
//
// The models of a group apply `tracksChanges(group)`; every write through mongoose then replaces the
// token after the write has happened (also when it failed part-way, as an insertMany can). Whoever reads
// the token before computing can therefore never keep a result under a token newer than the data it read.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema, type Schema as SchemaType } from 'mongoose';
import { isDuplicateKeyError } from './db.ts';

export type ChangeGroup = 'reports';

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

// Concurrent callers share reads: a caller joins the next read to start, never one already on its way
// (that one may have left before a write the caller must see), so sharing never shows an older token
// than a read of the caller's own would. Under load this is one read per round trip, not per request.
const reads = new Map<ChangeGroup, { running: Promise<string> | null; queued: Promise<string> | null }>();

function startRead(group: ChangeGroup, state: { running: Promise<string> | null }): Promise<string> {
  const read = readToken(group);
  state.running = read;
  const clear = () => {
    if (state.running === read) state.running = null;
  };
  read.then(clear, clear);
  return read;
}

/** The group's current token. Creates one if there is none (a new or emptied database). */
export function changeToken(group: ChangeGroup): Promise<string> {
  let state = reads.get(group);
  if (!state) reads.set(group, (state = { running: null, queued: null }));
  const s = state;
  if (!s.running) return startRead(group, s);
  s.queued ??= s.running.then(
    () => undefined,
    () => undefined,
  ).then(() => {
    s.queued = null;
    return startRead(group, s);
  });
  return s.queued;
}

async function bump(group: ChangeGroup): Promise<void> {
  try {
    await ChangeToken.updateOne({ _id: group }, { $set: { token: randomUUID() } }, { upsert: true });
  } catch (err) {
    // The embedded engine's upsert is not atomic: another writer created the token at the same moment,
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
    await bump(group);
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
