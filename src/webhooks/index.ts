// What other features may use of src/webhooks: its face. Other features import only this file.
export { WebhookDelivery } from './model.ts';
export { webhookDeliveriesBuyerData } from './privacy.ts';
