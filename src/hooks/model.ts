// What outgoing webhooks keep: the endpoints an admin registered, each event once (its id derived from
// what happened, so the same transition recorded twice is one event), one delivery per event and
// endpoint (its _id is "<eventId>:<endpointId>", so there is never a second), and the one settings
// document (whether private network addresses may be called).
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { hookEventTypes } from './events.ts';

export const endpointStates = ['active', 'paused'] as const;
export type EndpointState = (typeof endpointStates)[number];

const endpointSchema = new Schema(
  {
    url: { type: String, required: true, maxlength: 2000 },
    description: { type: String, trim: true, maxlength: 200, default: '' },
    events: { type: [{ type: String, enum: hookEventTypes }], required: true },
    // The signing secret, sealed with a key derived from the app's secret (src/hooks/secret.ts): it must
    // be readable to sign, so it cannot be kept as a hash like API keys.
    secretSealed: { type: String, required: true, maxlength: 500 },
    // The first characters of the secret, to tell secrets apart on the page after it is shown once.
    secretHint: { type: String, required: true, maxlength: 20 },
    state: { type: String, enum: endpointStates, required: true, default: 'active' },
    pausedAt: { type: Date },
    pausedReason: { type: String, maxlength: 500 },
    // Since when every attempt has failed (cleared by a 2xx): what pausing goes by.
    failingSince: { type: Date },
    lastSuccessAt: { type: Date },
    lastFailureAt: { type: Date },
    createdBy: { type: String, required: true, maxlength: 320 },
  },
  { timestamps: true },
);
endpointSchema.index({ state: 1, events: 1 }); // the endpoints an event fans out to

export type HookEndpointDoc = InferSchemaType<typeof endpointSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
export const HookEndpoint = mongoose.model('HookEndpoint', endpointSchema);

const eventSchema = new Schema(
  {
    // "evt_" + a digest of what happened (type and interview, or the themes snapshots): stable.
    _id: { type: String, required: true },
    type: { type: String, required: true, maxlength: 50 },
    interviewId: { type: Schema.Types.ObjectId },
    // The completed interview's answer, for the retention job (the payload quotes it).
    responseId: { type: Schema.Types.ObjectId },
    // The JSON body every endpoint gets, exactly as signed; null once the buyer was erased.
    body: { type: String, maxlength: 200_000 },
    erasedAt: { type: Date },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
eventSchema.index({ interviewId: 1 }, { sparse: true });
eventSchema.index({ responseId: 1 }, { sparse: true });
eventSchema.index({ createdAt: 1 }); // pruning

export type HookEventDoc = InferSchemaType<typeof eventSchema> & { _id: string; createdAt: Date };
export const HookEvent = mongoose.model('HookEvent', eventSchema);

export const deliveryStates = ['pending', 'retrying', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

const attemptSchema = new Schema(
  {
    at: { type: Date, required: true },
    // The receiver's HTTP status; none when no answer came (refused address, timeout, connection error).
    status: { type: Number },
    error: { type: String, maxlength: 300 },
    ms: { type: Number },
  },
  { _id: false },
);

const deliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    endpointId: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, required: true, maxlength: 50 },
    state: { type: String, enum: deliveryStates, required: true, default: 'pending' },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    // The claim of the attempt in flight: only the worker holding it posts, and only it records how it ended.
    claim: { type: String, maxlength: 40 },
    claimedUntil: { type: Date },
    // Set when a job was enqueued for the delivery; the sweep enqueues those without.
    enqueuedAt: { type: Date },
    deliveredAt: { type: Date },
    lastStatus: { type: Number },
    lastError: { type: String, maxlength: 300 },
    // The latest attempts, newest last (at most 10).
    log: { type: [attemptSchema], default: [] },
  },
  { timestamps: true, versionKey: false },
);
deliverySchema.index({ endpointId: 1, createdAt: -1 }); // an endpoint's recent deliveries
deliverySchema.index({ state: 1, nextAttemptAt: 1 }); // the sweep
deliverySchema.index({ eventId: 1 });

export type HookDeliveryDoc = InferSchemaType<typeof deliverySchema> & { _id: string; createdAt: Date; updatedAt: Date };
export const HookDelivery = mongoose.model('HookDelivery', deliverySchema);

const settingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    // Off: no outgoing request may reach a loopback, link-local or private address (src/lib/outgoing/guard.ts): webhooks and the digest's chat post alike.
    allowPrivateAddresses: { type: Boolean, default: false },
    updatedBy: { type: String, maxlength: 320 },
  },
  { timestamps: true, versionKey: false },
);
export const HookSettings = mongoose.model('HookSettings', settingsSchema);
const settingsId = 'hooks';

export async function hookSettings(): Promise<{ allowPrivateAddresses: boolean }> {
  const doc = await HookSettings.findById(settingsId).lean();
  return { allowPrivateAddresses: doc?.allowPrivateAddresses ?? false };
}

export async function saveHookSettings(allowPrivateAddresses: boolean, by: string): Promise<void> {
  await HookSettings.updateOne({ _id: settingsId }, { $set: { allowPrivateAddresses, updatedBy: by } }, { upsert: true });
}
