// Signing and sending webhooks as a CRM would. The signatures are computed here from the documented
// schemes with node:crypto, not with the code under test.
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebhookDelivery, type WebhookDeliveryDoc } from '../../src/webhooks/model.ts';

export const webhookSecret = 'test-webhook-secret-0123456789';
export const hubspotSecret = 'hubspot-client-secret-0123456789';
export const appUrl = 'https://debrief.example.com';
export const webhookEnv = { WEBHOOK_SECRET: webhookSecret, HUBSPOT_CLIENT_SECRET: hubspotSecret, APP_URL: appUrl };

/** X-Debrief-Timestamp and X-Debrief-Signature for a body, at `seconds` (now by default). */
export function signed(body: string, seconds = Math.floor(Date.now() / 1000), secret = webhookSecret): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex');
  return { 'X-Debrief-Timestamp': String(seconds), 'X-Debrief-Signature': `sha256=${signature}` };
}

/** HubSpot's v3 headers for a POST of body to APP_URL + path, at `ms` (now by default). */
export function hubspotSigned(body: string, path: string, ms = Date.now(), base = appUrl): Record<string, string> {
  const signature = createHmac('sha256', hubspotSecret).update(`POST${base}${path}${body}${ms}`).digest('base64');
  return { 'X-HubSpot-Request-Timestamp': String(ms), 'X-HubSpot-Signature-v3': signature };
}

export interface Answer {
  status: number;
  body: { status?: string; deliveryId?: string; error?: { code: string; message: string; details?: Record<string, string[]> } };
  headers: Headers;
}

export async function send(base: string, path: string, body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Answer['body']) : {}, headers: res.headers };
}

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

/** Waits until the worker has dealt with the delivery (applied, skipped or failed). */
export function settled(deliveryId: string | undefined): Promise<WebhookDeliveryDoc> {
  if (!deliveryId) throw new Error('no delivery id in the answer');
  return waitFor(async () => {
    const d = await WebhookDelivery.findById(deliveryId).lean<WebhookDeliveryDoc>();
    return d && d.status !== 'received' ? d : null;
  });
}

let n = 0;
/** A generic deal.lost event for a new deal, as JSON-ready data. */
export function genericLost(overrides: { externalId?: string; occurredAt?: string; deal?: Record<string, unknown>; loss?: Record<string, unknown> } = {}) {
  n += 1;
  return {
    event: 'deal.lost',
    occurredAt: overrides.occurredAt ?? new Date().toISOString(),
    deal: {
      externalId: overrides.externalId ?? `G-${n}-${Date.now()}`,
      name: `Analytics platform ${n}`,
      buyerCompany: `Acme ${n}`,
      amount: 42000,
      currency: 'EUR',
      segment: 'Enterprise',
      ownerEmail: 'rep@debrief.test',
      contacts: [{ name: `Bea Buyer ${n}`, email: `bea${n}@acme${n}.example`, timeZone: 'Europe/Berlin' }],
      ...overrides.deal,
    },
    loss: { lossType: 'competitor', reasonCode: 'price', reasonNote: 'Cheaper elsewhere', competitor: 'Clearpath', ...overrides.loss },
  };
}
