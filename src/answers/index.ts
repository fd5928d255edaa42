// The answers feature's face: buyers' answers as they leave Debrief (the API, outgoing webhooks), each
// free-text answer shown as its buyer allowed (src/disclosure).
export { outcomeOf, presentAnswers, presentDeal, type StoredContact, type StoredDealFields, type StoredResponse } from './present.ts';
export { answerOutcomes, answerDeal, answerText, buyerAnswers, type AnswerOutcome, type BuyerAnswers } from './schemas.ts';
export { answersPageSize, decodeCursor, interviewAnswers, listAnswers, reasonLabels, type AnswersQuery } from './service.ts';
