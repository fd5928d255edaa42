// The interview program's face for the rest of the app: the saved program and its zone, the sending rules
// the planner and the reminders keep to, which won deals are sampled in, the reasons' codes and labels,
// and changing the program (the settings page, the JSON API).
export { loadProgram, programSaved, programTimeZone, type Program } from './model.ts';
export { computeSendTime, nextSendableTime } from './schedule.ts';
export { sendWindowOf } from './send-window.ts';
export { interviewsWonDeals, sampledIn, winPercentFor } from './win-sampling.ts';
export { reasonLabel, type ReasonCode } from './taxonomy.ts';
export { programInput } from './schemas.ts';
export { updateProgram } from './service.ts';
