// The interviews feature's face for the rest of the app: the interview's state machine (its states, the
// named groups, the table of allowed moves) and transition(), the one way to change an interview's state.
export {
  allowedTransitions,
  canTransition,
  initialStates,
  interviewStateLabels,
  interviewStates,
  liveStates,
  notStartedStates,
  openBuyerStates,
  pendingStates,
  sentStates,
  sourcesOf,
  terminalStates,
  type InterviewState,
} from './states.ts';
export { transition, transitionBatch, transitionMany, TransitionNotAllowedError, type BatchMove, type Transition } from './transition.ts';
export { interviewEvents, type InterviewEvent, type InterviewEventType } from './events.ts';
export { dealOutcomes, outcomeOf, type InterviewDoc } from './model.ts';
export { outcomeWords, type OutcomeWords } from './outcome-words.ts';
