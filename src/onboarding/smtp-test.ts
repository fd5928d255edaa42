// "Send a test email" on the set-up checklist: one email to the admin who asks, sent in the request
// (not through the outbox) so that the page can show what the mail server answered, word for word:
// nodemailer's info.response on success, the error's message on failure. Kept as the checklist's state.
import type { Actor } from '../audit/index.ts';
import { audit } from '../audit/index.ts';
import type { Mailer } from '../lib/mailer.ts';
import { renderEmail } from '../mail/index.ts';
import { SetupState, setupStateId, type SmtpTest } from './model.ts';

/** A server's text, one line, short: what the page shows. */
function oneLineAnswer(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 1000);
}

export async function sendSmtpTest(mailer: Mailer, to: { name: string; email: string }, appUrl: string, actor: Actor, now = new Date()): Promise<SmtpTest> {
  const email = await renderEmail('staff-notice', {
    subject: 'Debrief test email',
    greetingName: to.name,
    lines: [
      `This is a test email from Debrief, sent from the set-up checklist. It went through ${mailer.description}.`,
      'If you are reading it, email from Debrief reaches you.',
    ],
    link: appUrl,
    linkLabel: 'Open Debrief',
  });
  let result: SmtpTest;
  try {
    const sent = await mailer.send({ ...email, to: to.email });
    result = {
      at: now,
      by: actor.email ?? null,
      to: to.email,
      server: mailer.description,
      ok: true,
      answer: oneLineAnswer(sent.response) || 'accepted (no text)',
    };
  } catch (err) {
    result = {
      at: now,
      by: actor.email ?? null,
      to: to.email,
      server: mailer.description,
      ok: false,
      answer: oneLineAnswer(err instanceof Error ? err.message : String(err)) || 'no answer',
    };
  }
  await SetupState.updateOne({ _id: setupStateId }, { $set: { smtpTest: result } }, { upsert: true });
  await audit(actor, 'setup.smtp_test', mailer.description, { ok: result.ok ? 'yes' : 'no' });
  return result;
}
