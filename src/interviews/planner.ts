// Plans the interview for a lost deal, or a won one the program samples in, on the program's rules: who
// is asked (the primary contact), who asks (the interviewer), when (cool-off, business days, quiet hours,
// in the buyer's time zone), or why nobody is asked (an exclusion, recorded and shown). Wins and losses
// share every rule; only the key, the date counted from and the questionnaire differ.
import mongoose, { type Types } from 'mongoose';
import type { DealDoc } from '../deals/model.ts';
import { isDuplicateKeyError } from '../lib/db.ts';
import { timeHelpers } from '../lib/http/views.ts';
import { computeSendTime, loadProgram, nextSendableTime, type Program, sampledIn, sendWindowOf, winPercentFor } from '../program/index.ts';
import { isValidTimeZone } from '../lib/time-zones.ts';
import { interviewEvents } from './events.ts';
import { awaitingHandover } from './handover.ts';
import { chooseInterviewer, countInterview, noInterviewerMessage } from './interviewers.ts';
import { accountKey, lastAsked } from './ledger.ts';
import { Interview, type DealOutcome, type InterviewDoc } from './model.ts';
import { outcomeWords } from './outcome-words.ts';
import { pendingStates } from './states.ts';
import { transitionMany } from './transition.ts';

type DecidedDeal = DealDoc & { _id: Types.ObjectId };
export type StoredInterview = InterviewDoc & { _id: Types.ObjectId };

export type PlanOutcome =
  | { outcome: 'planned'; interview: StoredInterview; reason: string }
  | { outcome: 'excluded'; interview: StoredInterview; reason: string }
  | { outcome: 'duplicate'; interview: StoredInterview };

/** For a won deal, also: won deals are not interviewed in its segment (off), or this deal was not drawn. */
export type WinPlanOutcome = PlanOutcome | { outcome: 'off' | 'not_sampled'; reason: string };

/** The interview's key: one per loss, one per win (the unique index makes planning idempotent). */
export function planKeyOf(deal: Pick<DecidedDeal, '_id' | 'lossCount' | 'winCount'>, outcome: DealOutcome): string {
  return outcome === 'won' ? `${String(deal._id)}#won${deal.winCount ?? 0}` : `${String(deal._id)}#${deal.lossCount}`;
}

/** When the deal was decided: what the cool-off, the staleness rule and the rep's hold-off count from. */
export function decidedAt(deal: Partial<Pick<DecidedDeal, 'lostAt' | 'wonAt'>>, outcome: DealOutcome): Date | null | undefined {
  return outcome === 'won' ? deal.wonAt : deal.lostAt;
}

const day = 24 * 60 * 60 * 1000;
/** Losses older than this are not asked about (a CSV import of last year's losses, say). */
export const staleLossDays = 90;

/** Why this deal's buyer is not to be asked, or null. */
async function exclusion(deal: DecidedDeal, outcome: DealOutcome, program: Program, now: Date): Promise<string | null> {
  const contact = deal.contacts.find((c) => c.primary) ?? deal.contacts[0];
  if (!contact) return 'The deal has no buyer contact to ask.';
  if (program.segments.length > 0 && !program.segments.includes(deal.segment ?? '')) {
    return deal.segment ? `The ${deal.segment} segment is not in the program.` : 'The deal has no segment, and the program covers only some segments.';
  }
  if (program.minimumAmount > 0 && (deal.amount ?? 0) < program.minimumAmount) {
    return `The amount is below the program's minimum of ${program.minimumAmount.toLocaleString('en-US')}.`;
  }
  // Dates in the reason written on the interview: days of the program's calendar.
  const { formatDate } = timeHelpers(isValidTimeZone(program.timeZone) ? program.timeZone : 'UTC');
  const at = decidedAt(deal, outcome) ?? now;
  if (now.getTime() - at.getTime() > staleLossDays * day) {
    return `The deal was ${outcome} on ${formatDate(at)}, more than ${staleLossDays} days ago: too long for the buyer to remember the decision well.`;
  }
  const since = new Date(now.getTime() - program.contactCooldownDays * day);
  const asked = await lastAsked(contact.email, deal.buyerCompany);
  if (asked.person && asked.person >= since) {
    return `${contact.name} was already asked about a deal on ${formatDate(asked.person)}; the program leaves a contact alone for ${program.contactCooldownDays} days.`;
  }
  if (asked.account && asked.account >= since) {
    return `Someone at ${deal.buyerCompany} was already asked on ${formatDate(asked.account)}; the program contacts an account at most once in ${program.contactCooldownDays} days.`;
  }
  return null;
}

