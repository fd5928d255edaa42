// The app's HTTP edge as a browser or proxy meets it: what may be cached, and whose word counts for the
// client's address. Real app, real database, real HTTP.
import { expect } from 'chai';
import { inviteUser } from '../src/accounts/service.ts';
import { AuditEntry } from '../src/audit/model.ts';
import { loadSecrets } from '../src/lib/secrets.ts';
import { unsubscribeUrl } from '../src/suppression/service.ts';
import { apiClient } from './api/client.ts';
import { invitedInterview } from './buyer/helpers.ts';
import { buildUser, testPassword } from './factories/users.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { clearCollections, useTestDatabase } from './helpers/db.ts';

describe('the HTTP edge', () => {
  useTestDatabase('http_edge');

  describe('caching', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp();
    });
    after(async () => {
      await app.close();
    });

    it('every answer to a signed-in person, a program with a key or a personal link is Cache-Control: no-store', async () => {
      const admin = await buildUser('admin');
      const sales = await buildUser('sales');
      const staff = new Client(app.url);
      await staff.signIn(admin.email, testPassword);
      const rep = new Client(app.url);
      await rep.signIn(sales.email, testPassword);
      const buyer = await invitedInterview(app.config);
      const optOut = new URL(unsubscribeUrl(app.config.appUrl, String(buyer.interviewId), loadSecrets(app.config))).pathname;
      const { token } = await inviteUser({ email: 'new@debrief.test', name: 'New Person', role: 'viewer' }, { type: 'system' });
      const api = await apiClient(app.url, ['read']);
      const anonymous = new Client(app.url);

      const answers = [
        ['a staff page', await staff.get('/deals')],
        ['the home page', await staff.get('/')],
        ['a CSV export', await staff.get('/reports/responses.csv')],
        ['a page the role may not open', await rep.get('/admin/users')],
        ['a page that does not exist', await staff.get('/deals/000000000000000000000000')],
        ['a redirect after a form', await staff.post('/sign-out', {})],
        ['the buyer’s form', await anonymous.get(buyer.path)],
        ['the buyer’s opt-out page', await anonymous.get(optOut)],
        ['an invitation link', await anonymous.get(`/invite/${token}`)],
        ['the sign-in page', await anonymous.get('/sign-in')],
      ] as const;
      for (const [what, res] of answers) {
        expect(res.status, what).to.be.below(500);
        expect(res.headers.get('cache-control'), what).to.equal('no-store');
      }
      const read = await api.get('/api/v1/deals');
      expect(read.status).to.equal(200);
      expect(read.headers.get('cache-control')).to.equal('no-store');
    });

    it('a request body over 100 kB is refused with 413 before anything reads it', async () => {
      const res = await fetch(`${app.url}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: `email=${'a'.repeat(110_000)}`,
      });
      expect(res.status).to.equal(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('payload_too_large');
    });

    it('the stylesheet and the public OpenAPI document may still be cached', async () => {
      const css = await fetch(`${app.url}/static/styles.css`);
      expect(css.status).to.equal(200);
      expect(css.headers.get('cache-control')).not.to.contain('no-store');
      const spec = await fetch(`${app.url}/api/v1/openapi.json`);
      expect(spec.headers.get('cache-control')).to.equal('public, max-age=300');
    });
  });

  describe('the client’s address', () => {
    beforeEach(clearCollections);

    async function recordedAddress(env: Record<string, string>): Promise<string | undefined> {
      const app = await startTestApp({ env });
      try {
        await buildUser('admin'); // else the sign-in page sends to the one-time set-up
        const c = new Client(app.url);
        const form = await c.get('/sign-in');
        const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
        const res = await c.request('/sign-in', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.7' },
          body: new URLSearchParams({ _csrf: csrf, email: 'nobody@debrief.test', password: 'not the password at all' }).toString(),
        });
        expect(res.status).to.equal(401);
        return (await AuditEntry.findOne({ action: 'sign_in.failed' }).lean())?.ip ?? undefined;
      } finally {
        await app.close();
      }
    }

    it('X-Forwarded-For is ignored unless TRUSTED_PROXIES names the proxy it came through', async () => {
      const untrusted = await recordedAddress({});
      expect(untrusted).to.match(/127\.0\.0\.1$/);
      await clearCollections();
      expect(await recordedAddress({ TRUSTED_PROXIES: '10.1.2.3, 192.168.0.0/16' })).to.match(/127\.0\.0\.1$/);
      await clearCollections();
      expect(await recordedAddress({ TRUSTED_PROXIES: 'loopback' })).to.equal('203.0.113.7');
    });
  });
});
