// An endpoint that has failed every attempt for days is paused (no new deliveries, retries given up) and
// every admin is told by email, through the outbox like other staff emails, once per pause.
import mongoose from 'mongoose';
import { activeAdmins } from '../accounts/index.ts';
import type { Queue } from '../lib/queue.ts';
import { scheduleEmail } from '../outbox/index.ts';
import { HookDelivery, HookEndpoint } from './model.ts';

/** Every attempt failing for this long pauses the endpoint. */
export const pauseAfterMs = 3 * 24 * 3_600_000;

const days = (ms: number) => Math.round(ms / 86_400_000);

/** Pauses the endpoint if it has failed since pauseAfterMs ago; true if this call paused it (and told the admins). */
export async function pauseIfFailingForDays(queue: Queue | undefined, endpointId: unknown, now: Date, appUrl: string | undefined): Promise<boolean> {
  const threshold = new Date(now.getTime() - pauseAfterMs);
  const reason = `Every delivery failed for ${days(pauseAfterMs)} days.`;
  const paused = await HookEndpoint.findOneAndUpdate(
    { _id: endpointId, state: 'active', failingSince: mongoose.trusted({ $lte: threshold }) },
    { $set: { state: 'paused', pausedAt: now, pausedReason: reason } },
    { returnDocument: 'after' },
  ).lean();
  if (!paused) return false;
  // What still waited for a retry is given up: the receiver is down, and resuming starts afresh.
  await HookDelivery.updateMany(
    { endpointId: paused._id, state: mongoose.trusted({ $in: ['pending', 'retrying'] }) },
    { $set: { state: 'cancelled', lastError: 'The endpoint was paused' } },
  );
  if (!queue) return true;
  const admins = await activeAdmins();
  const link = `${appUrl ?? ''}/settings/webhooks/${String(paused._id)}`;
  for (const admin of admins) {
    await scheduleEmail(queue, {
      key: `staff:hooks-paused.${String(paused._id)}.${now.getTime()}.${admin.id}`,
      kind: 'staff',
      to: admin.email,
      template: 'staff-notice',
      data: {
        subject: `Webhook paused: ${paused.url}`,
        greetingName: admin.name,
        lines: [
          `Debrief paused the outgoing webhook to ${paused.url}${paused.description ? ` (${paused.description})` : ''}: every delivery to it has failed since ${paused.failingSince?.toISOString() ?? 'days ago'}.`,
          'Nothing more is sent to it until an admin resumes it. Check that the receiver is up and answers 2xx, send a test event, then resume it.',
        ],
        link,
        linkLabel: 'Open the webhook',
      },
    });
  }
  return true;
}
