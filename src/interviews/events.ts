// What happens in an interview's life, as events: entering a state is one (planned and excluded when the
// planner writes the interview, every other state when transition() moves it there). What each causes
// is the table in src/consequences.ts; transition() and the planner fire them, so every way a change
// happens (the buyer's form, the worker, staff pages, rep links, the suppression list) has the same ones.
import type { Types } from 'mongoose';
import { eventChannel } from '../lib/events.ts';
import type { InterviewState } from './states.ts';

/** An event is named for the state the interview entered ('invited': the invitation went). */
export type InterviewEventType = InterviewState;

export interface InterviewEvent {
  readonly type: InterviewEventType;
  readonly interviewId: Types.ObjectId;
  readonly dealId: Types.ObjectId;
  readonly at: Date;
}

export const interviewEvents = eventChannel<InterviewEvent>('interview');
