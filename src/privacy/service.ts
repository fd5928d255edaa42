// Buyers' rights: export everything Debrief holds about a buyer's email address, erase it (contact
// details and free text go; anonymous counts stay), and delete answers past the retention period.
import { audit, type Actor } from '../audit/index.ts';
import { saveWorkspaceSettings, workspaceSettings } from '../settings/index.ts';
import { buyerDataParts } from './parts.ts';
import { erasedEmail, type Erasure, type ErasureCountsOf, type Expiry, type ExpiryCountsOf, type SectionsOf } from '../lib/buyer-data.ts';

export { erasedEmail, erasedName } from '../lib/buyer-data.ts';

type Part = (typeof buyerDataParts)[number];

/** How the audit log names a buyer without keeping their address. */
function subjectRef(email: string): string {
  return `buyer ${erasedEmail(email).split('@')[0]}`;
}

/** The parts' counts as audit details. */
function details(counts: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, String(v)]));
}

/** The buyer's address, when, and each part's sections (deals, interviews, answers...). */
export type BuyerExport = { email: string; exportedAt: string } & SectionsOf<Part>;

export async function exportBuyer(email: string, actor: Actor): Promise<BuyerExport> {
  const address = email.toLowerCase();
  const sections = await Promise.all(buyerDataParts.map((part) => part.export?.(address) ?? {}));
  await audit(actor, 'privacy.exported', subjectRef(address));
  // The parts' sections merged: SectionsOf says which they are.
  return Object.assign({ email: address, exportedAt: new Date().toISOString() }, ...sections) as BuyerExport;
}

/** What erasing touched, by part: deals, interviews, answers, webhookDeliveries... */
export type ErasureResult = ErasureCountsOf<Part>;

/** Removes a buyer's contact details and free text everywhere; structured answers stay, anonymously. */
export async function eraseBuyer(email: string, actor: Actor): Promise<ErasureResult> {
  const address = email.toLowerCase();
  const erasure: Erasure = { email: address, standIn: erasedEmail(address), interviewIds: [], responseIds: [] };
  const counts: Record<string, number> = {};
  // One part after another, in the list's order: later parts erase by what earlier ones found.
  for (const part of buyerDataParts) Object.assign(counts, await part.erase?.(erasure));
  await audit(actor, 'privacy.erased', subjectRef(address), details(counts));
  return counts as ErasureResult;
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
  const expiry: Expiry = { cutoff, responseIds: [] };
  const counts: Record<string, number> = {};
  for (const part of buyerDataParts) Object.assign(counts, await part.expire?.(expiry));
  if (Object.values(counts).some((n) => n > 0)) {
    await audit({ type: 'system' }, 'privacy.retention_applied', undefined, { ...details(counts), months: String(retentionMonths) });
  }
  return (counts as ExpiryCountsOf<Part>).deleted;
}
