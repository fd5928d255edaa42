// The words of the emails buyers get, which marketers may rewrite per program: a subject and a body
// per email, with a few placeholders ({first_name}, {our_company}...). They are plain text, never
// template code: the body is cut into paragraphs and escaped into the real EJS template, whose layout,
// button, link and opt-out footer stay fixed.
import { z } from 'zod';

// A buyer who chose us is asked in other words than one who went elsewhere: each email has a won deals' twin.
export const editableEmails = ['invitation', 'reminder', 'last_call', 'thank_you', 'win_invitation', 'win_reminder', 'win_last_call', 'win_thank_you'] as const;
export type EditableEmail = (typeof editableEmails)[number];
type LossEmail = 'invitation' | 'reminder' | 'last_call' | 'thank_you';

export const editableEmailLabels: Record<EditableEmail, string> = {
  invitation: 'Invitation',
  reminder: 'Reminder',
  last_call: 'Last call',
  thank_you: 'Thank-you',
  win_invitation: 'Invitation (won deals)',
  win_reminder: 'Reminder (won deals)',
  win_last_call: 'Last call (won deals)',
  win_thank_you: 'Thank-you (won deals)',
};

/** The words an email uses for an interview about a win or a loss. */
export function textFor(email: LossEmail, outcome: 'won' | 'lost'): EditableEmail {
  return outcome === 'won' ? `win_${email}` : email;
}

export interface EmailText {
  subject: string;
  body: string;
}
export type EmailTexts = Record<EditableEmail, EmailText>;

export const placeholders = {
  first_name: 'the buyer’s first name',
  buyer_name: 'the buyer’s full name',
  buyer_company: 'the buyer’s company',
  deal_name: 'the deal’s name',
  our_company: 'your company’s name (set above)',
  marketer_name: 'the interviewer’s name',
} as const;
export type Placeholder = keyof typeof placeholders;
export type PlaceholderValues = Record<Placeholder, string>;

export const defaultEmailTexts: EmailTexts = {
  invitation: {
    subject: 'Two minutes, {first_name}? What {our_company} could have done better',
    body: [
      'Hi {first_name},',
      'Thank you for the time you gave {our_company} while you were choosing. You went another way, and that is fine: I am not in sales, and nobody will try to change your mind.',
      'I am {marketer_name}, and I look after how we explain ourselves to buyers. Would you tell me, in a few short questions, what tipped the decision? It takes about two minutes, works on your phone, and every answer helps us improve.',
    ].join('\n\n'),
  },
  reminder: {
    subject: 'Still two minutes, {first_name}: your view on {our_company}',
    body: [
      'Hi {first_name},',
      'A few days ago I asked what tipped your decision. If you have two minutes, your answers would help us more than any survey: they come from someone who looked closely and chose otherwise.',
      'If it is not for you, the link also has a "No thanks" button, and I will not write again.',
    ].join('\n\n'),
  },
  last_call: {
    subject: 'Last note from me, {first_name}',
    body: [
      'Hi {first_name},',
      'This is my last note about it. If you can spare two minutes to say what made the difference in your decision, the form stays open for a few more days.',
      'Thank you either way, and all the best with your project.',
    ].join('\n\n'),
  },
  thank_you: {
    subject: 'Thank you, {first_name}',
    body: [
      'Hi {first_name},',
      'Thank you for your answers. I read every one of them, and they go straight into how {our_company} prepares for the next buyer in your position.',
      'If you agreed to a short call, I will be in touch to find a time. Otherwise you will not hear from us about this again.',
    ].join('\n\n'),
  },
  win_invitation: {
    subject: 'Two minutes, {first_name}? Why you chose {our_company}',
    body: [
      'Hi {first_name},',
      'Thank you for choosing {our_company}. Before the details of getting started take over, would you tell us what made the difference? I am not in sales, and there is nothing to buy.',
      'I am {marketer_name}, and I look after how we explain ourselves to buyers. A few short questions on why you chose us, and what almost made you choose someone else: about two minutes, on your phone if you like.',
    ].join('\n\n'),
  },
  win_reminder: {
    subject: 'Still two minutes, {first_name}: why you chose {our_company}',
    body: [
      'Hi {first_name},',
      'A few days ago I asked what made you choose us. Your answers tell us what to keep doing for the next team in your position.',
      'If it is not for you, the link also has a "No thanks" button, and I will not write again.',
    ].join('\n\n'),
  },
  win_last_call: {
    subject: 'Last note from me, {first_name}',
    body: [
      'Hi {first_name},',
      'This is my last note about it. If you can spare two minutes to say what made you choose us, the form stays open for a few more days.',
      'Thank you either way, and welcome aboard.',
    ].join('\n\n'),
  },
  win_thank_you: {
    subject: 'Thank you, {first_name}',
    body: [
      'Hi {first_name},',
      'Thank you for your answers. I read every one of them: they tell {our_company} what to keep doing, and what to do better.',
      'If you agreed to a short call, I will be in touch to find a time. Otherwise you will not hear from us about this again.',
    ].join('\n\n'),
  },
};

const placeholderPattern = /\{([a-z_]+)\}/g;

function knownPlaceholdersOnly(text: string, ctx: z.RefinementCtx): void {
  for (const [, name] of text.matchAll(placeholderPattern)) {
    if (!(name! in placeholders)) {
      ctx.addIssue({
        code: 'custom',
        message: `{${name}} is not a placeholder we know. Use one of: ${Object.keys(placeholders)
          .map((p) => `{${p}}`)
          .join(', ')}.`,
      });
      return;
    }
  }
}

export const emailTextSchema = z
  .object({
    subject: z
      .string()
      .trim()
      .min(1, 'Enter a subject.')
      .max(200, 'Keep the subject under 200 characters.')
      .refine((s) => !/[\r\n]/.test(s), 'The subject must be one line.')
      .superRefine(knownPlaceholdersOnly),
    body: z.string().trim().min(1, 'Enter the message.').max(3000, 'Keep the message under 3,000 characters.').superRefine(knownPlaceholdersOnly),
  })
  .strict();

export const emailTextsSchema = z
  .object(Object.fromEntries(editableEmails.map((k) => [k, emailTextSchema])) as Record<EditableEmail, typeof emailTextSchema>)
  .strict();

export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(placeholderPattern, (whole, name: string) => (name in values ? values[name as Placeholder] : whole));
}

/** The body as paragraphs (split on blank lines), placeholders filled. */
export function paragraphs(body: string, values: PlaceholderValues): string[] {
  return fillPlaceholders(body, values)
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/\s*\r?\n\s*/g, ' ').trim())
    .filter((p) => p.length > 0);
}

/** Sample values for the preview. */
export const samplePlaceholderValues: PlaceholderValues = {
  first_name: 'Jordan',
  buyer_name: 'Jordan Rivera',
  buyer_company: 'Northwind Logistics',
  deal_name: 'Northwind: fleet analytics',
  our_company: 'Acme Analytics',
  marketer_name: 'Mia Marketer',
};
