// The events an outgoing webhook endpoint can subscribe to, with what each means for the people who
// choose them. A leaf: the model, the payloads, the pages and the API all name events from here.
export const hookEventTypes = [
  'interview.planned',
  'interview.sent',
  'interview.completed',
  'interview.declined',
  'interview.bounced',
  'interview.opted_out',
  'themes.updated',
] as const;
export type HookEventType = (typeof hookEventTypes)[number];
export type InterviewHookEventType = Exclude<HookEventType, 'themes.updated'>;

/** Not a real event: what "send a test event" posts, to no endpoint but the one it is asked for. */
export const testEventType = 'debrief.test';

export const hookEventLabels: Record<HookEventType, string> = {
  'interview.planned': 'An interview is planned for a lost or won deal (when it will go out, and who signs it)',
  'interview.sent': 'The invitation went to the buyer',
  'interview.completed': 'The buyer answered: the primary reason, the competitor chosen and the answers their consent allows',
  'interview.declined': 'The buyer said no thanks on the form',
  'interview.bounced': 'The buyer’s mail server refused the invitation',
  'interview.opted_out': 'The buyer asked for no more emails',
  'themes.updated': 'The themes were recomputed, why we lose and why we win (labels and sizes)',
};
