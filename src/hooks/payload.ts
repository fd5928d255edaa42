// What an event's delivery says, built once when the event is recorded and kept as the exact body every
// endpoint gets (a retry sends the same bytes, only signed anew). Buyers' free-text answers are shown
// as their "list" audience may read them and answers for the team only are never sent (src/answers);
// the primary reason and the competitor chosen are structured answers and always are.
import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import mongoose from 'mongoose';
import { outcomeOf, presentAnswers, presentDeal, reasonLabels, type StoredDealFields, type StoredResponse } from '../answers/index.ts';
import { Deal } from '../deals/model.ts';
import { Interview, InterviewResponse } from '../interviews/model.ts';
import { setOutcome, ThemeSnapshot, type ThemeSet } from '../themes/index.ts';
import type { HookEventType, InterviewHookEventType } from './events.ts';

export type HookEventInput =
  | { type: InterviewHookEventType; interviewId: Types.ObjectId | string; at: Date }
  | { type: 'themes.updated'; set: ThemeSet; at: Date };

/** The event's id: a digest of what happened, so recording the same happening twice names one event. */
export function eventIdOf(type: HookEventType | string, subject: string): string {
  return `evt_${createHash('sha256').update(`${type}:${subject}`).digest('base64url').slice(0, 26)}`;
}

export interface Built {
  id: string;
  body: string;
  interviewId?: Types.ObjectId;
  responseId?: Types.ObjectId;
}

const interviewFields = { state: 1, contact: 1, interviewer: 1, plannedFor: 1, dealId: 1, test: 1, timeline: 1, outcome: 1 } as const;
const dealFields = { source: 1, externalId: 1, name: 1, buyerCompany: 1, segment: 1, competitor: 1, ownerEmail: 1, test: 1 } as const;

function envelope(id: string, type: string, at: Date, data: unknown): string {
  return JSON.stringify({ id, type, createdAt: at.toISOString(), data });
}

/** The event's id and body; null when there is nothing to tell (the interview is gone, or a test invitation's). */
export async function buildEvent(input: HookEventInput): Promise<Built | null> {
  if (input.type === 'themes.updated') return buildThemesEvent(input.set, input.at);
  const interview = await Interview.findById(input.interviewId).select(interviewFields).lean();
  // A test invitation is the app's own walk-through: no other system hears of it.
  if (!interview || interview.test) return null;
  const deal = await Deal.findById(interview.dealId).select(dealFields).lean<StoredDealFields & { test?: boolean | null }>();
  if (!deal || deal.test) return null;
  const id = eventIdOf(input.type, String(interview._id));
  const data: Record<string, unknown> = {
    interview: {
      id: String(interview._id),
      state: interview.state,
      outcome: outcomeOf(interview),
      contact: { name: interview.contact?.name ?? '', email: interview.contact?.email ?? '', role: interview.contact?.role || null },
      interviewer: interview.interviewer?.email
        ? { name: interview.interviewer.name ?? interview.interviewer.email, email: interview.interviewer.email }
        : null,
      plannedFor: interview.plannedFor ? interview.plannedFor.toISOString() : null,
    },
    deal: presentDeal(deal),
  };
  let responseId: Types.ObjectId | undefined;
  if (input.type === 'interview.completed') {
    const response = await InterviewResponse.findOne({ interviewId: interview._id }).lean<StoredResponse>();
    if (response) {
      const { deal: _deal, ...answers } = presentAnswers(response, deal, interview.contact, outcomeOf(interview), {
        includeInternal: false,
        reasonLabels: await reasonLabels(),
      });
      data.answers = answers;
      responseId = response._id;
    }
  }
  return { id, body: envelope(id, input.type, input.at, data), interviewId: interview._id, ...(responseId ? { responseId } : {}) };
}

/** One set's new themes (a run recomputes each set in turn: each tells its own). */
async function buildThemesEvent(set: ThemeSet, at: Date): Promise<Built | null> {
  const snapshot = await ThemeSnapshot.findOne({ set }).sort({ asOf: -1, _id: -1 }).lean();
  if (!snapshot) return null;
  // The same snapshot told twice is one event.
  const id = eventIdOf('themes.updated', String(snapshot._id));
  const data = {
    sets: [
      {
        set,
        outcome: setOutcome[set],
        snapshotId: String(snapshot._id),
        asOf: snapshot.asOf.toISOString(),
        answers: snapshot.total,
        themes: snapshot.themes.map((t) => ({ id: t.id, label: t.label, size: t.size, share: t.share })),
      },
    ],
  };
  return { id, body: envelope(id, 'themes.updated', at, data) };
}

/** "Send a test event": a new id each time, about nothing real. */
export function buildTestEvent(endpointId: string, at: Date): Built {
  const id = eventIdOf('debrief.test', `${endpointId}:${at.getTime()}:${new mongoose.Types.ObjectId().toString()}`);
  return {
    id,
    body: envelope(id, 'debrief.test', at, {
      message: 'A test event from Debrief: if your receiver verified its signature and answered 2xx, this endpoint is ready.',
      endpointId,
    }),
  };
}
