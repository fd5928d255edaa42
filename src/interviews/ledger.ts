// The planner's questions on every lost deal: when a contact, and an account, was last asked for an
// interview (the latest interview for the address or the account key, each the first field of an
// index), and who interviews how many (a counter per interviewer, kept on write).
import mongoose, { Schema, type Types } from 'mongoose';
import { Marker } from '../system/index.ts';
import { claimMarker } from '../system/index.ts';
import { Interview, type InterviewState } from './model.ts';

const loadSchema = new Schema({ _id: { type: String, required: true }, count: { type: Number, default: 0 } }, { versionKey: false });
const Load = mongoose.model('InterviewerLoad', loadSchema, 'interviewerloads');

/** How the cool-down tells accounts apart: the company's name, lower-case, spaces collapsed. */
export function accountKey(company: string): string {
  return company.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Interviews that ask no one: excluded (or taken out of the queue) and cancelled (the deal reopened or won). */
const notAsking: readonly InterviewState[] = ['excluded', 'cancelled'];

export interface LastAsked {
  person: Date | null;
  account: Date | null;
}

/** When the latest interview matching `filter` is planned for (demo and test interviews ask no one either). */
async function latestPlanned(filter: Record<string, unknown>): Promise<Date | null> {
  const latest = await Interview.findOne({
    ...filter,
    demo: mongoose.trusted({ $ne: true }),
    test: mongoose.trusted({ $ne: true }),
    state: mongoose.trusted({ $nin: [...notAsking] }),
  })
    .sort({ plannedFor: -1 })
    .select({ plannedFor: 1 })
    .lean();
  return latest?.plannedFor ?? null;
}

export async function lastAsked(email: string, company: string): Promise<LastAsked> {
  const [person, account] = await Promise.all([
    latestPlanned({ 'contact.email': email.trim().toLowerCase() }),
    latestPlanned({ accountKey: accountKey(company) }),
  ]);
  return { person, account };
}

export async function interviewerLoads(emails: string[]): Promise<number[]> {
  const docs = await Load.find({ _id: mongoose.trusted({ $in: emails.map((e) => `load:${e}`) }) }).lean();
  const counts = new Map(docs.map((d) => [d._id, d.count]));
  return emails.map((e) => counts.get(`load:${e}`) ?? 0);
}

export async function addInterviewerLoad(email: string): Promise<void> {
  await Load.updateOne({ _id: `load:${email}` }, { $inc: { count: 1 } }, { upsert: true });
}

const accountKeysMarker = 'interviews-account-keys';

/**
 * Once per database: gives interviews planned before they carried an account key their key, and deletes
 * the ledger they were looked up in before (documents keyed "person:<address>" and "account:<name>", which
 * an erasure did not reach). Safe to run from several processes at once.
 */
export async function backfillAccountKeys(): Promise<void> {
  if (await Marker.exists({ _id: accountKeysMarker })) return;
  const cursor = Interview.find({ accountKey: mongoose.trusted({ $exists: false }) })
    .select({ buyerCompany: 1 })
    .lean()
    .cursor();
  let batch: { _id: Types.ObjectId; buyerCompany?: string | null }[] = [];
  const flush = async () => {
    const writes = batch
      .filter((i) => i.buyerCompany)
      .map((i) => ({ updateOne: { filter: { _id: i._id }, update: { $set: { accountKey: accountKey(i.buyerCompany!) } } } }));
    batch = [];
    if (writes.length > 0) await Interview.bulkWrite(writes);
  };
  for await (const interview of cursor) {
    batch.push(interview);
    if (batch.length >= 500) await flush();
  }
  await flush();
  await mongoose.connection.db!.collection('interviewasked').deleteMany({});
  await claimMarker(accountKeysMarker);
}
