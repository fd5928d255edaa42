// What the CRM webhooks keep. A delivery is written before the webhook is answered (the durable write
// that makes a 2xx safe) and holds the event as Debrief understood it, never the raw request or its
// signature. Its unique key makes a retried delivery a duplicate insert (E11000): that is the idempotency
// check.
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

export const webhookEndpoints = ['generic', 'hubspot', 'salesforce'] as const;
export type WebhookEndpoint = (typeof webhookEndpoints)[number];

export const webhookEvents = ['deal.lost', 'deal.reopened', 'deal.won', 'deal.updated'] as const;
export type WebhookEventName = (typeof webhookEvents)[number];

/**
 * received: stored, waiting for its job; applied: the deal was changed; skipped_stale: an event older
 * than one already applied to the same deal (out-of-order delivery); failed: gave up (see lastError).
 */
export const deliveryStatuses = ['received', 'applied', 'skipped_stale', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

const contactSchema = new Schema(
  {
    name: { type: String, required: true },
    email: { type: String, required: true },
    role: { type: String },
    timeZone: { type: String },
    primary: { type: Boolean },
  },
  { _id: false },
);

// The deal as the sender described it, already validated (src/deals/schemas.ts dealInput).
const dealSchema = new Schema(
  {
    source: { type: String, required: true },
    externalId: { type: String, required: true },
    name: { type: String, required: true },
    buyerCompany: { type: String, required: true },
    amount: { type: Number },
    currency: { type: String },
    segment: { type: String },
    productLine: { type: String },
    region: { type: String },
    ownerEmail: { type: String },
    ownerName: { type: String },
    contacts: { type: [contactSchema], default: undefined },
  },
  { _id: false },
);

const lossSchema = new Schema(
  {
    lostAt: { type: Date },
    lossType: { type: String, required: true },
    reasonCode: { type: String, required: true },
    reasonNote: { type: String },
    competitor: { type: String },
  },
  { _id: false },
);

const deliverySchema = new Schema(
  {
    // "<endpoint>:id:<X-Debrief-Delivery>" when the sender names its delivery, else
    // "<endpoint>:sha256:<SHA-256 of endpoint:raw body>": a retry of the same request is the same key.
    key: { type: String, required: true, unique: true, maxlength: 300 },
    endpoint: { type: String, enum: webhookEndpoints, required: true },
    event: { type: String, enum: webhookEvents, required: true },
    occurredAt: { type: Date, required: true },
    deal: { type: dealSchema, required: true },
    loss: { type: lossSchema },
    status: { type: String, enum: deliveryStatuses, required: true, default: 'received' },
    receivedAt: { type: Date, required: true },
    // Job runs so far (the job's retries and the sweep's); see maxDeliveryAttempts.
    attempts: { type: Number, default: 0 },
    processedAt: { type: Date },
    // What applying it did: planned, excluded, already_lost, duplicate, reopened, won, unchanged, ...
    outcome: { type: String, maxlength: 300 },
    dealId: { type: Schema.Types.ObjectId, ref: 'Deal' },
    lastError: { type: String, maxlength: 1000 },
  },
  { versionKey: false },
);
deliverySchema.index({ status: 1, receivedAt: 1 });

export type WebhookDeliveryDoc = InferSchemaType<typeof deliverySchema> & { _id: Types.ObjectId };
export const WebhookDelivery = mongoose.model('WebhookDelivery', deliverySchema);

// One per signed request while its timestamp is still accepted: "<endpoint>:<SHA-256 of the signed
// timestamp and body>" as _id, and the key of the delivery it stored. The delivery header is outside the
// signature, so it cannot tell a replay from a new delivery: this does (see recordDelivery). Deleted by
// the sweep once the timestamp would be refused anyway.
const signedRequestSchema = new Schema(
  {
    _id: { type: String, required: true },
    deliveryKey: { type: String, required: true, maxlength: 300 },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export const WebhookSignedRequest = mongoose.model('WebhookSignedRequest', signedRequestSchema, 'webhooksignedrequests');

// Per deal ("<source>:<externalId>"), the time of the newest event applied: an older event that arrives
// later is skipped instead of undoing a newer one. Only ever moved forward.
const cursorSchema = new Schema(
  {
    _id: { type: String, required: true },
    lastOccurredAt: { type: Date, required: true },
    deliveryId: { type: Schema.Types.ObjectId },
  },
  { versionKey: false },
);
export const WebhookCursor = mongoose.model('WebhookCursor', cursorSchema);

// A short lease per deal while one delivery is applied, so that two workers never apply two events for
// the same deal at once (which would defeat the cursor). Taken by inserting (unique _id); a lease older
// than leaseMs is taken over, so a crashed worker cannot hold a deal for ever.
const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    heldBy: { type: String, required: true },
    lockedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const WebhookLease = mongoose.model('WebhookLease', leaseSchema);
