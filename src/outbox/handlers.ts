// The emails page for marketers: the company name buyers see, the reminder cadence, and the words of
// each buyer email, with a preview that renders the real template (layout, button, opt-out footer)
// with sample data, before or after saving.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { audit } from '../audit/index.ts';
import { actorOf } from '../accounts/index.ts';
import { typed } from '../lib/http/forms.ts';
import { fieldErrors, fieldErrorRecord } from '../lib/http/validate.ts';
import type { RenderedEmail } from '../mail/index.ts';
import { chooseInterviewer, interviewerPool, type Interviewer } from '../interviews/interviewers.ts';
import { mailFromParts } from '../lib/mailer.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { loadProgram } from '../program/index.ts';
import { renderBuyerEmail } from './kinds.ts';
import { emailsAction, previewParams, previewQuery } from './schemas.ts';
import { emailSettingsInput, loadEmailSettings, saveEmailSettings, type EmailSettings } from './settings.ts';
import { editableEmailLabels, editableEmails, placeholders, samplePlaceholderValues, type EditableEmail } from './texts.ts';
import { takeNotice } from '../lib/http/notice.ts';

const title = 'Emails to buyers';
const textField = (kind: EditableEmail, part: 'Subject' | 'Body') => `${kind}${part}`;
const formFields = ['companyName', 'reminderDays', 'expireAfterDays', ...editableEmails.flatMap((k) => [textField(k, 'Subject'), textField(k, 'Body')])];

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
    reminderDays:
      days === ''
        ? []
        : days
            .split(/[,\s]+/)
            .filter(Boolean)
            .map((d) => (/^\d+$/.test(d) ? Number(d) : d)),
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

/** Who a preview is signed by: the viewer if they interview buyers, else whoever signs the next invitation; null: no one yet. */
export async function previewSigner(viewerEmail: string): Promise<Interviewer | null> {
  const pool = await interviewerPool();
  return pool.find((i) => i.email === viewerEmail) ?? (await chooseInterviewer(null, await loadProgram()));
}

/** What a preview shows in place of a signer when there is none: nothing goes out until there is one. */
export const noSignerInPreview = '[no interviewer yet]';

/**
 * The buyer email as it would go out: the real renderer (kinds.ts), the real signer, a sample buyer.
 */
export async function previewEmail(
  kind: EditableEmail,
  settings: Pick<EmailSettings, 'companyName' | 'texts'>,
  appUrl: string,
  signer: Interviewer | null,
): Promise<RenderedEmail> {
  const values = { ...samplePlaceholderValues, our_company: settings.companyName, marketer_name: signer?.name ?? noSignerInPreview };
  return renderBuyerEmail(kind, settings, values, { form: `${appUrl}/i/SAMPLE-LINK`, unsubscribe: `${appUrl}/u/SAMPLE` });
}

// The draft last previewed (the emails page's form, not saved yet) is kept in the session, so that the
// preview frame (its own request) shows exactly those words.
declare module 'express-session' {
  interface SessionData {
    emailPreview?: { kind: EditableEmail; companyName: string; subject: string; body: string };
  }
}

/**
 * The preview's frame: the email's HTML alone, under a policy of its own (inline styles, as mail clients
 * apply them; no script, no request out, no form, a sandbox), so that it looks as the buyer sees it while
 * the page around it keeps its strict policy.
 */
export const previewFrame =
  (mailFrom: string, appUrl: string) =>
  async (req: Request, res: Response): Promise<void> => {
    const { kind } = parseOrThrow(previewParams, req.params);
    parseOrThrow(previewQuery, req.query);
    const saved = await loadEmailSettings(mailFrom);
    const draft = req.session.emailPreview?.kind === kind ? req.session.emailPreview : undefined;
    const settings = draft ? { companyName: draft.companyName, texts: { ...saved.texts, [kind]: { subject: draft.subject, body: draft.body } } } : saved;
    const email = await previewEmail(kind, settings, appUrl, await previewSigner(req.user!.email));
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox",
    );
    res.type('html').send(email.html);
  };

function render(res: Response, status: number, values: Record<string, string>, errors: Record<string, string[]>, extra: Record<string, unknown> = {}): void {
  res.status(status).render('outbox/emails', {
    title,
    values,
    errors,
    formError: undefined,
    emails: editableEmails,
    labels: editableEmailLabels,
    placeholders,
    preview: null,
    notice: undefined,
    ...extra,
  });
}

export const show =
  (mailFrom: string) =>
  async (req: Request, res: Response): Promise<void> => {
    const notice = takeNotice(req);
    render(res, 200, settingsToForm(await loadEmailSettings(mailFrom)), {}, { notice });
  };

export const save =
  (mailFrom: string, appUrl: string) =>
  async (req: Request, res: Response): Promise<void> => {
    const values = typed(req.body, formFields);
    for (const k of editableEmails)
      values[textField(k, 'Body')] = typeof req.body?.[textField(k, 'Body')] === 'string' ? String(req.body[textField(k, 'Body')]).slice(0, 4000) : '';
    const action = emailsAction.safeParse(req.body?.action ?? 'save');
    const parsed = emailSettingsInput.safeParse(formToInput(values));
    if (!parsed.success) return render(res, 400, values, formErrors(parsed.error));
    if (action.success && action.data.startsWith('preview-')) {
      const kind = action.data.slice('preview-'.length) as EditableEmail;
      req.session.emailPreview = { kind, companyName: parsed.data.companyName, ...parsed.data.texts[kind] };
      const signer = await previewSigner(req.user!.email);
      // The subject and text part here; the HTML in the frame (previewFrame), from the same draft.
      const email = await previewEmail(kind, parsed.data, appUrl, signer);
      const from = mailFromParts(mailFrom).address;
      return render(
        res,
        200,
        values,
        {},
        {
          preview: {
            kind,
            label: editableEmailLabels[kind],
            subject: email.subject,
            text: email.text,
            signer,
            from,
            sampleBuyer: `${samplePlaceholderValues.buyer_name}, ${samplePlaceholderValues.buyer_company}`,
            frameSrc: `/settings/emails/preview/${kind}?v=${Date.now().toString(36)}`,
          },
        },
      );
    }
    await saveEmailSettings(parsed.data);
    await audit(actorOf(req), 'program.emails_changed', 'emails to buyers');
    req.session.notice = 'Saved. The next emails use these words.';
    res.redirect(303, '/settings/emails');
  };
