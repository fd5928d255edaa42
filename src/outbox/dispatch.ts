// Hands new interviews to the outbox: the rep's notice of the plan right away, and the buyer's
// invitation as a job at its planned time. The planner writes every interview waiting for its handover
// (src/interviews/handover.ts), so no way in (page, API, webhook, CSV) can forget this; a recurring job
// runs it, and running it twice is harmless (the outbox records are keyed).
import mongoose from 'mongoose';
import { handedOver, markForHandover, waitingHandovers } from '../interviews/handover.ts';
import { Interview } from '../interviews/model.ts';
import type { Scheduler } from './send.ts';

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
