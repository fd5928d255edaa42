// The questionnaire a new workspace starts with: a good win/loss interview out of the box, answerable on
// a phone in about two minutes. The reasons come from the program's taxonomy (copied when the first
// version is made; later taxonomy changes reach the form through the editor).
import type { ReasonCode } from '../program/index.ts';
import type { Option, Question } from './model.ts';

function q(fields: Partial<Question> & Pick<Question, 'id' | 'type' | 'role' | 'label'>): Question {
  return { hint: '', required: false, options: [], scaleLow: '', scaleHigh: '', quoteUse: false, ...fields };
}

/** The factors buyers compare us with the chosen vendor on; the keys match the reason codes. */
export const ratingItems: Option[] = [
  { value: 'price', label: 'Price' },
  { value: 'product_fit', label: 'Product fit' },
  { value: 'ease_of_use', label: 'Ease of use' },
  { value: 'integrations', label: 'Integrations' },
  { value: 'support', label: 'Support' },
  { value: 'sales_experience', label: 'Sales experience' },
  { value: 'implementation', label: 'Implementation plan' },
  { value: 'trust', label: 'Trust' },
];

export function defaultQuestions(reasons: readonly ReasonCode[]): Question[] {
  const reasonOptions = reasons.map((r) => ({ value: r.code, label: r.label }));
  return [
    q({
      id: 'primary_reason',
      type: 'single',
      role: 'primaryReason',
      required: true,
      label: 'What was the main reason for your decision?',
      options: reasonOptions,
    }),
    q({ id: 'contributing', type: 'multi', role: 'contributing', label: 'What else played a part?', hint: 'Choose any that apply.', options: reasonOptions }),
    q({
      id: 'chosen_vendor',
      type: 'competitor',
      role: 'chosenVendor',
      required: true,
      label: 'Which vendor did you choose?',
      options: [
        { value: 'none', label: 'None: we kept what we had or decided not to buy' },
        { value: 'in_house', label: 'We built it ourselves' },
      ],
    }),
    q({
      id: 'stage',
      type: 'single',
      role: 'stage',
      label: 'At which stage did we fall behind?',
      options: [
        { value: 'first_contact', label: 'First conversations' },
        { value: 'discovery', label: 'Understanding your needs' },
        { value: 'demo', label: 'Demo or trial' },
        { value: 'proposal', label: 'Proposal and pricing' },
        { value: 'negotiation', label: 'Negotiation and contract' },
        { value: 'review', label: 'Security or legal review' },
        { value: 'never_ahead', label: 'We were never really ahead' },
      ],
    }),
    q({
      id: 'ratings',
      type: 'rating',
      role: 'ratings',
      label: 'How did we compare with the vendor you chose?',
      hint: 'From 1 (we were much worse) to 5 (we were much better). Skip any you have no view on.',
      options: ratingItems,
      scaleLow: 'Much worse',
      scaleHigh: 'Much better',
    }),
    q({
      id: 'participants',
      type: 'multi',
      role: 'participants',
      label: 'Who took part in the decision?',
      hint: 'Choose any that apply.',
      options: [
        { value: 'end_users', label: 'The people who would use it' },
        { value: 'it', label: 'IT' },
        { value: 'finance', label: 'Finance or procurement' },
        { value: 'security', label: 'Security or legal' },
        { value: 'leadership', label: 'Leadership' },
      ],
    }),
    q({ id: 'why_text', type: 'long_text', role: 'whyText', label: 'In your own words, why did you decide the way you did?', quoteUse: true }),
    q({ id: 'would_have_changed', type: 'long_text', role: 'wouldHaveChanged', label: 'What would have changed the outcome?', quoteUse: true }),
    q({ id: 'missing_info', type: 'long_text', role: 'missingInfo', label: 'What information or material did you miss while deciding?', quoteUse: true }),
    q({
      id: 'consider_again',
      type: 'single',
      role: 'considerAgain',
      label: 'Would you consider us again?',
      options: [
        { value: 'yes', label: 'Yes' },
        { value: 'maybe', label: 'Maybe' },
        { value: 'no', label: 'No' },
      ],
    }),
    q({
      id: 'call_consent',
      type: 'yes_no',
      role: 'callConsent',
      label: 'May we call you for 15 minutes to hear more?',
      hint: 'Only about this decision; we will suggest a time by email.',
    }),
  ];
}

/** A reason as a buyer who chose us reads it (the codes are the loss reasons', so both sides can be set side by side). */
export const winReasonWording: Readonly<Record<string, string>> = {
  price: 'The price, or the terms of the contract',
  product_fit: 'It does what we needed',
  integrations: 'It works with the tools we use',
  ease_of_use: 'It looked easy to use',
  support: 'The support and service we could expect',
  sales_experience: 'How we were treated while we were deciding',
  implementation: 'How quickly we could get going',
  trust: 'We trusted you with our data and our business',
};

/**
 * The won deals' questionnaire ("why you chose us"): the same roles as the loss one, so the summary
 * fields, themes and reports read both alike. Its reasons are the program's codes in a winner's words
 * ("no decision" is no reason to choose anyone); the vendor question asks who came closest.
 */
export function defaultWinQuestions(reasons: readonly ReasonCode[]): Question[] {
  const reasonOptions = reasons.filter((r) => r.code !== 'no_decision').map((r) => ({ value: r.code, label: winReasonWording[r.code] ?? r.label }));
  return [
    q({ id: 'primary_reason', type: 'single', role: 'primaryReason', required: true, label: 'What was the main reason you chose us?', options: reasonOptions }),
    q({ id: 'contributing', type: 'multi', role: 'contributing', label: 'What else played a part?', hint: 'Choose any that apply.', options: reasonOptions }),
    q({
      id: 'runner_up',
      type: 'competitor',
      role: 'chosenVendor',
      label: 'Which other vendor came closest?',
      options: [
        { value: 'none', label: 'None: we looked at no one else seriously' },
        { value: 'in_house', label: 'Building it ourselves' },
      ],
    }),
    q({
      id: 'ratings',
      type: 'rating',
      role: 'ratings',
      label: 'How did we compare with the vendor that came closest?',
      hint: 'From 1 (we were much worse) to 5 (we were much better). Skip any you have no view on.',
      options: ratingItems,
      scaleLow: 'Much worse',
      scaleHigh: 'Much better',
    }),
    q({ id: 'why_text', type: 'long_text', role: 'whyText', label: 'In your own words, why did you choose us?', quoteUse: true }),
    q({ id: 'almost', type: 'long_text', role: 'wouldHaveChanged', label: 'What almost made you choose someone else?', quoteUse: true }),
    q({ id: 'missing_info', type: 'long_text', role: 'missingInfo', label: 'What information or material did you miss while deciding?', quoteUse: true }),
    q({
      id: 'call_consent',
      type: 'yes_no',
      role: 'callConsent',
      label: 'May we call you for 15 minutes to hear more?',
      hint: 'Only about this decision; we will suggest a time by email.',
    }),
  ];
}
