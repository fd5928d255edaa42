// Buyers' rights: export everything Debrief holds about a buyer's email address, erase it (contact
// details and free text go; anonymous counts stay), and delete answers past the retention period.
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { audit, type Actor } from '../audit/service.ts';
import { Deal } from '../deals/model.ts';
import { partsOf, showAnswer, type TextField } from '../disclosure/index.ts';
import { FormDraft } from '../buyer/model.ts';
import { BuyerLink } from '../interviews/link.ts';
import { Interview, InterviewResponse } from '../interviews/model.ts';
import { ThemeSnapshot } from '../themes/model.ts';
import { dropSnapshotsBefore } from '../themes/snapshots.ts';
import { saveWorkspaceSettings, workspaceSettings } from '../settings/model.ts';
import { WebhookDelivery } from '../webhooks/model.ts';

export const erasedName = 'Erased';

/** A stable stand-in for an erased address, so counts per contact still add up without the address. */
export function erasedEmail(email: string): string {
  return `erased-${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16)}@erased.invalid`;
}

/** How the audit log names a buyer without keeping their address. */
function subjectRef(email: string): string {
  return `buyer ${erasedEmail(email).split('@')[0]}`;
}

export interface BuyerExport {
  email: string;
  exportedAt: string;
  deals: { source: string; externalId: string; name: string; buyerCompany: string; contact: Record<string, unknown> }[];
  interviews: { id: string; deal: string; state: string; contact: Record<string, unknown>; timeline: unknown[] }[];
  answers: Record<string, unknown>[];
}

export async function exportBuyer(email: string, actor: Actor): Promise<BuyerExport> {
  const address = email.toLowerCase();
  const [deals, interviews] = await Promise.all([
    Deal.find({ 'contacts.email': address }).lean(),
    Interview.find({ 'contact.email': address }).lean(),
  ]);
  const responses = await InterviewResponse.find({ interviewId: mongoose.trusted({ $in: interviews.map((i) => i._id) }) }).lean();
  await audit(actor, 'privacy.exported', subjectRef(address));
  return {
    email: address,
    exportedAt: new Date().toISOString(),
    deals: deals.map((d) => ({
      source: d.source,
      externalId: d.externalId,
      name: d.name,
      buyerCompany: d.buyerCompany,
      contact: { ...d.contacts.find((c) => c.email === address) },
    })),
    interviews: interviews.map((i) => ({ id: String(i._id), deal: String(i.dealId), state: i.state, contact: { ...i.contact }, timeline: i.timeline })),
    answers: responses.map((r) => {
      // The buyer's own copy: their words as they wrote them (src/disclosure's record).
      const own = (field: TextField) => showAnswer({ parts: partsOf(r, [field]), buyer: { email: address } }, 'record')?.text ?? null;
      return {
        interview: String(r.interviewId),
        submittedAt: r.submittedAt,
        primaryReason: r.primaryReason ?? null,
        chosenVendor: r.chosenVendor ?? null,
        ratings: r.ratings ?? {},
        whyText: own('whyText'),
        wouldHaveChangedText: own('wouldHaveChangedText'),
        missingInfoText: own('missingInfoText'),
        quotePermission: r.quotePermission,
        textUses: { ...r.textUses },
      };
    }),
  };
}

export interface ErasureResult {
  deals: number;
  interviews: number;
  answers: number;
  /** CRM webhook deliveries that named the buyer (kept for idempotency, so scrubbed rather than deleted). */
  webhookDeliveries: number;
}

/** Removes a buyer's contact details and free text everywhere; structured answers stay, anonymously. */
/** Takes the erased answers' quotes out of every stored theme snapshot (their membership stays: counts only). */
async function scrubQuotes(responseIds: string[]): Promise<void> {
  if (responseIds.length === 0) return;
  const erased = new Set(responseIds);
  const snapshots = await ThemeSnapshot.find({}).select({ raw: 1, themes: 1 }).lean();
  for (const snap of snapshots) {
    const scrub = (themes: typeof snap.themes) => themes.map((t) => ({ ...t, quotes: t.quotes.filter((q) => !erased.has(q.responseId)) }));
    const touched = [...snap.themes, ...snap.raw].some((t) => t.quotes.some((q) => erased.has(q.responseId)));
    if (touched) await ThemeSnapshot.updateOne({ _id: snap._id }, { $set: { themes: scrub(snap.themes), raw: scrub(snap.raw) } });
  }
}

