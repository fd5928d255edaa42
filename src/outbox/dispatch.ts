// Hands new interviews to the outbox: the rep's notice of the plan right away, and the buyer's
// invitation as a job at its planned time. The planner only writes the interview, so no way in (page,
// API, webhook, CSV) can forget this; a recurring job runs it, and running it twice is harmless (the
// outbox records are keyed, the jobs unique).
import mongoose from 'mongoose';
import { Interview } from '../interviews/model.ts';
import type { Scheduler } from './send.ts';

/** Dispatches interviews not handed over yet; returns how many. */
export async function dispatchNewInterviews(schedule: Scheduler, now = new Date(), limit = 200): Promise<number> {
  const fresh = await Interview.find({
    // repNotifiedAt marks an interview handed to the outbox.
    repNotifiedAt: mongoose.trusted({ $exists: false }),
    demo: false,
    state: mongoose.trusted({ $in: ['planned', 'excluded'] }),
  })
    .select({ state: 1, plannedFor: 1 })
    .sort({ createdAt: 1 })
    .limit(limit)
    .lean();
  for (const interview of fresh) {
    await schedule('rep_plan', interview._id, 0, now);
    if (interview.state === 'planned' && interview.plannedFor) await schedule('invitation', interview._id, 0, interview.plannedFor);
    await Interview.updateOne({ _id: interview._id }, { $set: { repNotifiedAt: now } });
  }
  return fresh.length;
}
