// Hands new interviews to the outbox: the rep's notice of the plan right away, and the buyer's
// invitation as a job at its planned time. The planner writes every interview waiting for its handover
// (src/interviews/handover.ts), so no way in (page, API, webhook, CSV) can forget this; a recurring job
// runs it, and running it twice is harmless (the outbox records are keyed).
import mongoose from 'mongoose';
import { Deal } from '../deals/model.ts';
import { transition } from '../interviews/index.ts';
import { handedOver, markForHandover, waitingHandovers } from '../interviews/handover.ts';
import { assignInterviewer, clearAwaitingInterviewer, interviewerPool, waitingForInterviewer } from '../interviews/interviewers.ts';
import { Interview, outcomeOf } from '../interviews/model.ts';
import { decidedAt, sendTime } from '../interviews/planner.ts';
import { loadProgram } from '../program/index.ts';
import { MailSend, sendKey } from './model.ts';
import { releaseWaitingEmails, type Scheduler } from './schedule.ts';

/** Dispatches the interviews waiting for it; returns how many. */
export async function dispatchNewInterviews(schedule: Scheduler, now = new Date(), limit = 200): Promise<number> {
  let count = 0;
  for (const interview of await waitingHandovers(limit)) {
    if (!interview.repNotifiedAt && !interview.demo) {
      // The rep hears of every interview planned for their deal, whatever became of it before this run
      // (a marketer's "send now", a hold-off): the notice says what is true when it is written (kinds.ts).
      await schedule('rep_plan', interview._id, 0, now);
      if (interview.state === 'planned' && interview.plannedFor) await schedule('invitation', interview._id, 0, interview.plannedFor);
      await Interview.updateOne({ _id: interview._id }, { $set: { repNotifiedAt: now } });
      count += 1;
    }
    await handedOver(interview._id);
  }
  return count;
}

/** Where an interview's emails can still go, once someone signs them. */
const stillSending = new Set(['planned', 'invited', 'reminded', 'opened', 'in_progress', 'completed']);

/**
 * Names an interviewer for the interviews that waited for one, once there is someone (any run with no
 * one to name costs one read of the waiting mark). An invitation that waited past its time is planned
 * again for the next sendable time in the buyer's hours, as the planner would plan it now; the other
 * emails that waited go when the release finds them (within 30 seconds). Returns how many were named.
 */
export async function dispatchWaitingForInterviewer(now = new Date(), limit = 200): Promise<number> {
  const waiting = await waitingForInterviewer(limit);
  if (waiting.length === 0) return 0;
  const program = await loadProgram();
  if (program.interviewerBySegment.length === 0 && (await interviewerPool()).length === 0) return 0;
  let named = 0;
  for (const interview of waiting) {
    if (stillSending.has(interview.state)) {
      const signer = await assignInterviewer(interview, program);
      if (!signer) continue;
      named += 1;
      let dueAt = now;
      const invitation = await MailSend.findById(sendKey('invitation', interview._id, 0))
        .select({ state: 1 })
        .lean();
      if (interview.state === 'planned') {
        const deal = await Deal.findById(interview.dealId).select({ lostAt: 1, wonAt: 1, contacts: 1 }).lean();
        const contact = deal?.contacts.find((c) => c.email === interview.contact?.email);
        // Still ahead: it goes at its time. Waited past it: the next sendable time from now.
        dueAt =
          interview.plannedFor && interview.plannedFor > now
            ? interview.plannedFor
            : sendTime((deal && decidedAt(deal, outcomeOf(interview))) ?? now, program, contact?.timeZone, now).sendAt;
        const note = `${signer.name} interviews${invitation?.state === 'waiting' ? `; the invitation goes ${dueAt <= now ? 'now' : 'at the next sendable time'}` : ''}`;
        await transition(interview._id, { from: ['planned'], to: 'planned', note, set: { plannedFor: dueAt }, at: now });
      }
      // The emails first, then the mark: a run that stops between the two finds the mark and sends again (harmless).
      await releaseWaitingEmails(interview._id, dueAt);
    }
    await clearAwaitingInterviewer(interview._id);
  }
  return named;
}

/**
 * The safety net, run now and then: marks interviews that wait unmarked (written before the mark
 * existed, or straight into the database). It reads every planned and excluded interview, so it is not
 * run every 30 seconds.
 */
export async function sweepUnmarkedInterviews(limit = 1000): Promise<number> {
  const unmarked = await Interview.find({
    // repNotifiedAt marks an interview handed to the outbox.
    repNotifiedAt: mongoose.trusted({ $exists: false }),
    awaitingHandover: mongoose.trusted({ $ne: true }),
    demo: false,
    state: mongoose.trusted({ $in: ['planned', 'excluded'] }),
  })
    .select({ _id: 1 })
    .limit(limit)
    .lean();
  for (const interview of unmarked) await markForHandover(interview._id);
  return unmarked.length;
}
