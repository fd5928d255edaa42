// The questionnaires feature's face for the rest of the app: the questionnaire in use and its versions,
// the questions and answers' shapes and limits, which questions apply, and how an answer is shown.
export { applicableAnswers, applies, controllerOf, noVendorChoices } from './conditions.ts';
export { ratingItems } from './default.ts';
export { type Question, templateKeyFor, type TemplateVersion, winTemplateKey } from './model.ts';
export { presentAnswer } from './present.ts';
export {
  type Answer,
  type Answers,
  answerSchema,
  answersSchema,
  draftChangeSchema,
  isRatingAnswer,
  isTextAnswer,
  isVendorAnswer,
  limits,
  messages,
  typeLabels,
} from './schemas.ts';
export { currentTemplate, findTemplateVersion, templateVersion } from './service.ts';
export { visibleSteps } from './steps.ts';
export { summarize } from './summary.ts';
