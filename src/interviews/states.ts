// The interview's state machine: its states, the named groups of them, and the one table of the moves
// allowed (from -> to). transition.ts is the only writer of the state, and it checks every move here.
export const interviewStates = [
  'planned',
  'held',
  'excluded',
  'invited',
  'reminded',
  'opened',
  'in_progress',
  'completed',
  'declined',
  'expired',
  'bounced',
  'opted_out',
  'cancelled',
] as const;
export type InterviewState = (typeof interviewStates)[number];

export const interviewStateLabels: Record<InterviewState, string> = {
  planned: 'Planned',
  held: 'Held by rep',
  excluded: 'Excluded',
  invited: 'Invited',
  reminded: 'Reminded',
  opened: 'Opened',
  in_progress: 'In progress',
  completed: 'Completed',
  declined: 'Declined',
  expired: 'Expired',
  bounced: 'Bounced',
  opted_out: 'Opted out',
  cancelled: 'Cancelled',
};

// ---------------------------------------------------------------------------------------------------
// Named groups

/** How an interview is created: planned, or excluded by the program's rules (src/interviews/planner.ts). */
export const initialStates: readonly InterviewState[] = ['planned', 'excluded'];
/** Nothing has been sent yet: a reopened or won deal cancels the interview. */
export const pendingStates: readonly InterviewState[] = ['planned', 'held'];
/** Sent and not answered yet: the buyer's link opens the form, emails can still reach them, and it may expire. */
export const openBuyerStates: readonly InterviewState[] = ['invited', 'reminded', 'opened', 'in_progress'];
/** Where a marketer may interview live: also before the invitation went out. */
export const liveStates: readonly InterviewState[] = [...pendingStates, ...openBuyerStates];
/** Where the first saved answer moves the interview to in_progress. */
export const notStartedStates: readonly InterviewState[] = ['planned', 'held', 'invited', 'reminded', 'opened'];
/** The invitation went out (or the buyer was interviewed live): the buyer was asked. */
export const sentStates: readonly InterviewState[] = [
  'invited',
  'reminded',
  'opened',
  'in_progress',
  'completed',
  'declined',
  'expired',
  'bounced',
  'opted_out',
];
/** Nothing moves an interview out of these. */
export const terminalStates: readonly InterviewState[] = ['completed', 'opted_out'];

// ---------------------------------------------------------------------------------------------------
// The moves allowed

/**
 * From each state, the states it may move to. A move to the same state only adds a line to the timeline
 * (a reminder sent again, an interviewer named for a planned interview). The buyer's opt-out reaches
 * every state but the terminal ones: the list is kept even after the interview ended otherwise.
 */
export const allowedTransitions: Record<InterviewState, readonly InterviewState[]> = {
  planned: ['planned', 'held', 'excluded', 'cancelled', 'invited', 'in_progress', 'completed', 'bounced', 'opted_out'],
  held: ['cancelled', 'in_progress', 'completed', 'opted_out'],
  excluded: ['opted_out'],
  invited: ['reminded', 'opened', 'in_progress', 'completed', 'declined', 'expired', 'bounced', 'opted_out'],
  reminded: ['reminded', 'opened', 'in_progress', 'completed', 'declined', 'expired', 'bounced', 'opted_out'],
  opened: ['in_progress', 'completed', 'declined', 'expired', 'bounced', 'opted_out'],
  in_progress: ['completed', 'declined', 'expired', 'bounced', 'opted_out'],
  completed: [],
  declined: ['opted_out'],
  expired: ['opted_out'],
  bounced: ['opted_out'],
  opted_out: [],
  cancelled: ['opted_out'],
};

export const canTransition = (from: InterviewState, to: InterviewState): boolean => allowedTransitions[from].includes(to);

/** Every state the table allows a move to `to` from. */
export const sourcesOf = (to: InterviewState): InterviewState[] => interviewStates.filter((from) => canTransition(from, to));
