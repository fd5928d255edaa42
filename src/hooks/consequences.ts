// What outgoing webhooks contribute to the events table (src/consequences.ts): an interview event or a
// themes update published to the endpoints that subscribed (recorded, fanned out, enqueued: never posted
// inside the change that caused it).
import type { InterviewEvent } from '../interviews/index.ts';
import type { Consequence } from '../lib/events.ts';
import type { Queue } from '../lib/queue.ts';
import type { ThemesEvent } from '../themes/index.ts';
import type { InterviewHookEventType } from './events.ts';
import { publishHookEvent } from './publish.ts';

export const publishInterviewHook =
  (queue: Queue, type: InterviewHookEventType): Consequence<InterviewEvent> =>
  (event) =>
    publishHookEvent(queue, { type, interviewId: event.interviewId, at: event.at });

export const publishThemesHook =
  (queue: Queue): Consequence<ThemesEvent> =>
  (event) =>
    publishHookEvent(queue, { type: 'themes.updated', set: event.set, at: event.at });
