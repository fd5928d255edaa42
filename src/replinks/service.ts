// Issuing the rep's links (when their notice is written) and opening one: what it may still do, or
// why not. The rules: a link opens its own deal for its own purpose only; it stops at expiresAt (the
// hold-off window's end; for the rep's view, debriefLinkDays after it was sent); it works for the rep it
// was sent to while they own the deal, and not for an account that was disabled. A hold-off link also
// stops once there is nothing left to hold off (sent, excluded, cancelled, or held already).
import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { isDisabledAccount } from '../accounts/index.ts';
import { Deal } from '../deals/model.ts';
import type { StoredDeal } from '../deals/lifecycle.ts';
import { holdOffDeadline } from '../interviews/holdoff.ts';
import { sentStates } from '../interviews/index.ts';
import { isTokenShaped, tokenHash } from '../interviews/link.ts';
import { Interview, outcomeOf } from '../interviews/model.ts';
import type { StoredInterview } from '../interviews/planner.ts';
import { loadProgram } from '../program/index.ts';
import { RepLink, type RepLinkPurpose, type StoredRepLink } from './model.ts';

/** How long the link to give one's view works after the notice went. */
export const debriefLinkDays = 30;

/** A new link: 32 random bytes (256 bits) as base64url; only its hash is stored. */
export async function issueRepLink(
  purpose: RepLinkPurpose,
  to: { dealId: Types.ObjectId; interviewId: Types.ObjectId; repEmail: string },
  expiresAt: Date,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await RepLink.create({ _id: tokenHash(token), purpose, dealId: to.dealId, interviewId: to.interviewId, repEmail: to.repEmail, expiresAt });
  return token;
}

export function repLinkUrl(appUrl: string, purpose: RepLinkPurpose, token: string): string {
  return `${appUrl}/r/${purpose === 'hold_off' ? 'hold-off' : 'debrief'}/${token}`;
}

/** Why a real link no longer does what it was sent for. */
export type ClosedReason =
  /** The deal has another owner now, or the rep's account is disabled. */
  | 'not_yours'
  /** The link's time is up (for a hold-off: the window after the loss closed). */
  | 'expired'
  /** Hold-off: the interview is held off already (this link's work is done). */
  | 'held'
  /** Hold-off: the invitation went out. */
  | 'sent'
  /** Hold-off: the buyer will not be asked (excluded or cancelled). */
  | 'not_asked'
  /** The rep's view: the deal is no longer lost. */
  | 'not_lost';

export interface OpenedLink {
  link: StoredRepLink;
  deal: StoredDeal;
  interview: StoredInterview;
}

export type RepLinkLookup =
  /** Not a link we issued for this purpose: the one case that counts as a guess. */
  { found: 'unknown' } | ({ found: 'closed'; reason: ClosedReason } & OpenedLink) | ({ found: 'open'; deadline: Date } & OpenedLink);

async function stillTheirs(link: StoredRepLink, deal: StoredDeal): Promise<boolean> {
  if ((deal.ownerEmail ?? '').trim().toLowerCase() !== link.repEmail) return false;
  // CRM owners need no account; one that exists and was disabled (someone who left) loses the links too.
  return !(await isDisabledAccount(link.repEmail));
}

/** What the token opens for this purpose (a token of the other purpose opens nothing). */
export async function openRepLink(token: string, purpose: RepLinkPurpose, now = new Date()): Promise<RepLinkLookup> {
  if (!isTokenShaped(token)) return { found: 'unknown' };
  const link = await RepLink.findById(tokenHash(token)).lean<StoredRepLink>();
  if (!link || link.purpose !== purpose) return { found: 'unknown' };
  const [deal, interview] = await Promise.all([Deal.findById(link.dealId).lean<StoredDeal>(), Interview.findById(link.interviewId).lean<StoredInterview>()]);
  if (!deal || !interview) return { found: 'unknown' }; // erased (a privacy request): as if never issued
  const opened = { link, deal, interview };
  const closed = (reason: ClosedReason): RepLinkLookup => ({ found: 'closed', reason, ...opened });
  if (!(await stillTheirs(link, deal))) return closed('not_yours');
  if (purpose === 'debrief') {
    if (now > link.expiresAt) return closed('expired');
    // The view asked for: of the loss, or of the win, the interview was about; a deal decided otherwise since has none to give.
    if (deal.status !== (outcomeOf(interview) === 'won' ? 'won' : 'lost')) return closed('not_lost');
    return { found: 'open', deadline: link.expiresAt, ...opened };
  }
  if (interview.state === 'held') return closed('held');
  if (sentStates.includes(interview.state)) return closed('sent');
  if (interview.state !== 'planned') return closed('not_asked');
  // The window as the program says now (it may have been shortened since the email), and never past
  // the link's own end.
  const deadline = new Date(Math.min(link.expiresAt.getTime(), holdOffDeadline(deal, interview, (await loadProgram()).holdOffHours).getTime()));
  if (now > deadline) return closed('expired');
  return { found: 'open', deadline, ...opened };
}
