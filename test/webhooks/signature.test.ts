// The signature schemes on their own: the exact bytes signed, the replay window, and HubSpot's URI rule.
import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { AppError } from '../../src/lib/errors.ts';
import { hubspotUri, verifyDebriefSignature, verifyHubSpotSignature } from '../../src/webhooks/signature.ts';

const secret = 'a-secret-of-sixteen-plus';
const now = Date.UTC(2026, 10, 23, 12, 0, 0);

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    expect((err as AppError).status).to.equal(401);
    return (err as AppError).code;
  }
}

describe('webhook signatures', () => {
  describe("Debrief's scheme", () => {
    const body = Buffer.from('{"a":"ü"}');
    const ts = String(now / 1000);
    const sig = `sha256=${createHmac('sha256', secret).update(`${ts}.`).update(body).digest('hex')}`;
    const check = (over: Partial<Parameters<typeof verifyDebriefSignature>[0]>) =>
      codeOf(() => verifyDebriefSignature({ secret, timestamp: ts, signature: sig, rawBody: body, nowMs: now, ...over }));

    it('accepts the HMAC of "<timestamp>.<raw bytes>", in either case of hex', () => {
      expect(check({})).to.equal(null);
      expect(check({ signature: sig.toUpperCase().replace('SHA256=', 'sha256=') })).to.equal(null);
    });

    it('accepts timestamps up to 5 minutes old and 1 minute ahead, and no further', () => {
      expect(check({ nowMs: now + 300_000 })).to.equal(null);
      expect(check({ nowMs: now + 301_000 })).to.equal('stale_timestamp');
      expect(check({ nowMs: now - 60_000 })).to.equal(null);
      expect(check({ nowMs: now - 61_000 })).to.equal('future_timestamp');
    });

    it('refuses other bytes, another secret, a missing or odd timestamp, a short signature', () => {
      expect(check({ rawBody: Buffer.from('{"a":"u"}') })).to.equal('invalid_signature');
      expect(check({ secret: `${secret}!` })).to.equal('invalid_signature');
      expect(check({ timestamp: undefined })).to.equal('missing_timestamp');
      expect(check({ timestamp: `${ts}.5` })).to.equal('missing_timestamp');
      expect(check({ signature: sig.slice(0, -2) })).to.equal('invalid_signature');
      expect(check({ signature: undefined })).to.equal('invalid_signature');
    });
  });

  describe("HubSpot's v3", () => {
    it('decodes only the characters HubSpot decodes before signing', () => {
      expect(hubspotUri('https://x.example/webhooks/hubspot?a=%3A%2f%3F%40%21%24%27%28%29%2A%2C%3B&b=%20%26')).to.equal(
        "https://x.example/webhooks/hubspot?a=:/?@!$'()*,;&b=%20%26",
      );
    });

    it('accepts base64 HMAC of method + URI + body + timestamp (milliseconds), within 5 minutes', () => {
      const body = Buffer.from('{"objectId":1}');
      const uri = 'https://debrief.example.com/webhooks/hubspot';
      const ts = String(now);
      const signature = createHmac('sha256', secret).update(`POST${uri}{"objectId":1}${ts}`).digest('base64');
      const check = (over: Partial<Parameters<typeof verifyHubSpotSignature>[0]>) =>
        codeOf(() => verifyHubSpotSignature({ secret, method: 'POST', uri, timestamp: ts, signature, rawBody: body, nowMs: now, ...over }));
      expect(check({})).to.equal(null);
      expect(check({ uri: 'http://127.0.0.1:3000/webhooks/hubspot' })).to.equal('invalid_signature');
      expect(check({ nowMs: now + 5 * 60_000 + 1 })).to.equal('stale_timestamp');
      expect(check({ timestamp: String(now / 1000) })).to.equal('stale_timestamp'); // seconds, not milliseconds
      expect(check({ signature: signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) })).to.equal('invalid_signature');
    });
  });
});
