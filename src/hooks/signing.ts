// Signs an outgoing delivery the way Debrief verifies incoming webhooks (src/webhooks/signature.ts):
//   X-Debrief-Timestamp: <unix seconds>
//   X-Debrief-Signature: sha256=<hex HMAC-SHA256(endpoint secret, "<timestamp>.<raw body>")>
// signed again for each attempt, with the time of that attempt, so a receiver can refuse stale ones.
import { createHmac } from 'node:crypto';

export const timestampHeader = 'X-Debrief-Timestamp';
export const signatureHeader = 'X-Debrief-Signature';

export function signBody(secret: string, body: string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const digest = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return { [timestampHeader]: timestamp, [signatureHeader]: `sha256=${digest}` };
}
