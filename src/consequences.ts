// What each event causes: the one table. Features fire their events (src/interviews/events.ts,
// src/themes/events.ts) and contribute the consequences (functions of theirs); the table is composed
// here, where the features are wired, and installed at start-up (server.ts, the test app), so no feature
// imports another to tell it what happened. A feature adds a consequence with one entry per event below.
import { publishInterviewHook, publishThemesHook } from './hooks/index.ts';
import { interviewEvents, type InterviewEvent } from './interviews/events.ts';
import type { ConsequenceTable } from './lib/events.ts';
import type { Logger } from './lib/logger.ts';
import type { Queue } from './lib/queue.ts';
import { sendEmails } from './outbox/events.ts';
import type { EmailKind } from './outbox/model.ts';
import { themeEvents, type ThemesEvent } from './themes/events.ts';
import { themesChanged } from './themes/schedule.ts';

export function consequences(queue: Queue) {
  const emails = (...kinds: EmailKind[]) => sendEmails(queue, ...kinds);
  // New answers: the loss themes are recomputed a few minutes later (debounced, src/themes/schedule.ts).
  const recomputeThemes = async () => themesChanged(queue);
  // Outgoing webhooks (src/hooks/): the endpoints subscribed to the event get it.
  const hook = (type: Parameters<typeof publishInterviewHook>[1]) => publishInterviewHook(queue, type);
  const interview: ConsequenceTable<InterviewEvent> = {
    planned: [hook('interview.planned')],
    excluded: [],
    held: [emails('marketer_held')],
    cancelled: [],
    invited: [hook('interview.sent')],
    reminded: [],
    opened: [],
    in_progress: [],
    completed: [emails('thank_you', 'marketer_completed'), recomputeThemes, hook('interview.completed')],
    declined: [emails('marketer_declined'), hook('interview.declined')],
    expired: [],
    bounced: [emails('marketer_bounced'), hook('interview.bounced')],
    opted_out: [hook('interview.opted_out')],
  };
  const themes: ConsequenceTable<ThemesEvent> = {
    updated: [publishThemesHook(queue)],
  };
  return { interview, themes };
}

/** Installs the table for this process: every event fired from now on has these consequences. Returns the undoing. */
export function installConsequences(queue: Queue, logger: Logger): () => void {
  const table = consequences(queue);
  const report = (channel: string) => (err: unknown, event: { type: string }) =>
    logger.error({ err, event: `${channel}.${event.type}` }, 'an event’s consequence failed');
  interviewEvents.install(table.interview, report(interviewEvents.name));
  themeEvents.install(table.themes, report(themeEvents.name));
  return () => {
    interviewEvents.uninstall();
    themeEvents.uninstall();
  };
}
