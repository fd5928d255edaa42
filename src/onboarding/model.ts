// What the set-up checklist keeps of its own: which "reviewed" steps someone confirmed (the program and
// the questionnaire, whose defaults may well suit), the last SMTP test and its answer, and whether an
// admin put the checklist away. Everything else it shows is read from the real state (checklist.ts).
import mongoose, { Schema } from 'mongoose';

const bySchema = new Schema({ at: { type: Date, required: true }, by: { type: String, maxlength: 320 } }, { _id: false });

const setupSchema = new Schema(
  {
    _id: { type: String, required: true },
    confirmed: { program: bySchema, questionnaire: bySchema },
    smtpTest: new Schema(
      {
        at: { type: Date, required: true },
        by: { type: String, maxlength: 320 },
        to: { type: String, maxlength: 320 },
        // Where it went, without credentials (describeSmtpUrl): a test of another server does not count.
        server: { type: String, maxlength: 300 },
        ok: { type: Boolean, required: true },
        // The server's own answer ("250 2.0.0 Ok: queued as ...") or the error it gave.
        answer: { type: String, maxlength: 1000 },
      },
      { _id: false },
    ),
    dismissed: bySchema,
    // The first time every step was seen done: from then on the overview no longer works it out.
    completedAt: { type: Date },
  },
  { versionKey: false },
);

export const SetupState = mongoose.model('SetupState', setupSchema, 'setupstate');
export const setupStateId = 'setup';

export interface SmtpTest {
  at: Date;
  by: string | null;
  to: string | null;
  server: string | null;
  ok: boolean;
  answer: string;
}
