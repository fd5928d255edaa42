// How the program writes to buyers: the company name they see, the reminder cadence, when an
// unanswered invitation expires, and the words of each email. One document beside the program's rules,
// edited on its own page (/settings/program/emails).
import { mailFromParts } from '../lib/mailer.ts';
import mongoose, { Schema } from 'mongoose';
import { z } from 'zod';
import { defaultEmailTexts, editableEmails, emailTextsSchema, type EmailTexts } from './texts.ts';
import { oneLine, oneLineMessage } from '../lib/text.ts';

export interface EmailSettings {
  companyName: string;
  /** Days after the invitation; the last one is the "last call". */
  reminderDays: number[];
  expireAfterDays: number;
  texts: EmailTexts;
}

export const defaultEmailSettings: EmailSettings = {
  companyName: 'Our team',
  reminderDays: [4, 9],
  expireAfterDays: 21,
  texts: defaultEmailTexts,
};

const messages = {
  companyName: 'Enter your company’s name as buyers know it (at most 100 characters).',
  reminderDays: 'Enter up to 3 days after the invitation, in increasing order, such as 4, 9.',
  expireAfterDays: 'Enter a whole number of days from 1 to 90.',
  expireAfterLast: 'Let the invitation expire after the last reminder.',
};

export const emailSettingsInput = z
  .object({
    // Buyers read it in every email (the brand line, the footer): one line (see oneLine).
    companyName: z.string({ error: messages.companyName }).trim().min(1, messages.companyName).max(100, messages.companyName).regex(oneLine, oneLineMessage),
    reminderDays: z
      .array(z.number({ error: messages.reminderDays }).int(messages.reminderDays).min(1, messages.reminderDays).max(60, messages.reminderDays), {
        error: messages.reminderDays,
      })
      .max(3, messages.reminderDays)
      .refine((days) => days.every((d, i) => i === 0 || d > days[i - 1]!), messages.reminderDays),
    expireAfterDays: z
      .number({ error: messages.expireAfterDays })
      .int(messages.expireAfterDays)
      .min(1, messages.expireAfterDays)
      .max(90, messages.expireAfterDays),
    texts: emailTextsSchema,
  })
  .strict()
  .superRefine((s, ctx) => {
    const last = Array.isArray(s.reminderDays) ? s.reminderDays.at(-1) : undefined;
    if (typeof last === 'number' && typeof s.expireAfterDays === 'number' && s.expireAfterDays <= last) {
      ctx.addIssue({ code: 'custom', path: ['expireAfterDays'], message: messages.expireAfterLast });
    }
  });

const textSchema = new Schema({ subject: String, body: String }, { _id: false });
const emailSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    companyName: String,
    reminderDays: [Number],
    expireAfterDays: Number,
    texts: new Schema(Object.fromEntries(editableEmails.map((k) => [k, textSchema])), { _id: false }),
  },
  { timestamps: true, versionKey: false },
);
const EmailSettingsDoc = mongoose.model('EmailSettings', emailSettingsSchema, 'emailsettings');

/**
 * The settings, with defaults for what was never saved. Until a marketer names the company, buyers see
 * MAIL_FROM's display name when it has one (pass it as mailFrom), else "Our team".
 */
export async function loadEmailSettings(mailFrom?: string): Promise<EmailSettings> {
  const doc = await EmailSettingsDoc.findById('emails').lean();
  const fallbackName = (mailFrom && mailFromParts(mailFrom).name) || defaultEmailSettings.companyName;
  if (!doc) return { ...structuredClone(defaultEmailSettings), companyName: fallbackName };
  const texts = structuredClone(defaultEmailTexts);
  for (const kind of editableEmails) {
    const t = doc.texts?.[kind];
    if (t?.subject && t.body) texts[kind] = { subject: t.subject, body: t.body };
  }
  return {
    companyName: doc.companyName || fallbackName,
    reminderDays: doc.reminderDays ? [...doc.reminderDays] : [...defaultEmailSettings.reminderDays],
    expireAfterDays: doc.expireAfterDays ?? defaultEmailSettings.expireAfterDays,
    texts,
  };
}

export async function saveEmailSettings(settings: EmailSettings): Promise<void> {
  await EmailSettingsDoc.updateOne({ _id: 'emails' }, { $set: settings }, { upsert: true });
}

/** Whether someone saved these settings (the company's name) at least once: the set-up checklist asks. */
export async function emailSettingsSaved(): Promise<boolean> {
  const doc = await EmailSettingsDoc.findById('emails').select({ companyName: 1 }).lean();
  return Boolean(doc?.companyName);
}