/** When to invite: the cool-off counted from the loss (or the win); one entered late is invited at the next sendable time. */
export function sendTime(
  lostAt: Date,
  program: Program,
  buyerTimeZone: string | null | undefined,
  now: Date,
  outcome: DealOutcome = 'lost',
): { sendAt: Date; reason: string } {
  const rules = sendWindowOf(program);
  const words = outcomeWords(outcome);
  const planned = computeSendTime(lostAt, rules, buyerTimeZone, words);
  if (planned.sendAt >= now) return planned;
  const sendAt = nextSendableTime(now, rules, planned.timeZone);
  return { sendAt, reason: `the cool-off after ${words.decision} has passed, so at the next sendable time in ${planned.timeZone}` };
}

export async function planInterview(deal: DecidedDeal, now = new Date(), outcome: DealOutcome = 'lost', known?: Program): Promise<PlanOutcome> {
  const program = known ?? (await loadProgram());
  const contact = deal.contacts.find((c) => c.primary) ?? deal.contacts[0];
  const excluded = await exclusion(deal, outcome, program, now);
  const interviewer = excluded ? null : await chooseInterviewer(deal.segment, program);
  const send = excluded ? null : sendTime(decidedAt(deal, outcome) ?? now, program, contact?.timeZone, now, outcome);
  const planKey = planKeyOf(deal, outcome);
  const state = excluded ? 'excluded' : 'planned';
  // No one to sign it yet: planned all the same, and it waits (src/interviews/interviewers.ts).
  const waits = !excluded && !interviewer;
  const planNote = send ? (waits ? `${send.reason}. ${noInterviewerMessage}` : send.reason) : undefined;
  try {
    const interview = await Interview.create({
      dealId: deal._id,
      planKey,
      outcome,
      buyerCompany: deal.buyerCompany,
      accountKey: accountKey(deal.buyerCompany),
      contact: contact ? { name: contact.name, email: contact.email, role: contact.role } : { name: 'No contact', email: 'none@invalid.invalid' },
      interviewer: interviewer ?? undefined,
      state,
      plannedFor: send?.sendAt,
      exclusionReason: excluded ?? undefined,
      timeline: [{ state, at: now, note: excluded ?? planNote }],
      // The dispatcher finds new interviews by it.
      ...awaitingHandover,
      ...(waits ? { awaitingInterviewer: true } : {}),
    });
    const stored = interview.toObject() as StoredInterview;
    if (interviewer) await countInterview(interviewer);
    await interviewEvents.fire({ type: state, interviewId: stored._id, dealId: deal._id, at: now });
    return excluded ? { outcome: 'excluded', interview: stored, reason: excluded } : { outcome: 'planned', interview: stored, reason: planNote! };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const existing = await Interview.findOne({ planKey }).lean<StoredInterview>();
    return { outcome: 'duplicate', interview: existing! };
  }
}

/**
 * A won deal's interview, if the program samples the deal in: the share for its segment (win-sampling.ts),
 * then the same rules as a loss. A deal not sampled in gets no interview record: at 10 % most won deals
 * are not asked, and that is the plan, not an exception to show.
 */
export async function planWinInterview(deal: DecidedDeal, now = new Date()): Promise<WinPlanOutcome> {
  const program = await loadProgram();
  const percent = winPercentFor(program, deal.segment);
  if (percent <= 0) {
    return {
      outcome: 'off',
      reason: deal.segment ? `The program interviews no won deals in the ${deal.segment} segment.` : 'The program interviews no won deals.',
    };
  }
  if (!sampledIn(deal, percent)) {
    return {
      outcome: 'not_sampled',
      reason: `The program interviews ${percent} % of won deals${deal.segment ? ` in the ${deal.segment} segment` : ''}, and this one was not drawn.`,
    };
  }
  return planInterview(deal, now, 'won', program);
}

/** Cancels the deal's interviews (of one outcome, or all) that have not been sent yet; returns how many. */
export async function cancelPendingInterviews(dealId: Types.ObjectId, note: string, now = new Date(), outcome?: DealOutcome): Promise<number> {
  // A loss interview stored before wins were interviewed has no outcome field.
  const which = outcome === 'won' ? { outcome: 'won' } : outcome === 'lost' ? { outcome: mongoose.trusted({ $ne: 'won' }) } : {};
  return transitionMany({ dealId, ...which }, { from: pendingStates, to: 'cancelled', note, at: now });
}
