// Who sent a webhook: an HMAC-SHA256 signature over the raw body and a timestamp, checked in constant
// time, and the timestamp within a short window so that a captured request cannot be replayed later.
//
// Debrief's own scheme (generic and Salesforce):
//   X-Debrief-Timestamp: <unix seconds>
//   X-Debrief-Signature: sha256=<hex HMAC-SHA256(WEBHOOK_SECRET, "<timestamp>.<raw body>")>
// HubSpot's signature v3 (developers.hubspot.com, "Validating requests"):
//   X-HubSpot-Request-Timestamp: <unix milliseconds>
//   X-HubSpot-Signature-v3: base64(HMAC-SHA256(client secret, method + URI + raw body + timestamp))
//   where URI is the full URL HubSpot called, with %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B decoded.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../lib/errors.ts';

export const replayWindowMs = 5 * 60_000;
export const futureSkewMs = 60_000;

export const signatureMessages = {
  debriefTimestampMissing: 'Send X-Debrief-Timestamp with the current time in Unix seconds, signed together with the body.',
  hubspotTimestampMissing: 'X-HubSpot-Request-Timestamp is missing: in the workflow’s webhook action, choose to include the request signature in the header.',
  stale: 'The request timestamp is more than 5 minutes old: replays are refused. Sign each delivery (and each retry) with the current time.',
  future: 'The request timestamp is more than a minute in the future: check the sending system’s clock.',
  debriefSignature: 'The X-Debrief-Signature does not match: sign "<timestamp>.<raw body>" with HMAC-SHA256 and the shared secret, and send sha256=<hex>.',
  hubspotSignature:
    'The X-HubSpot-Signature-v3 does not match this request: check HUBSPOT_CLIENT_SECRET and that the webhook URL in HubSpot is APP_URL followed by the path.',
} as const;

function unauthorized(code: string, message: string): AppError {
  return new AppError(401, code, message);
}

/** Refuses a timestamp (milliseconds) outside [now - 5 minutes, now + 1 minute]. */
export function checkFreshness(timestampMs: number, nowMs: number): void {
  if (timestampMs < nowMs - replayWindowMs) throw unauthorized('stale_timestamp', signatureMessages.stale);
  if (timestampMs > nowMs + futureSkewMs) throw unauthorized('future_timestamp', signatureMessages.future);
}

function hmac(secret: string, parts: (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time equality of two digests (false for different lengths, without comparing). */
function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Verifies Debrief's own scheme and returns the signed timestamp; throws a 401 AppError saying what is wrong. */
export function verifyDebriefSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs: number;
}): string {
  const timestamp = input.timestamp?.trim();
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) throw unauthorized('missing_timestamp', signatureMessages.debriefTimestampMissing);
  checkFreshness(Number(timestamp) * 1000, input.nowMs);
  const presented = /^sha256=([0-9a-f]{64})$/i.exec(input.signature?.trim() ?? '')?.[1];
  if (!presented) throw unauthorized('invalid_signature', signatureMessages.debriefSignature);
  const expected = hmac(input.secret, [`${timestamp}.`, input.rawBody]);
  if (!sameDigest(Buffer.from(presented, 'hex'), expected)) throw unauthorized('invalid_signature', signatureMessages.debriefSignature);
  return timestamp;
}

// HubSpot decodes these (and only these) percent-encodings in the URI before signing.
const hubspotDecoded: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function hubspotUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => hubspotDecoded[m.toUpperCase()]!);
}

/** Verifies HubSpot's signature v3 and returns the signed timestamp; `uri` is the full URL HubSpot was given (APP_URL + path and query). */
export function verifyHubSpotSignature(input: {
  secret: string;
  method: string;
  uri: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs: number;
}): string {
  const timestamp = input.timestamp?.trim();
  if (!timestamp || !/^\d{1,15}$/.test(timestamp)) throw unauthorized('missing_timestamp', signatureMessages.hubspotTimestampMissing);
  checkFreshness(Number(timestamp), input.nowMs);
  const presented = input.signature?.trim() ?? '';
  if (!/^[A-Za-z0-9+/]{43}=$/.test(presented)) throw unauthorized('invalid_signature', signatureMessages.hubspotSignature);
  const expected = hmac(input.secret, [input.method.toUpperCase(), hubspotUri(input.uri), input.rawBody, timestamp]);
  if (!sameDigest(Buffer.from(presented, 'base64'), expected)) throw unauthorized('invalid_signature', signatureMessages.hubspotSignature);
  return timestamp;
}
