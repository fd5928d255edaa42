// Who signs a buyer's emails: always a real person, a staff user with a name and an address, whose name
// the buyer reads ("I am Mia") and to whom replies go. Every active marketer interviews (they run the
// program); an admin interviews only once they say so (their account page, the set-up checklist), as
// buyers then get emails in their name. A segment's named interviewer (the program) is any active user.
// With no one to sign, an interview waits, marked awaitingInterviewer, and the dispatcher names someone
// as soon as there is one; nothing is sent in the meantime (src/outbox/send.ts).
import type { Types } from 'mongoose';
import { activeStaffMember, interviewingStaff } from '../accounts/index.ts';
import { Deal } from '../deals/model.ts';
import { loadProgram, type Program } from '../program/index.ts';
import { addInterviewerLoad, interviewerLoads } from './ledger.ts';
import { Interview, type InterviewState } from './model.ts';

export interface Interviewer {
  name: string;
  email: string;
}

/** What staff read where an interview waits for someone to sign it (no full stop: it ends sentences). */
export const noInterviewerMessage = 'No one can sign the buyer’s emails yet: it waits for an interviewer (a marketer, or an admin who interviews buyers)';

/** Every active user who interviews, by name. */
export async function interviewerPool(): Promise<Interviewer[]> {
  return interviewingStaff();
}

/** Whether the interview names a real person to sign its emails. */
export function hasNamedInterviewer(interview: { interviewer?: { name?: string | null; email?: string | null } | null }): boolean {
  return Boolean(interview.interviewer?.name?.trim() && interview.interviewer.email);
}

/** The segment's named interviewer, else the interviewer with the fewest interviews (round-robin); null when there is none. */
export async function chooseInterviewer(segment: string | null | undefined, program: Program): Promise<Interviewer | null> {
  const named = program.interviewerBySegment.find((r) => r.segment === segment);
  if (named) {
    const user = await activeStaffMember(named.email);
    if (user && user.name.trim() !== '') return { name: user.name, email: user.email };
  }
  const pool = await interviewerPool();
  if (pool.length === 0) return null;
  const loads = await interviewerLoads(pool.map((m) => m.email));
  return pool[loads.indexOf(Math.min(...loads))]!;
}

/** Counts an interview against its interviewer's load (test invitations are not counted). */
export async function countInterview(interviewer: Interviewer): Promise<void> {
  await addInterviewerLoad(interviewer.email);
}

type Unsigned = { _id: Types.ObjectId; dealId: Types.ObjectId; interviewer?: { name?: string | null; email?: string | null } | null; test?: boolean | null };

/**
 * Names an interviewer for an interview that has none, once (a conditional write: two workers cannot
 * name two); returns whoever signs it now, or null when no one can.
 */
export async function assignInterviewer(interview: Unsigned, program?: Program): Promise<Interviewer | null> {
  if (hasNamedInterviewer(interview)) return { name: interview.interviewer!.name!, email: interview.interviewer!.email! };
  const deal = await Deal.findById(interview.dealId).select({ segment: 1 }).lean();
  const chosen = await chooseInterviewer(deal?.segment, program ?? (await loadProgram()));
  if (!chosen) return null;
  const { modifiedCount } = await Interview.updateOne(
    { _id: interview._id, $or: [{ 'interviewer.email': null }, { 'interviewer.name': null }, { 'interviewer.name': '' }] },
    { $set: { interviewer: chosen } },
  );
  if (modifiedCount === 0) {
    // Someone else named one a moment ago: that one signs.
    const current = await Interview.findById(interview._id).select({ interviewer: 1 }).lean();
    return current && hasNamedInterviewer(current) ? { name: current.interviewer!.name!, email: current.interviewer!.email! } : null;
  }
  if (!interview.test) await countInterview(chosen);
  return chosen;
}

/** Marks an interview as waiting for someone to sign its emails (the dispatcher finds it by the mark). */
export async function markAwaitingInterviewer(interviewId: Types.ObjectId): Promise<void> {
  await Interview.updateOne({ _id: interviewId }, { $set: { awaitingInterviewer: true } });
}

export async function clearAwaitingInterviewer(interviewId: Types.ObjectId): Promise<void> {
  await Interview.updateOne({ _id: interviewId }, { $unset: { awaitingInterviewer: 1 } });
}

/** Up to `limit` interviews waiting for an interviewer, with what naming one needs. */
export async function waitingForInterviewer(limit: number) {
  return Interview.find({ awaitingInterviewer: true })
    .select({ dealId: 1, state: 1, plannedFor: 1, interviewer: 1, contact: 1, test: 1, outcome: 1 })
    .limit(limit)
    .lean<(Unsigned & { state: InterviewState; plannedFor?: Date | null; contact?: { email?: string | null } | null; outcome?: string | null })[]>();
}
