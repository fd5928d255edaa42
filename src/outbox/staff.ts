// Sends the emails staff get about their account (src/accounts/emails.ts says which, and what they carry)
// through the outbox, once per link. The link's token travels in the outbox record only until the server
// has accepted the message. Handed to accounts where the app and the worker are wired.
import { createHash } from 'node:crypto';
import { staffEmail, type StaffEmail } from '../accounts/index.ts';
import type { Queue } from '../lib/queue.ts';
import { scheduleEmail } from './schedule.ts';

export async function sendStaffEmail(queue: Queue, email: StaffEmail): Promise<void> {
  const { template, to, data } = staffEmail.parse(email);
  const key = `staff:${createHash('sha256').update(`${template}:${to}:${data.link}`).digest('hex')}`;
  await scheduleEmail(queue, { key, kind: 'staff', to, template, data });
}
