// The buyer's form's face for the rest of the app: the buyer data its drafts hold (privacy).
export { formDraftsBuyerData } from './privacy.ts';
