// The emails about an interview that have not gone out, and why: the deal page shows them, so that a
// failure of ours (a template, the From, the mail server's configuration), which leaves an email pending
// instead of blaming the buyer, is seen and fixed.
import mongoose, { type Types } from 'mongoose';
import { MailSend, type EmailKind, type SendState } from './model.ts';

export const emailKindLabels: Record<EmailKind, string> = {
  invitation: 'The invitation',
  reminder: 'A reminder',
  last_call: 'The last call',
  thank_you: 'The thank-you',
  rep_plan: 'The rep’s notice of the plan',
  marketer_completed: 'The interviewer’s notice',
  marketer_declined: 'The interviewer’s notice',
  marketer_bounced: 'The interviewer’s notice',
  marketer_held: 'The interviewer’s notice',
  digest: 'The digest',
  staff: 'An account email',
};

export interface EmailProblem {
  label: string;
  state: SendState;
  /** A short reason ("refused by the mailer: fromName must be one line of text", "ECONNREFUSED"). */
  error: string;
  attempts: number;
  nextAttemptAt: Date | null;
}

/** Per interview id, its emails that failed or wait after a failed attempt. */
export async function emailProblems(interviewIds: readonly Types.ObjectId[]): Promise<Map<string, EmailProblem[]>> {
  const out = new Map<string, EmailProblem[]>();
  if (interviewIds.length === 0) return out;
  const records = await MailSend.find({
    interviewId: mongoose.trusted({ $in: interviewIds }),
    state: mongoose.trusted({ $in: ['pending', 'sending', 'failed'] }),
    lastError: mongoose.trusted({ $exists: true }),
  })
    .sort({ dueAt: 1 })
    .lean();
  for (const r of records) {
    const list = out.get(String(r.interviewId)) ?? [];
    list.push({ label: emailKindLabels[r.kind], state: r.state, error: r.lastError ?? '', attempts: r.attempts ?? 0, nextAttemptAt: r.nextAttemptAt ?? null });
    out.set(String(r.interviewId), list);
  }
  return out;
}
