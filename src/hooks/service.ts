// Outgoing webhook endpoints: register (the secret is returned once), list, change, pause and resume,
// give a new secret, delete, send a test event, and read an endpoint's recent deliveries; and the admin
// setting that lets requests reach private addresses. Takes typed input and the actor; never req/res.
// Throws ValidationError for bad input and NotFoundError for an unknown endpoint.
import { isIP } from 'node:net';
import mongoose from 'mongoose';
import { audit, type Actor } from '../audit/index.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import type { Queue } from '../lib/queue.ts';
import type { Secrets } from '../lib/secrets.ts';
import { testEventType, type HookEventType } from './events.ts';
import { isPrivateAddress } from '../lib/outgoing/guard.ts';
import { HookDelivery, HookEndpoint, hookSettings, saveHookSettings, type DeliveryState, type EndpointState, type HookEndpointDoc } from './model.ts';
import { buildTestEvent } from './payload.ts';
import { fanOut, recordEvent } from './publish.ts';
import { endpointInput, type EndpointInput } from './schemas.ts';
import { newSigningSecret, sealSecret, secretHint } from './secret.ts';

export interface EndpointView {
  id: string;
  url: string;
  description: string;
  events: HookEventType[];
  state: EndpointState;
  pausedAt: Date | null;
  pausedReason: string | null;
  failingSince: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  secretHint: string;
  createdBy: string;
  createdAt: Date;
}

function view(d: HookEndpointDoc): EndpointView {
  return {
    id: String(d._id),
    url: d.url,
    description: d.description ?? '',
    events: [...d.events] as HookEventType[],
    state: d.state,
    pausedAt: d.pausedAt ?? null,
    pausedReason: d.pausedReason ?? null,
    failingSince: d.failingSince ?? null,
    lastSuccessAt: d.lastSuccessAt ?? null,
    lastFailureAt: d.lastFailureAt ?? null,
    secretHint: d.secretHint,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
  };
}

const messages = {
  privateUrl:
    'This address is on this machine or a private network, which webhooks may not reach. Use a public address, or (for a receiver inside your network) allow private addresses below first.',
  notFound: 'There is no such webhook endpoint.',
};

/** Refuses a URL written with a private address (or localhost) while those are not allowed; names resolving to one are refused when posting. */
async function checkReachable(url: string): Promise<void> {
  if ((await hookSettings()).allowPrivateAddresses) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const isLocalName = host === 'localhost' || host.endsWith('.localhost');
  if (isLocalName || (isIP(host) !== 0 && isPrivateAddress(host))) {
    throw new ValidationError({ url: [messages.privateUrl] }, messages.privateUrl);
  }
}

async function load(id: string): Promise<HookEndpointDoc> {
  if (!mongoose.isValidObjectId(id)) throw new NotFoundError(messages.notFound);
  const doc = await HookEndpoint.findById(id).lean<HookEndpointDoc>();
  if (!doc) throw new NotFoundError(messages.notFound);
  return doc;
}

const actorName = (actor: Actor) => actor.email ?? actor.type;

/** Registers an endpoint. The plaintext `secret` is in the answer only: show it once. */
export async function createEndpoint(input: EndpointInput, actor: Actor, secrets: Secrets): Promise<{ secret: string; endpoint: EndpointView }> {
  const { url, description, events } = parseOrThrow(endpointInput, input);
  await checkReachable(url);
  const secret = newSigningSecret();
  const doc = await HookEndpoint.create({
    url,
    description,
    events,
    secretSealed: sealSecret(secret, secrets),
    secretHint: secretHint(secret),
    createdBy: actorName(actor),
  });
  await audit(actor, 'webhook.created', url, { events: events.join(',') });
  return { secret, endpoint: view(doc.toObject() as HookEndpointDoc) };
}

export async function listEndpoints(): Promise<EndpointView[]> {
  const docs = await HookEndpoint.find().sort({ createdAt: -1 }).lean<HookEndpointDoc[]>();
  return docs.map(view);
}

export async function getEndpoint(id: string): Promise<EndpointView> {
  return view(await load(id));
}

