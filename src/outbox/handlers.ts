// The emails page for marketers: the company name buyers see, the reminder cadence, and the words of
// each buyer email, with a preview that renders the real template (layout, button, opt-out footer)
// with sample data, before or after saving.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { audit } from '../audit/service.ts';
import { actorOf } from '../accounts/actor.ts';
import { typed } from '../lib/http/forms.ts';
import { fieldErrors, fieldErrorRecord } from '../lib/http/validate.ts';
import { renderEmail, type RenderedEmail } from '../mail/render.ts';
import { emailSettingsInput, loadEmailSettings, saveEmailSettings, type EmailSettings } from './settings.ts';
import { editableEmailLabels, editableEmails, paragraphs, placeholders, samplePlaceholderValues, type EditableEmail } from './texts.ts';

const title = 'Emails to buyers';
const textField = (kind: EditableEmail, part: 'Subject' | 'Body') => `${kind}${part}`;
const formFields = ['companyName', 'reminderDays', 'expireAfterDays', ...editableEmails.flatMap((k) => [textField(k, 'Subject'), textField(k, 'Body')])];
const actionSchema = z.enum(['save', ...editableEmails.map((k) => `preview-${k}`)] as [string, ...string[]]);

export function settingsToForm(s: EmailSettings): Record<string, string> {
  const values: Record<string, string> = { companyName: s.companyName, reminderDays: s.reminderDays.join(', '), expireAfterDays: String(s.expireAfterDays) };
  for (const k of editableEmails) {
    values[textField(k, 'Subject')] = s.texts[k].subject;
    values[textField(k, 'Body')] = s.texts[k].body;
  }
  return values;
}

function formToInput(values: Record<string, string>): unknown {
  const days = values.reminderDays!.trim();
  return {
    companyName: values.companyName,
    reminderDays: days === '' ? [] : days.split(/[,\s]+/).filter(Boolean).map((d) => (/^\d+$/.test(d) ? Number(d) : d)),
    expireAfterDays: /^\d+$/.test(values.expireAfterDays!.trim()) ? Number(values.expireAfterDays) : values.expireAfterDays,
    texts: Object.fromEntries(editableEmails.map((k) => [k, { subject: values[textField(k, 'Subject')], body: values[textField(k, 'Body')] }])),
  };
}

/** zod paths (texts.invitation.subject, reminderDays.1) to the form's field names. */
function formErrors(error: z.ZodError): Record<string, string[]> {
  const out = fieldErrorRecord();
  for (const [path, messages] of Object.entries(fieldErrors(error))) {
    const [head, kind, part] = path.split('.');
    const field = head === 'texts' && kind && part ? textField(kind as EditableEmail, part === 'subject' ? 'Subject' : 'Body') : head!;
    out[field] = [...new Set([...(out[field] ?? []), ...messages])];
  }
  return out;
}

/** The buyer email as it would go out, with sample data. */
export async function previewEmail(kind: EditableEmail, settings: Pick<EmailSettings, 'companyName' | 'texts'>, appUrl: string): Promise<RenderedEmail> {
  const values = { ...samplePlaceholderValues, our_company: settings.companyName };
  const link = kind === 'thank_you' ? '' : `${appUrl}/i/SAMPLE-LINK`;
  return renderEmail('buyer-message', {
    subject: paragraphs(settings.texts[kind].subject, values).join(' '),
    brand: settings.companyName,
    paragraphs: paragraphs(settings.texts[kind].body, values),
    link,
    buttonLabel: kind === 'last_call' ? 'Answer before the form closes' : 'Answer the questions (2 minutes)',
    marketerName: values.marketer_name,
    companyName: settings.companyName,
    unsubscribeUrl: `${appUrl}/u/SAMPLE`,
    footerNote: `You get this email because you recently looked at ${settings.companyName} for ${values.buyer_company}. Your answers stay with ${settings.companyName}.`,
  });
}

function render(res: Response, status: number, values: Record<string, string>, errors: Record<string, string[]>, extra: Record<string, unknown> = {}): void {
  res.status(status).render('outbox/emails', { title, values, errors, formError: undefined, emails: editableEmails, labels: editableEmailLabels, placeholders, preview: null, notice: undefined, ...extra });
}

export const show = (mailFrom: string) => async (req: Request, res: Response): Promise<void> => {
  const notice = req.session.notice;
  delete req.session.notice;
  render(res, 200, settingsToForm(await loadEmailSettings(mailFrom)), {}, { notice });
};

export const save = (appUrl: string) => async (req: Request, res: Response): Promise<void> => {
  const values = typed(req.body, formFields);
  for (const k of editableEmails) values[textField(k, 'Body')] = typeof req.body?.[textField(k, 'Body')] === 'string' ? String(req.body[textField(k, 'Body')]).slice(0, 4000) : '';
  const action = actionSchema.safeParse(req.body?.action ?? 'save');
  const parsed = emailSettingsInput.safeParse(formToInput(values));
  if (!parsed.success) return render(res, 400, values, formErrors(parsed.error));
  if (action.success && action.data.startsWith('preview-')) {
    const kind = action.data.slice('preview-'.length) as EditableEmail;
    const email = await previewEmail(kind, parsed.data, appUrl);
    return render(res, 200, values, {}, { preview: { kind, label: editableEmailLabels[kind], ...email } });
  }
  await saveEmailSettings(parsed.data);
  await audit(actorOf(req), 'program.emails_changed', 'emails to buyers');
  req.session.notice = 'Saved. The next emails use these words.';
  res.redirect(303, '/settings/emails');
};