export async function eraseBuyer(email: string, actor: Actor): Promise<ErasureResult> {
  const address = email.toLowerCase();
  const standIn = erasedEmail(address);
  // Each contact entry with the address, wherever it is in the list: its name and address replaced, the rest but `primary` gone.
  const erasedContact = (path: string) => ({
    $set: { [`${path}.$[c].name`]: erasedName, [`${path}.$[c].email`]: standIn },
    $unset: { [`${path}.$[c].role`]: 1, [`${path}.$[c].timeZone`]: 1 },
  });
  const deals = await Deal.updateMany({ 'contacts.email': address }, erasedContact('contacts'), { arrayFilters: [{ 'c.email': address }] });
  const interviews = await Interview.find({ 'contact.email': address }).select({ _id: 1 }).lean();
  const ids = interviews.map((i) => i._id);
  await Interview.updateMany({ _id: mongoose.trusted({ $in: ids }) }, { $set: { 'contact.name': erasedName, 'contact.email': standIn }, $unset: { 'contact.role': 1 } });
  const erasedResponses = await InterviewResponse.find({ interviewId: mongoose.trusted({ $in: ids }) }).select({ _id: 1 }).lean();
  const answers = await InterviewResponse.updateMany(
    { interviewId: mongoose.trusted({ $in: ids }) },
    {
      $unset: { whyText: 1, wouldHaveChangedText: 1, missingInfoText: 1, textUses: 1, chosenVendor: 1, answers: 1, notes: 1, participants: 1 },
      $set: { quotePermission: 'internal' },
    },
  );
  // Half-typed answers, the personal link, and quotes kept in theme snapshots go too.
  await FormDraft.deleteMany({ _id: mongoose.trusted({ $in: ids }) });
  await BuyerLink.deleteMany({ interviewId: mongoose.trusted({ $in: ids }) });
  await Interview.updateMany({ _id: mongoose.trusted({ $in: ids }) }, { $unset: { linkSealed: 1 } });
  await scrubQuotes(erasedResponses.map((r) => String(r._id)));
  const deliveries = await WebhookDelivery.updateMany({ 'deal.contacts.email': address }, erasedContact('deal.contacts'), { arrayFilters: [{ 'c.email': address }] });
  const result = { deals: deals.matchedCount, interviews: ids.length, answers: answers.modifiedCount, webhookDeliveries: deliveries.matchedCount };
  await audit(actor, 'privacy.erased', subjectRef(address), { deals: String(result.deals), interviews: String(result.interviews), answers: String(result.answers), webhookDeliveries: String(result.webhookDeliveries) });
  return result;
}

export async function setRetention(months: number | null, actor: Actor): Promise<void> {
  await saveWorkspaceSettings({ retentionMonths: months });
  await audit(actor, 'privacy.retention_set', undefined, { months: months === null ? 'off' : String(months) });
}

/**
 * Deletes buyer answers submitted more than the retention period ago, and what the theme snapshots kept
 * of them: their quotes go from every snapshot, and snapshots taken before the cutoff go (each set's
 * latest stays, as the pages show it). Returns how many answers were deleted.
 */
export async function applyRetention(now = new Date()): Promise<number> {
  const { retentionMonths } = await workspaceSettings();
  if (!retentionMonths) return 0;
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - retentionMonths);
  const old = await InterviewResponse.find({ submittedAt: mongoose.trusted({ $lt: cutoff }) }).select({ _id: 1 }).lean();
  const ids = old.map((r) => r._id);
  const { deletedCount } = ids.length > 0 ? await InterviewResponse.deleteMany({ _id: mongoose.trusted({ $in: ids }) }) : { deletedCount: 0 };
  await scrubQuotes(ids.map(String));
  const snapshots = await dropSnapshotsBefore(cutoff);
  if (deletedCount > 0 || snapshots > 0) {
    await audit({ type: 'system' }, 'privacy.retention_applied', undefined, { deleted: String(deletedCount), snapshots: String(snapshots), months: String(retentionMonths) });
  }
  return deletedCount;
}
