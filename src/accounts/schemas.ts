import { DateTime } from 'luxon';
import { z } from 'zod';
import { passwordLimits } from './passwords.ts';
import { roles } from './model.ts';
import { oneLine, oneLineMessage } from '../lib/text.ts';
import { ownTimeZone } from './time-zone.ts';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email({ error: 'Enter an email address such as name@company.com.' }));
/**
 * A person's name as it will stand in a From header and an email's greeting: one line of at most 100
 * characters (see oneLine).
 */
export const personName = z.string().trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.').regex(oneLine, oneLineMessage);
const name = personName;
const password = z.string().max(passwordLimits.max, `Use at most ${passwordLimits.max} characters.`);
const csrf = { _csrf: z.string().optional() };

/** Only paths on this site: no //host or scheme. */
export const safeNext = z
  .string()
  .regex(/^\/(?![/\\])[^\s]*$/)
  .max(500)
  .optional()
  .catch(undefined);

export const signInBody = z.object({ ...csrf, email, password: password.min(1, 'Enter your password.'), next: safeNext }).strict();
export const signInQuery = z.object({ next: safeNext }).strict();

export const setupBody = z
  .object({ ...csrf, name, email, password, confirm: z.string() })
  .strict()
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords are not the same.' });

export const changeRoleBody = z.object({ ...csrf, role: z.enum(roles, { error: 'Pick a role.' }) }).strict();
export const userIdParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'Not a user id.') });

export const auditQuery = z
  .object({
    action: z
      .string()
      .trim()
      .max(100)
      .optional()
      .transform((v) => v || undefined),
    actor: z
      .string()
      .trim()
      .max(320)
      .optional()
      .transform((v) => v || undefined),
    // Days in the reader's time zone (the page shows times in it): resolved by auditQueryIn.
    from: z
      .union([z.literal(''), z.iso.date('Use a date like 2026-11-23.')])
      .optional()
      .transform((v) => v || undefined),
    to: z
      .union([z.literal(''), z.iso.date('Use a date like 2026-11-23.')])
      .optional()
      .transform((v) => v || undefined),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
  })
  .strict();

/** The audit filter with its days turned into instants: from the start of `from` to the end of `to`, in `timeZone`. */
export function auditQueryIn(query: z.output<typeof auditQuery>, timeZone: string) {
  const startOf = (day: string) => DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  return {
    ...query,
    from: query.from ? startOf(query.from).toJSDate() : undefined,
    to: query.to ? startOf(query.to).plus({ days: 1 }).toJSDate() : undefined,
  };
}

const newPassword = {
  password: z.string().min(1, 'Choose a password.').max(passwordLimits.max, `Use at most ${passwordLimits.max} characters.`),
  confirm: z.string(),
};
export const setPasswordBody = z
  .object({ ...csrf, ...newPassword })
  .strict()
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords are not the same.' });
export const linkParam = z.object({ token: z.string().max(200) });
export const forgotBody = z.object({ ...csrf, email }).strict();
export const inviteBody = z.object({ ...csrf, name, email, role: z.enum(roles, { error: 'Pick a role.' }) }).strict();

/** An admin says whether they sign buyers' emails; `back` is where the form was (the account page, the overview). */
export const interviewingBody = z.object({ ...csrf, interviews: z.enum(['yes', 'no']), back: z.enum(['/account', '/']).catch('/account') }).strict();
export const timeZoneBody = z.object({ ...csrf, timeZone: ownTimeZone }).strict();
