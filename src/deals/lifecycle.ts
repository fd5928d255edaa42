// Creating and changing deals, whichever way they arrive (pages, API, webhooks, CSV), and the moments
// that matter: a deal becomes lost (a loss interview is planned, a pending win interview cancelled), won
// (a pending loss interview is cancelled, a win interview planned if the program samples the deal in),
// or reopened (what is pending is cancelled). Idempotent on (source, external id); every change lands in
// the deal's history.
import type { Types } from 'mongoose';
import { audit, type Actor } from '../audit/index.ts';
import { cancelPendingInterviews, planInterview, planWinInterview, type PlanOutcome, type WinPlanOutcome } from '../interviews/planner.ts';
import { isDuplicateKeyError } from '../lib/db.ts';
import { NotFoundError } from '../lib/errors.ts';
import { diff, recordHistory } from './history.ts';
import { Deal, type DealDoc } from './model.ts';
import type { DealInput, LossInput } from './schemas.ts';

// link: the rep's emailed link (src/replinks), used without an account.
export type Via = 'page' | 'api' | 'webhook' | 'csv' | 'cli' | 'link';
export type StoredDeal = DealDoc & { _id: Types.ObjectId };

const trackedFields = ['name', 'buyerCompany', 'amount', 'currency', 'segment', 'productLine', 'region', 'ownerEmail', 'ownerName', 'contacts'] as const;

/** One primary contact: the one marked, else the first. */
function normaliseContacts(contacts: DealInput['contacts']): DealInput['contacts'] {
  const primary = Math.max(
    0,
    contacts.findIndex((c) => c.primary),
  );
  return contacts.map((c, i) => ({ ...c, primary: i === primary }));
}

function fieldsOf(input: DealInput): Record<string, unknown> {
  return {
    name: input.name,
    buyerCompany: input.buyerCompany,
    amount: input.amount,
    currency: input.currency ?? 'USD',
    segment: input.segment,
    productLine: input.productLine,
    region: input.region,
    ownerEmail: input.ownerEmail,
    ownerName: input.ownerName,
    contacts: normaliseContacts(input.contacts),
  };
}

export interface UpsertResult {
  deal: StoredDeal;
  created: boolean;
}

/**
 * Creates the deal, or updates the one with the same source and external id. A caller that has looked
 * the deal up already (the CSV import reads a whole chunk's deals in one query) passes what it found,
 * null for none, which saves a look-up per row.
 */
export async function upsertDeal(input: DealInput, actor: Actor, via: Via, known?: StoredDeal | null): Promise<UpsertResult> {
  const fields = fieldsOf(input);
  const existing =
    known === undefined ? await Deal.findOne({ source: input.source, externalId: input.externalId }) : known === null ? null : Deal.hydrate(known);
  if (!existing) {
    try {
      const deal = await Deal.create({ source: input.source, externalId: input.externalId, status: 'open', ...fields });
      await recordHistory(deal._id, actor, via, 'created', diff({}, fields, trackedFields));
      return { deal: deal.toObject() as StoredDeal, created: true };
    } catch (err) {
      // Another request created it a moment ago (a retried webhook, say): update that one instead.
      if (!isDuplicateKeyError(err)) throw err;
      return upsertDeal(input, actor, via);
    }
  }
  const before = existing.toObject() as unknown as Record<string, unknown>;
  existing.set(fields);
  const changes = diff(
    { ...before, contacts: (before.contacts as unknown[] | undefined)?.map((c) => ({ ...(c as object) })) },
    { ...(existing.toObject() as unknown as Record<string, unknown>) },
    trackedFields,
  );
  if (changes.length > 0) {
    await existing.save();
    await recordHistory(existing._id, actor, via, 'updated', changes);
  }
  return { deal: existing.toObject() as StoredDeal, created: false };
}

export async function getDeal(id: string | Types.ObjectId): Promise<StoredDeal> {
  const deal = await Deal.findById(id).lean<StoredDeal>();
  if (!deal) throw new NotFoundError('We could not find that deal.');
  return deal;
}

export interface LostResult {
  deal: StoredDeal;
  /** What happened to the interview: planned, excluded (and why), or nothing new (already lost). */
  plan: PlanOutcome | { outcome: 'already_lost' };
}

/**
 * Marks a deal lost with the rep's view of why, and plans one interview. Marking a lost deal lost again
 * updates the rep's reason but plans nothing new.
 */
