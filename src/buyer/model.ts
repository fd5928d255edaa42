// The buyer's answers while they are still answering: one draft per interview, keyed by the interview's
// id (so there is never a second), pinned to the questionnaire version the form was first opened on. Every step and every autosave writes here, so the buyer can reload, switch devices
// or come back next week from the same link. Submitting turns it into an InterviewResponse and
// deletes it; declining deletes it.
import mongoose, { Schema, type Types } from 'mongoose';
import type { Answers } from '../questionnaires/index.ts';

const draftSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, ref: 'Interview', required: true },
    templateId: { type: String, required: true, maxlength: 100 },
    // question id -> answer, each checked by the schema derived from the template version before it is stored.
    answers: { type: Schema.Types.Mixed, default: () => ({}) },
    // The furthest step reached (0-based): where the form resumes.
    step: { type: Number, default: 0 },
    // Live interview mode: the interviewer's notes, kept with the draft until submitted.
    notes: { type: String, maxlength: 5000 },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
export const FormDraft = mongoose.model('FormDraft', draftSchema);

export interface Draft {
  _id: Types.ObjectId;
  templateId: string;
  answers: Answers;
  step: number;
  notes?: string | null;
}
