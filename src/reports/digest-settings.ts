// The weekly digest's settings, in their own document: whether it goes, on which day and at what time
// (in the program's time zone), to whom (every sales user, or a list of addresses), and optionally a chat
// incoming-webhook URL (Slack or Teams) it is also posted to. Parsed from the settings form with zod.
import mongoose, { Schema } from 'mongoose';
import { z } from 'zod';
import { audit, type Actor } from '../audit/index.ts';
import { fieldErrorRecord } from '../lib/http/validate.ts';

export const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const recipientModes = ['sales', 'list'] as const;
export const chatFormats = ['slack', 'teams'] as const;

const settingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    enabled: { type: Boolean, default: false },
    // ISO weekday: 1 Monday ... 7 Sunday.
    weekday: { type: Number, min: 1, max: 7, default: 1 },
    time: { type: String, default: '09:00', maxlength: 5 },
    recipients: { type: String, enum: recipientModes, default: 'sales' },
    emails: { type: [String], default: [] },
    webhookUrl: { type: String, maxlength: 2000 },
    webhookFormat: { type: String, enum: chatFormats, default: 'slack' },
  },
  { timestamps: true, versionKey: false },
);
const DigestSettingsDoc = mongoose.model('DigestSettings', settingsSchema);

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
const webhookMessage = 'Enter the https:// address your chat tool gave you for an incoming webhook.';

/** A chat incoming-webhook URL: https, or http to this machine only (a local relay, or a test). */
export const webhookUrl = z
  .string()
  .trim()
  .max(2000, 'Use at most 2,000 characters.')
  .refine((s) => {
    try {
      const u = new URL(s);
      if (u.username || u.password) return false;
      return u.protocol === 'https:' || (u.protocol === 'http:' && loopbackHosts.has(u.hostname));
    } catch {
      return false;
    }
  }, webhookMessage);

export const digestSettingsInput = z
  .object({
    enabled: z.boolean(),
    weekday: z.coerce.number({ error: 'Choose a day.' }).int().min(1, 'Choose a day.').max(7, 'Choose a day.'),
    time: z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:MM, such as 09:00.'),
    recipients: z.enum(recipientModes, { error: 'Choose who gets the digest.' }),
    emails: z.array(z.email({ error: (i) => `“${String(i.input).slice(0, 80)}” is not an email address.` }).max(320)).max(200, 'List at most 200 addresses.'),
    webhookUrl: webhookUrl.optional(),
    webhookFormat: z.enum(chatFormats, { error: 'Choose Slack or Teams.' }),
  })
  .strict()
  .refine((s) => s.recipients !== 'list' || s.emails.length > 0, { path: ['emails'], message: 'List at least one address, or send it to every sales user.' });
export type DigestSettings = z.infer<typeof digestSettingsInput>;

export const defaultDigestSettings: DigestSettings = { enabled: false, weekday: 1, time: '09:00', recipients: 'sales', emails: [], webhookFormat: 'slack' };

export async function loadDigestSettings(): Promise<DigestSettings> {
  const doc = await DigestSettingsDoc.findById('digest').lean();
  if (!doc) return { ...defaultDigestSettings, emails: [] };
  return {
    enabled: Boolean(doc.enabled),
    weekday: doc.weekday ?? 1,
    time: doc.time ?? '09:00',
    recipients: doc.recipients === 'list' ? 'list' : 'sales',
    emails: [...(doc.emails ?? [])],
    ...(doc.webhookUrl ? { webhookUrl: doc.webhookUrl } : {}),
    webhookFormat: doc.webhookFormat === 'teams' ? 'teams' : 'slack',
  };
}

export async function saveDigestSettings(input: DigestSettings, actor: Actor): Promise<void> {
  const { webhookUrl: url, ...rest } = input;
  await DigestSettingsDoc.updateOne({ _id: 'digest' }, url ? { $set: { ...rest, webhookUrl: url } } : { $set: rest, $unset: { webhookUrl: 1 } }, {
    upsert: true,
  });
  // The webhook URL is a secret of sorts (anyone holding it can post): the audit log says only whether one is set.
  await audit(actor, 'digest.settings_updated', 'digest', {
    enabled: String(input.enabled),
    weekday: weekdays[input.weekday - 1]!,
    time: input.time,
    recipients: input.recipients,
    chat: url ? input.webhookFormat : 'none',
  });
}

export type DigestForm = Record<string, string>;

export const digestFormFields = ['enabled', 'weekday', 'time', 'recipients', 'emails', 'webhookUrl', 'webhookFormat'] as const;

export function digestToForm(s: DigestSettings): DigestForm {
  return {
    enabled: s.enabled ? 'on' : '',
    weekday: String(s.weekday),
    time: s.time,
    recipients: s.recipients,
    emails: s.emails.join('\n'),
    webhookUrl: s.webhookUrl ?? '',
    webhookFormat: s.webhookFormat,
  };
}

/** The form as typed -> the settings, or the errors keyed by form field. */
export function parseDigestForm(values: DigestForm): { ok: true; input: DigestSettings } | { ok: false; errors: Record<string, string[]> } {
  const raw = {
    enabled: values.enabled === 'on' || values.enabled === 'true',
    weekday: values.weekday ?? '',
    time: values.time ?? '',
    recipients: values.recipients ?? '',
    emails: (values.emails ?? '')
      .split(/[\s,;]+/)
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
    webhookUrl: values.webhookUrl?.trim() ? values.webhookUrl.trim() : undefined,
    webhookFormat: values.webhookFormat || 'slack',
  };
  const parsed = digestSettingsInput.safeParse(raw);
  if (parsed.success) return { ok: true, input: { ...parsed.data, emails: [...new Set(parsed.data.emails)] } };
  const errors = fieldErrorRecord();
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'enabled');
    (errors[field] ??= []).push(issue.message);
  }
  return { ok: false, errors };
}
