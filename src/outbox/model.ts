// The outbox: one record per email Debrief means to send, keyed by what it is ("invitation:<interview>:0"),
// so the same email can never be planned twice. The record carries the stable Message-ID every attempt
// uses and whether the server accepted it. Claims (one document per attempt, inserted under a unique
// _id) keep two workers from sending the same attempt at once: only one insert of an _id succeeds.
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

export const emailKinds = [
  'invitation',
  'reminder',
  'last_call',
  'thank_you',
  'rep_plan',
  'marketer_completed',
  'marketer_declined',
  'marketer_bounced',
  'marketer_held',
  'digest',
  'staff',
] as const;
export type EmailKind = (typeof emailKinds)[number];

/** An outbox record's _id: what the email is, so the same email can never be planned twice. */
export function sendKey(kind: EmailKind, interviewId: Types.ObjectId | string, step = 0): string {
  return `${kind}:${String(interviewId)}:${step}`;
}

// waiting: a buyer's email no one can sign yet (no interviewer); the dispatcher sends it on once someone can.
export const sendStates = ['pending', 'sending', 'sent', 'failed', 'skipped', 'waiting'] as const;
export type SendState = (typeof sendStates)[number];

const mailSendSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: emailKinds, required: true },
    interviewId: { type: Schema.Types.ObjectId, ref: 'Interview', index: true },
    step: { type: Number, default: 0 },
    // Set at the first attempt; derived from the key, so it never changes (see send.ts).
    messageId: { type: String },
    state: { type: String, enum: sendStates, required: true, default: 'pending' },
    // When it is meant to go (the job's time); sends wait for quiet hours.
    dueAt: { type: Date, required: true },
    attempts: { type: Number, default: 0 },
    firstAttemptAt: { type: Date },
    lastAttemptAt: { type: Date },
    nextAttemptAt: { type: Date },
    // A short reason ("421 on RCPT TO", "ECONNREFUSED"), never the server's text or an address.
    lastError: { type: String, maxlength: 300 },
    skipReason: { type: String, maxlength: 300 },
    sentAt: { type: Date },
    // When a job was last enqueued for it (see schedule.ts: later emails wait as records until due).
    enqueuedAt: { type: Date },
    // Standalone emails only (no interview): the recipient, the template under views/emails/ and its
    // data as JSON. Interview emails find their recipient and words through the interview.
    to: { type: String, maxlength: 320 },
    template: { type: String, maxlength: 60 },
    data: { type: String, maxlength: 200_000 },
    // The recipient's domain, for the per-domain rate limit and the pages; the address is not copied here.
    toDomain: { type: String, maxlength: 255 },
  },
  { timestamps: true, versionKey: false },
);
mailSendSchema.index({ state: 1, dueAt: 1 });

export type MailSendDoc = InferSchemaType<typeof mailSendSchema> & { _id: string };
export const MailSend = mongoose.model('MailSend', mailSendSchema, 'mailsends');

const mailClaimSchema = new Schema(
  {
    // "<send key>#<attempt>"
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export const MailClaim = mongoose.model('MailClaim', mailClaimSchema, 'mailclaims');
