// The outgoing webhooks feature's face for the rest of the app: the event source (publishHookEvent, called
// where an interview's state changes and when themes are recomputed) and the events' names. Its pages
// (routes.ts), jobs (jobs.ts) and the endpoints' service (service.ts) are wired by the entry files and
// the API. Kept this small on purpose: the outbox and the planner import it, and it must not bring
// them back in (deliver.ts and pause.ts send staff email through the outbox).
export { hookEventLabels, hookEventTypes, type HookEventType } from './events.ts';
export { publishHookEvent, type HookEventInput } from './publish.ts';
export { hookSettings } from './model.ts';