export async function markLost(id: string | Types.ObjectId, loss: LossInput, actor: Actor, via: Via, now = new Date()): Promise<LostResult> {
  const deal = await Deal.findById(id);
  if (!deal) throw new NotFoundError('We could not find that deal.');
  const before = deal.toObject() as unknown as Record<string, unknown>;
  const wasLost = deal.status === 'lost';
  deal.set({
    status: 'lost',
    lossType: loss.lossType,
    repReason: { code: loss.reasonCode, note: loss.reasonNote },
    competitor: loss.competitor,
    ...(wasLost ? {} : { lostAt: loss.lostAt ?? now, lossCount: deal.lossCount + 1 }),
  });
  await deal.save();
  const after = deal.toObject() as unknown as Record<string, unknown>;
  await recordHistory(
    deal._id,
    actor,
    via,
    wasLost ? 'loss_updated' : 'lost',
    diff(
      { ...before, repReason: (before.repReason as { code?: string } | undefined)?.code },
      { ...after, repReason: (after.repReason as { code?: string } | undefined)?.code },
      ['status', 'lostAt', 'lossType', 'repReason', 'competitor'],
    ),
    now,
  );
  const stored = deal.toObject() as StoredDeal;
  if (wasLost) return { deal: stored, plan: { outcome: 'already_lost' } };
  // Won, then lost after all: the buyer is no longer asked why they chose us.
  await cancelPendingInterviews(deal._id, 'The deal was lost after all.', now, 'won');
  const plan = await planInterview(stored, now);
  await audit(actor, 'deal.lost', `${deal.source}:${deal.externalId}`, { interview: plan.outcome });
  return { deal: stored, plan };
}

export interface OutcomeResult {
  deal: StoredDeal;
  /** Interviews not yet sent that were cancelled (a loss's when won; any when reopened). */
  cancelled: number;
  /** For a deal that became won: what happened to its win interview; null otherwise (already won, or reopened). */
  plan: WinPlanOutcome | null;
}

/**
 * Reopens (status open) or wins a deal. Winning cancels a loss interview not yet sent and plans a win
 * interview if the program samples the deal in; reopening cancels whatever is not sent yet. Winning a
 * won deal again changes nothing (a retried request plans nothing new). `decidedAt`: when the CRM says
 * the deal was won (a webhook's event time, a CSV's close date), else now.
 */
export async function changeOutcome(
  id: string | Types.ObjectId,
  status: 'open' | 'won',
  actor: Actor,
  via: Via,
  now = new Date(),
  decidedAt?: Date,
): Promise<OutcomeResult> {
  const deal = await Deal.findById(id);
  if (!deal) throw new NotFoundError('We could not find that deal.');
  if (deal.status === status) return { deal: deal.toObject() as StoredDeal, cancelled: 0, plan: null };
  const from = deal.status;
  deal.status = status;
  if (status === 'won') deal.set({ wonAt: decidedAt && decidedAt <= now ? decidedAt : now, winCount: (deal.winCount ?? 0) + 1 });
  await deal.save();
  await recordHistory(deal._id, actor, via, status === 'won' ? 'won' : 'reopened', [{ field: 'status', from, to: status }], now);
  const cancelled =
    status === 'won'
      ? await cancelPendingInterviews(deal._id, 'The deal was won.', now, 'lost')
      : from !== 'open'
        ? await cancelPendingInterviews(deal._id, 'The deal was reopened.', now)
        : 0;
  const stored = deal.toObject() as StoredDeal;
  if (status !== 'won') return { deal: stored, cancelled, plan: null };
  const plan = await planWinInterview(stored, now);
  // Audited as a loss is, once the program interviews won deals (a workspace that does not is spared a write per win).
  if (plan.outcome !== 'off') await audit(actor, 'deal.won', `${deal.source}:${deal.externalId}`, { interview: plan.outcome });
  return { deal: stored, cancelled, plan };
}

/** The rep's own view of why a lost deal was lost, or a won deal won (the rep debrief), kept beside the buyer's. */
export async function recordRepView(
  id: string | Types.ObjectId,
  view: { reasonCode: string; note?: string | undefined },
  actor: Actor,
  via: Via,
  now = new Date(),
): Promise<StoredDeal> {
  const deal = await Deal.findById(id);
  if (!deal) throw new NotFoundError('We could not find that deal.');
  // A won deal's view is the rep's reason for the win; the loss's reason stays as it was.
  const field = deal.status === 'won' ? 'winReason' : 'repReason';
  const before = { reason: deal[field]?.code ?? '', note: deal[field]?.note ?? '' };
  deal.set({ [field]: { code: view.reasonCode, note: view.note } });
  await deal.save();
  await recordHistory(deal._id, actor, via, 'rep_view', diff(before, { reason: view.reasonCode, note: view.note ?? '' }, ['reason', 'note']), now);
  return deal.toObject() as StoredDeal;
}
