// What stored CRM webhook deliveries hold about a buyer: the deal's contacts as the CRM sent them
// (registry: src/lib/buyer-data.ts).
import { buyerData, erasedContact, erasedContactFilter } from '../lib/buyer-data.ts';
import { WebhookDelivery } from './model.ts';

export const webhookDeliveriesBuyerData = buyerData({
  name: 'CRM webhook deliveries',
  holds: 'the buyer as a contact of a delivered deal (deleted by the daily job a month after it was done)',
  models: [WebhookDelivery],
  async erase(erasure) {
    // Kept for idempotency, so scrubbed rather than deleted.
    const deliveries = await WebhookDelivery.updateMany(
      { 'deal.contacts.email': erasure.email },
      erasedContact('deal.contacts', erasure),
      erasedContactFilter(erasure),
    );
    return { webhookDeliveries: deliveries.matchedCount };
  },
});
