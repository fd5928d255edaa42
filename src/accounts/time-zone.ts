// The time zone a staff member's pages (and the emails Debrief sends them) show times in: their own when
// they chose one, else the program's. Unset is kept as unset, so that a person who never chose follows
// the program when it moves.
import { z } from 'zod';
import { audit, type Actor } from '../audit/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { isValidTimeZone } from '../lib/time-zones.ts';
import { User } from './model.ts';

const messages = {
  timeZone: 'Choose a time zone from the list, such as Europe/Berlin or America/New_York, or leave it empty to use the program’s.',
};

/** The zone's canonical spelling ('asia/tokyo' is Asia/Tokyo). */
function canonical(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/** A person's own zone as a form or the admin sends it: empty means "the program's" (null). */
export const ownTimeZone = z
  .string({ error: messages.timeZone })
  .trim()
  .max(100, messages.timeZone)
  .refine((v) => v === '' || isValidTimeZone(v), messages.timeZone)
  .transform((v) => (v === '' ? null : canonical(v)));

/** The zone a person's times show in: their own if valid, else the program's. */
export function effectiveTimeZone(own: string | null | undefined, programZone: string): string {
  return own && isValidTimeZone(own) ? own : programZone;
}

/** Sets (or, with null, clears) a person's own time zone; audited when it changes. */
export async function setTimeZone(userId: string, timeZone: string | null, actor: Actor): Promise<void> {
  const user = await User.findById(userId).select({ email: 1, timeZone: 1 }).lean();
  if (!user) throw new NotFoundError('No such user.');
  if ((user.timeZone ?? null) === timeZone) return;
  await User.updateOne({ _id: user._id }, timeZone ? { $set: { timeZone } } : { $unset: { timeZone: 1 } });
  await audit(actor, 'user.time_zone_changed', user.email, { from: user.timeZone ?? 'program', to: timeZone ?? 'program' });
}

/** The zone to show an email recipient's times in: a staff member's own, else the program's. */
export async function timeZoneOfRecipient(email: string, programZone: string): Promise<string> {
  const user = await User.findOne({ email: email.toLowerCase() }).select({ timeZone: 1 }).lean();
  const own = user?.timeZone;
  if (own && isValidTimeZone(own)) return own;
  return isValidTimeZone(programZone) ? programZone : 'UTC';
}
