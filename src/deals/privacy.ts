// What a deal holds about a buyer: their entry in its contact list (registry: src/privacy/registry.ts).
import { buyerData, erasedContact, erasedContactFilter } from '../privacy/index.ts';
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
