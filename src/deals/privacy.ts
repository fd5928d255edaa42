// What a deal holds about a buyer: their entry in its contact list, and in its history's contact lists
// (registry: src/lib/buyer-data.ts).
import { buyerData, erasedContact, erasedContactFilter, erasedName } from '../lib/buyer-data.ts';
import { DealHistory } from './history.ts';
import { Deal } from './model.ts';

export const dealsBuyerData = buyerData({
  name: 'deals',
  holds: 'the buyer as a contact of a deal: name, address, role, time zone',
  models: [Deal],
  async export(email) {
    const deals = await Deal.find({ 'contacts.email': email }).lean();
    return {
      deals: deals.map((d) => ({
        source: d.source,
        externalId: d.externalId,
        name: d.name,
        buyerCompany: d.buyerCompany,
        contact: { ...d.contacts.find((c) => c.email === email) },
      })),
    };
  },
  async erase(erasure) {
    const deals = await Deal.updateMany({ 'contacts.email': erasure.email }, erasedContact('contacts', erasure), erasedContactFilter(erasure));
    return { deals: deals.matchedCount };
  },
});

/** The texts of a change that name the buyer: "Bea Buyer <bea@acme.example>" in a contact list, as diff() writes it. */
function namedIn(email: string): RegExp {
  return new RegExp(`[^,<]*<${email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>`, 'gi');
}

/** The history entries whose contact changes name the buyer (any field's texts are searched; only contacts name people). */
function historyNaming(email: string) {
  const pattern = namedIn(email);
  return DealHistory.find({ $or: [{ 'changes.from': pattern }, { 'changes.to': pattern }] }).lean();
}

export const dealHistoryBuyerData = buyerData({
  name: 'deal history',
  holds: 'the buyer in a deal’s history: its contact lists as they were changed ("name <address>")',
  models: [DealHistory],
  async export(email) {
    const entries = await historyNaming(email);
    return {
      dealHistory: entries.map((e) => ({ dealId: String(e.dealId), at: e.at, event: e.event, changes: e.changes.filter((c) => c.field === 'contacts') })),
    };
  },
  async erase(erasure) {
    const pattern = namedIn(erasure.email);
    const entries = await historyNaming(erasure.email);
    const scrub = (text: string | null | undefined) =>
      (text ?? '').replace(pattern, (m) => `${m.startsWith(' ') ? ' ' : ''}${erasedName} <${erasure.standIn}>`);
    for (const e of entries) {
      const changes = e.changes.map((c) => (c.field === 'contacts' ? { field: c.field, from: scrub(c.from), to: scrub(c.to) } : c));
      await DealHistory.updateOne({ _id: e._id }, { $set: { changes } });
    }
    return { dealHistory: entries.length };
  },
});
