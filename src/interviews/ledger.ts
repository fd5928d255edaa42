// When a contact, and an account, was last asked for an interview, and who interviews how many: the
// planner's questions on every lost deal. Kept as small documents keyed by what is asked about
// ("person:ada@example.com", "account:globex", "load:mia@example.com"), because a lookup by _id is the
// one query the embedded engine answers without reading every interview: a CSV import of thousands of
// losses would otherwise read the whole interviews collection once per row.
import mongoose, { Schema, type Types } from 'mongoose';

const askedSchema = new Schema(
  {
    _id: { type: String, required: true },
    interviewId: { type: Schema.Types.ObjectId, ref: 'Interview', required: true },
    askedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
const Asked = mongoose.model('InterviewAsked', askedSchema, 'interviewasked');

const loadSchema = new Schema({ _id: { type: String, required: true }, count: { type: Number, default: 0 } }, { versionKey: false });
const Load = mongoose.model('InterviewerLoad', loadSchema, 'interviewerloads');

const personKey = (email: string) => `person:${email.trim().toLowerCase()}`;
const accountKey = (company: string) => `account:${company.trim().toLowerCase().replace(/\s+/g, ' ')}`;

export interface LastAsked {
  person: Date | null;
  account: Date | null;
}

export async function lastAsked(email: string, company: string): Promise<LastAsked> {
  const [person, account] = await Promise.all([Asked.findById(personKey(email)).lean(), Asked.findById(accountKey(company)).lean()]);
  return { person: person?.askedAt ?? null, account: account?.askedAt ?? null };
}

/** Records that the contact and their account are asked (at `askedAt`, the planned time). */
export async function recordAsked(email: string, company: string, interviewId: Types.ObjectId, askedAt: Date): Promise<void> {
  for (const _id of [personKey(email), accountKey(company)]) {
    await Asked.updateOne({ _id }, { $set: { interviewId, askedAt } }, { upsert: true });
  }
}

/** An interview that will not happen (cancelled, taken out) no longer counts as asking anyone. */
export async function forgetAsked(interviewIds: Types.ObjectId[]): Promise<void> {
  if (interviewIds.length > 0) await Asked.deleteMany({ interviewId: mongoose.trusted({ $in: interviewIds }) });
}

export async function interviewerLoads(emails: string[]): Promise<number[]> {
  const docs = await Load.find({ _id: mongoose.trusted({ $in: emails.map((e) => `load:${e}`) }) }).lean();
  const counts = new Map(docs.map((d) => [d._id, d.count]));
  return emails.map((e) => counts.get(`load:${e}`) ?? 0);
}

export async function addInterviewerLoad(email: string): Promise<void> {
  await Load.updateOne({ _id: `load:${email}` }, { $inc: { count: 1 } }, { upsert: true });
}
