// Questionnaire templates, versioned: each saved version is its own immutable document, keyed by
// "<template>@<version>" so that a response, a draft and the form find it by _id. A small head document
// (_id: the template) says which version is current. Editing
// a template inserts the next version; nothing ever changes an old one, so old answers keep their meaning.
import mongoose, { Schema } from 'mongoose';
import { tracksChanges } from '../lib/change-token.ts';

export const questionTypes = ['single', 'multi', 'rating', 'competitor', 'short_text', 'long_text', 'yes_no'] as const;
export type QuestionType = (typeof questionTypes)[number];

/** What a question's answer feeds in the response's summary fields (read by themes and reports). */
export const questionRoles = [
  'none',
  'primaryReason',
  'contributing',
  'ratings',
  'chosenVendor',
  'stage',
  'whyText',
  'wouldHaveChanged',
  'missingInfo',
  'participants',
  'considerAgain',
  'callConsent',
] as const;
export type QuestionRole = (typeof questionRoles)[number];

export interface Option {
  value: string;
  label: string;
}

export interface Question {
  /** Stable across versions: answers are keyed by it. Lower-case letters, digits and _. */
  id: string;
  type: QuestionType;
  role: QuestionRole;
  label: string;
  hint: string;
  required: boolean;
  /** Choices (single, multi, competitor) or the rated items (rating). One level: never an array of arrays. */
  options: Option[];
  /** Rating scale end labels (1 and 5). */
  scaleLow: string;
  scaleHigh: string;
  /** Free text only: ask the buyer how the answer may be used (quoted by name, anonymously, internal only). */
  quoteUse: boolean;
}

export interface TemplateVersion {
  /** "<key>@<version>" */
  id: string;
  key: string;
  version: number;
  questions: Question[];
  createdAt: Date;
  createdBy: string;
}

const optionSchema = new Schema({ value: { type: String, required: true }, label: { type: String, required: true } }, { _id: false });
const questionSchema = new Schema(
  {
    id: { type: String, required: true },
    type: { type: String, enum: questionTypes, required: true },
    role: { type: String, enum: questionRoles, required: true, default: 'none' },
    label: { type: String, required: true, maxlength: 300 },
    hint: { type: String, default: '', maxlength: 500 },
    required: { type: Boolean, default: false },
    options: { type: [optionSchema], default: [] },
    scaleLow: { type: String, default: '', maxlength: 60 },
    scaleHigh: { type: String, default: '', maxlength: 60 },
    quoteUse: { type: Boolean, default: false },
  },
  { _id: false },
);

const versionSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    version: { type: Number, required: true },
    questions: { type: [questionSchema], default: [] },
    createdBy: { type: String, default: 'system', maxlength: 320 },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
// Writes renew the report's change token (src/lib/change-token.ts).
versionSchema.plugin(tracksChanges('reports'));
export const QuestionnaireVersion = mongoose.model('QuestionnaireVersion', versionSchema);

const headSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
  },
  { timestamps: true, versionKey: false },
);
// Writes renew the report's change token (src/lib/change-token.ts).
headSchema.plugin(tracksChanges('reports'));
export const QuestionnaireHead = mongoose.model('QuestionnaireHead', headSchema);

export const defaultTemplateKey = 'default';
/** The won deals' questionnaire ("why you chose us"), versioned beside the loss one. */
export const winTemplateKey = 'win';
export const templateKeys = [defaultTemplateKey, winTemplateKey] as const;
export type TemplateKey = (typeof templateKeys)[number];

/** The questionnaire a buyer answers about a decision: the loss one, or the win one. */
export function templateKeyFor(outcome: 'won' | 'lost'): TemplateKey {
  return outcome === 'won' ? winTemplateKey : defaultTemplateKey;
}

export function versionId(key: string, version: number): string {
  return `${key}@${version}`;
}
