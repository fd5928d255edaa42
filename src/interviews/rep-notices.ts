// Tells the rep, right after a deal of theirs is lost, what will happen: the planned interview (with a
// link to hold it off) or why the buyer will not be asked, and a link to give their own view. Works as
// an outbox: the planner only writes the interview; a recurring job sends what has not been sent, so
// no way in (page, API, webhook, CSV) can forget it, and a crash cannot lose it.
import mongoose from 'mongoose';
import { Deal } from '../deals/model.ts';
import type { Logger } from '../lib/logger.ts';
import { isPermanentSmtpFailure, type Mailer } from '../lib/mailer.ts';
import { renderEmail } from '../mail/render.ts';
import { loadProgram } from '../program/model.ts';
import { Interview } from './model.ts';

const when = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

/** Sends the notices not yet sent; returns how many interviews it handled. */
export async function sendRepNotices(mailer: Mailer, appUrl: string, logger: Logger, now = new Date(), limit = 50): Promise<number> {
  const due = await Interview.find({
    repNotifiedAt: mongoose.trusted({ $exists: false }),
    demo: false,
    state: mongoose.trusted({ $in: ['planned', 'excluded'] }),
  })
    .sort({ createdAt: 1 })
    .limit(limit)
    .lean();
  if (due.length === 0) return 0;
  const program = await loadProgram();
  for (const interview of due) {
    // Claim it first: at worst a crash right after loses this one notice, never sends it twice.
    const claim = await Interview.updateOne({ _id: interview._id, repNotifiedAt: mongoose.trusted({ $exists: false }) }, { $set: { repNotifiedAt: now } });
    if (claim.modifiedCount === 0) continue;
    const deal = await Deal.findById(interview.dealId).lean();
    if (!deal?.ownerEmail) continue;
    const planned = interview.state === 'planned';
    const email = await renderEmail('rep-plan', {
      repName: deal.ownerName || deal.ownerEmail,
      dealName: deal.name,
      company: deal.buyerCompany,
      buyerName: interview.contact?.name ?? 'the buyer',
      planned,
      when: interview.plannedFor ? when.format(interview.plannedFor) : '',
      interviewerName: interview.interviewer?.name ?? 'someone',
      reason: interview.exclusionReason ?? '',
      holdOffLink: `${appUrl}/interviews/${String(interview._id)}/hold-off`,
      holdOffUntil: when.format(new Date((deal.lostAt ?? interview.createdAt).getTime() + program.holdOffHours * 3_600_000)),
      debriefLink: `${appUrl}/deals/${String(deal._id)}/debrief`,
    });
    try {
      await mailer.send({ to: deal.ownerEmail, ...email, ...(interview.interviewer?.email ? { replyTo: interview.interviewer.email } : {}) });
    } catch (err) {
      if (isPermanentSmtpFailure(err)) {
        logger.warn({ interview: String(interview._id) }, 'the rep’s address was refused; the plan notice is not sent');
        continue;
      }
      // A temporary failure: release the claim so the next run tries again.
      await Interview.updateOne({ _id: interview._id }, { $unset: { repNotifiedAt: 1 } });
      throw err;
    }
  }
  return due.length;
}
