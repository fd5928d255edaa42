// What sent emails change: the interview's state (invited, reminded: moves of the state machine,
// src/interviews) and the records of the reminders an invitation starts. A batch of sends follows up
// together: the moves go out as one bulk write and the reminders as one insert, instead of a few round
// trips per email.
import type { Types } from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';
import { transitionBatch, type BatchMove } from '../interviews/index.ts';
import { nextSendableTime, sendWindowOf } from '../program/index.ts';
import { isValidTimeZone } from '../lib/time-zones.ts';
import type { SendContext } from './kinds.ts';
import { MailSend, sendKey, type EmailKind, type MailSendDoc } from './model.ts';

/**
 * Creates outbox records that wait for releaseDue (no job yet), in one insert; those that exist already
 * are left as they are.
 */
async function createWaitingRecords(records: { _id: string; kind: EmailKind; interviewId: Types.ObjectId; step: number; dueAt: Date }[]): Promise<void> {
  if (records.length === 0) return;
  try {
    await MailSend.insertMany(
      records.map((r) => ({ ...r, state: 'pending' })),
      { ordered: false },
    );
  } catch (err) {
    const writeErrors = (err as { writeErrors?: unknown[] }).writeErrors;
    const allExisted = Array.isArray(writeErrors) ? writeErrors.every(isDuplicateKeyError) : isDuplicateKeyError(err);
    if (!allExisted) throw err;
  }
}

export interface SentEmail {
  record: MailSendDoc;
  ctx: SendContext;
  sentAt: Date;
}

export const followsUp = (kind: EmailKind) => kind === 'invitation' || kind === 'reminder' || kind === 'last_call';

/**
 * What happens once emails went: the interviews' states, the next emails. Safe to run twice, and run
 * again whenever a sent interview email is processed again (nothing records that it ran).
 */
export async function followUp(sent: readonly SentEmail[]): Promise<void> {
  const changes: BatchMove[] = [];
  const reminders: { _id: string; kind: EmailKind; interviewId: Types.ObjectId; step: number; dueAt: Date }[] = [];
  for (const { record, ctx, sentAt } of sent) {
    const { interview, program, settings } = ctx;
    switch (record.kind) {
      case 'invitation': {
        const expiresAt = new Date(sentAt.getTime() + settings.expireAfterDays * 86_400_000);
        changes.push({
          interviewId: interview._id,
          dealId: interview.dealId,
          from: ['planned'],
          to: 'invited',
          note: 'Invitation sent',
          at: sentAt,
          set: { expiresAt },
        });
        const rules = sendWindowOf(program);
        const contact = ctx.deal?.contacts.find((c) => c.email === interview.contact?.email);
        const timeZone = contact?.timeZone && isValidTimeZone(contact.timeZone) ? contact.timeZone : program.timeZone;
        // Reminders are days away (the settings allow one day at the least): they wait as records.
        // A test invitation gets no reminders: the person testing is not to be chased for days.
        const days = interview.test ? [] : settings.reminderDays;
        for (const [i, d] of days.entries()) {
          const kind: EmailKind = i === days.length - 1 ? 'last_call' : 'reminder';
          const dueAt = nextSendableTime(new Date(sentAt.getTime() + d * 86_400_000), rules, timeZone);
          reminders.push({ _id: sendKey(kind, interview._id, i + 1), kind, interviewId: interview._id, step: i + 1, dueAt });
        }
        break;
      }
      case 'reminder':
      case 'last_call': {
        const note = record.kind === 'last_call' ? 'Last call sent' : `Reminder ${record.step} sent`;
        // From invited, or noted again on the way if already reminded.
        changes.push({ interviewId: interview._id, dealId: interview.dealId, from: ['invited', 'reminded'], to: 'reminded', note, at: sentAt });
        break;
      }
      default:
        break;
    }
  }
  await transitionBatch(changes);
  await createWaitingRecords(reminders);
}