/** Replaces the URL, description and events. */
export async function updateEndpoint(id: string, input: EndpointInput, actor: Actor): Promise<EndpointView> {
  const doc = await load(id);
  const { url, description, events } = parseOrThrow(endpointInput, input);
  if (url !== doc.url) await checkReachable(url);
  await HookEndpoint.updateOne({ _id: doc._id }, { $set: { url, description, events } });
  await audit(actor, 'webhook.updated', url, { events: events.join(',') });
  return view({ ...doc, url, description, events });
}

export async function deleteEndpoint(id: string, actor: Actor): Promise<void> {
  const doc = await load(id);
  await HookEndpoint.deleteOne({ _id: doc._id });
  await HookDelivery.updateMany(
    { endpointId: doc._id, state: mongoose.trusted({ $in: ['pending', 'retrying'] }) },
    { $set: { state: 'cancelled', lastError: 'The endpoint was deleted' } },
  );
  await audit(actor, 'webhook.deleted', doc.url);
}

/** Pauses (nothing is sent) or resumes (events from now on are sent; the failure count starts afresh). */
export async function setEndpointState(id: string, state: EndpointState, actor: Actor, now = new Date()): Promise<EndpointView> {
  const doc = await load(id);
  if (doc.state === state) return view(doc);
  if (state === 'paused') {
    await HookEndpoint.updateOne({ _id: doc._id }, { $set: { state, pausedAt: now, pausedReason: `Paused by ${actorName(actor)}` } });
    await HookDelivery.updateMany(
      { endpointId: doc._id, state: mongoose.trusted({ $in: ['pending', 'retrying'] }) },
      { $set: { state: 'cancelled', lastError: 'The endpoint was paused' } },
    );
  } else {
    await HookEndpoint.updateOne({ _id: doc._id }, { $set: { state }, $unset: { pausedAt: 1, pausedReason: 1, failingSince: 1 } });
  }
  await audit(actor, state === 'paused' ? 'webhook.paused' : 'webhook.resumed', doc.url);
  return getEndpoint(id);
}

/** A new signing secret, returned once; the old one stops signing at once. */
export async function rotateSecret(id: string, actor: Actor, secrets: Secrets): Promise<{ secret: string; endpoint: EndpointView }> {
  const doc = await load(id);
  const secret = newSigningSecret();
  await HookEndpoint.updateOne({ _id: doc._id }, { $set: { secretSealed: sealSecret(secret, secrets), secretHint: secretHint(secret) } });
  await audit(actor, 'webhook.secret_rotated', doc.url);
  return { secret, endpoint: await getEndpoint(id) };
}

/** Posts a test event to this endpoint alone (once, no retries), through the same queue and signing as real events. */
export async function sendTestEvent(id: string, actor: Actor, queue: Queue, now = new Date()): Promise<{ eventId: string; deliveryId: string }> {
  const doc = await load(id);
  const built = buildTestEvent(String(doc._id), now);
  await recordEvent(built);
  const [deliveryId] = await fanOut(queue, { id: built.id, type: testEventType }, [doc._id], now);
  await audit(actor, 'webhook.test_sent', doc.url);
  return { eventId: built.id, deliveryId: deliveryId! };
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  type: string;
  state: DeliveryState;
  attempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  nextAttemptAt: Date | null;
}

export async function recentDeliveries(id: string, limit = 25): Promise<DeliveryRow[]> {
  const doc = await load(id);
  const rows = await HookDelivery.find({ endpointId: doc._id }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
  return rows.map((d) => ({
    id: d._id,
    eventId: d.eventId,
    type: d.type,
    state: d.state,
    attempts: d.attempts ?? 0,
    createdAt: d.createdAt,
    lastAttemptAt: d.log.at(-1)?.at ?? null,
    lastStatus: d.lastStatus ?? null,
    lastError: d.lastError ?? null,
    deliveredAt: d.deliveredAt ?? null,
    nextAttemptAt: d.state === 'pending' || d.state === 'retrying' ? d.nextAttemptAt : null,
  }));
}

export { hookSettings } from './model.ts';

export async function setAllowPrivateAddresses(allow: boolean, actor: Actor): Promise<void> {
  const before = await hookSettings();
  if (before.allowPrivateAddresses === allow) return;
  await saveHookSettings(allow, actorName(actor));
  await audit(actor, 'webhook.private_addresses', allow ? 'allowed' : 'refused');
}
