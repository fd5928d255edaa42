// API keys end to end: an admin makes one on the page, a program uses it on /api/v1, scopes and
// revocation are enforced, and the key itself is never stored, logged or shown twice.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { ApiKey } from '../../src/apikeys/model.ts';
import { createApiKey, lastUsedResolutionMs } from '../../src/apikeys/service.ts';
import { AuditEntry } from '../../src/audit/model.ts';
import { Deal } from '../../src/deals/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { captureLogs } from '../helpers/logs.ts';

const keyLine = /\b(dbk_[A-Za-z0-9_-]{43})\b/;

describe('API keys and the JSON API', () => {
  useTestDatabase('apikeys');
  const logs = captureLogs();
  const app = useTestApp({ logger: logs.logger });
  beforeEach(async () => {
    await clearCollections();
    logs.clear();
  });

  async function signedInAdmin(): Promise<Client> {
    const admin = await buildUser('admin');
    const c = new Client(app.url);
    await c.signIn(admin.email, testPassword);
    return c;
  }

  /** Submits the create form with any number of ticked scopes (a checkbox group repeats its name). */
  async function createInPage(c: Client, name: string, scopes: string[]) {
    const page = await c.get('/admin/api-keys');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const body = new URLSearchParams([['_csrf', token], ['name', name], ...scopes.map((s) => ['scopes', s] as [string, string])]);
    return c.request('/admin/api-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: body.toString(),
    });
  }

  function api(path: string, key?: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    if (key) headers.set('authorization', `Bearer ${key}`);
    return new Client(app.url).request(path, { ...init, headers });
  }

  async function seedDeals(): Promise<void> {
    const deal = await Deal.create({
      source: 'crm',
      externalId: 'D-1',
      name: 'Acme renewal',
      buyerCompany: 'Acme',
      amount: 42000,
      currency: 'EUR',
      status: 'lost',
      lostAt: new Date('2026-01-10T00:00:00Z'),
      competitor: 'Rival',
    });
    await Deal.create({ source: 'crm', externalId: 'D-2', name: 'Globex expansion', buyerCompany: 'Globex', status: 'open' });
    await Interview.create({
      dealId: deal._id,
      planKey: `${String(deal._id)}#1`,
      contact: { name: 'Bea Buyer', email: 'bea@acme.test', role: 'CFO' },
      state: 'invited',
    });
  }

  describe('the admin page', () => {
    it('an admin creates a key, sees it once, and afterwards the list shows only its prefix', async () => {
      const c = await signedInAdmin();
      const res = await createInPage(c, 'CRM sync', ['read', 'write']);
      expect(res.status).to.equal(201);
      expect(res.headers.get('cache-control')).to.contain('no-store');
      const key = keyLine.exec(res.body)?.[1];
      expect(key, 'the new key on the page').to.be.a('string');
      expect(res.body).to.contain('Copy it now: it will not be shown again.');
      const prefix = key!.slice(4, 12);

      const list = await c.get('/admin/api-keys');
      expect(list.status).to.equal(200);
      expect(list.body).to.contain('CRM sync');
      expect(list.body).to.contain(`dbk_${prefix}…`);
      expect(list.body).to.contain('read, write');
      expect(list.body).not.to.contain(key!);
      expect(list.body).not.to.contain('Copy it now');

      const stored = await ApiKey.findOne({ prefix }).lean();
      expect(stored?.scopes).to.deep.equal(['read', 'write']);
      expect(stored?.createdBy).to.match(/^admin\d+@debrief\.test$/);
    });

    it('stores only a hash: the plaintext key is nowhere in the collection', async () => {
      const c = await signedInAdmin();
      const key = keyLine.exec((await createInPage(c, 'Warehouse', ['read'])).body)![1]!;
      const docs = await mongoose.connection.db!.collection('apikeys').find({}).toArray();
      expect(docs).to.have.length(1);
      const raw = JSON.stringify(docs);
      expect(raw).not.to.contain(key);
      expect(raw).not.to.contain(key.slice(4));
      expect(docs[0]!.hash).to.match(/^[0-9a-f]{64}$/);
    });

    it('creating with no scopes re-renders the form with the error beside the field and the name kept', async () => {
      const c = await signedInAdmin();
      const res = await createInPage(c, 'Half <done>', []);
      expect(res.status).to.equal(400);
      expect(res.body).to.contain('value="Half &lt;done&gt;"');
      expect(res.body).to.match(/<p class="field-error" id="scopes-error">Pick at least one scope\.<\/p>/);
      expect(keyLine.test(res.body)).to.equal(false);
      expect(await ApiKey.countDocuments()).to.equal(0);
    });

    it('refuses an unknown scope and an empty name', async () => {
      const c = await signedInAdmin();
      const res = await createInPage(c, '  ', ['read', 'admin']);
      expect(res.status).to.equal(400);
      expect(res.body).to.contain('Enter a name');
      expect(res.body).to.contain('Unknown scope');
      expect(await ApiKey.countDocuments()).to.equal(0);
    });

    it('non-admins get 403 on the page and cannot create or revoke keys', async () => {
      await buildUser('admin');
      const { record } = await createApiKey({ name: 'Existing', scopes: ['read'] }, { type: 'system', email: 'cli' });
      for (const role of ['marketer', 'sales', 'viewer'] as const) {
        const user = await buildUser(role);
        const c = new Client(app.url);
        await c.signIn(user.email, testPassword);
        expect((await c.get('/admin/api-keys')).status, role).to.equal(403);
        expect((await c.submit('/account', '/admin/api-keys', { name: 'Sneaky', scopes: 'read' })).status, role).to.equal(403);
        expect((await c.submit('/account', `/admin/api-keys/${record.id}/revoke`, {})).status, role).to.equal(403);
        expect((await c.get('/')).body, role).not.to.contain('href="/admin/api-keys"');
      }
      expect(await ApiKey.countDocuments()).to.equal(1);
      expect((await ApiKey.findById(record.id).lean())?.revokedAt).to.equal(undefined);
    });

    it('admins see it in the navigation; someone signed out is sent to sign in', async () => {
      const c = await signedInAdmin();
      expect((await c.get('/')).body).to.contain('href="/admin/api-keys"');
      const anonymous = await new Client(app.url).get('/admin/api-keys');
      expect(anonymous.status).to.equal(303);
      expect(anonymous.location).to.equal('/sign-in?next=%2Fadmin%2Fapi-keys');
    });

    it('a revoke form needs its CSRF token', async () => {
      const c = await signedInAdmin();
      const { record } = await createApiKey({ name: 'Kept', scopes: ['read'] }, { type: 'system', email: 'cli' });
      expect((await c.post(`/admin/api-keys/${record.id}/revoke`, { _csrf: 'forged' })).status).to.equal(403);
      expect((await ApiKey.findById(record.id).lean())?.revokedAt).to.equal(undefined);
    });

    it('create and revoke are in the audit log with who did them', async () => {
      const c = await signedInAdmin();
      const key = keyLine.exec((await createInPage(c, 'Reporting', ['read'])).body)![1]!;
      const doc = await ApiKey.findOne({ prefix: key.slice(4, 12) }).lean();
      const revoked = await c.submit('/admin/api-keys', `/admin/api-keys/${String(doc!._id)}/revoke`, {});
      expect(revoked.status).to.equal(303);
      expect(revoked.location).to.equal('/admin/api-keys');
      const page = await c.get('/admin/api-keys');
      expect(page.body).to.contain('Revoked Reporting');
      expect(page.body).to.contain('revoked');

      const created = await AuditEntry.findOne({ action: 'api_key.created' }).lean();
      const revokedEntry = await AuditEntry.findOne({ action: 'api_key.revoked' }).lean();
      expect(created?.actorEmail).to.equal(doc!.createdBy);
      expect(created?.actorType).to.equal('user');
      expect(created?.target).to.equal(`Reporting (dbk_${doc!.prefix})`);
      expect(revokedEntry?.actorEmail).to.equal(doc!.createdBy);
      expect(JSON.stringify([created, revokedEntry])).not.to.contain(key);
      const audit = await c.get('/admin/audit');
      expect(audit.body).to.contain('<code>api_key.created</code>').and.contain('<code>api_key.revoked</code>');
      // Revoking again changes nothing and is not audited twice.
      await c.submit('/admin/api-keys', `/admin/api-keys/${String(doc!._id)}/revoke`, {});
      expect(await AuditEntry.countDocuments({ action: 'api_key.revoked' })).to.equal(1);
    });

    it('revoking an unknown key is a 404', async () => {
      const c = await signedInAdmin();
      expect((await c.submit('/admin/api-keys', '/admin/api-keys/000000000000000000000000/revoke', {})).status).to.equal(404);
      expect((await c.submit('/admin/api-keys', '/admin/api-keys/not-an-id/revoke', {})).status).to.equal(400);
    });
  });

  describe('the API', () => {
    it('a key made on the page works on /api/v1/me and /api/v1/deals', async () => {
      await seedDeals();
      const c = await signedInAdmin();
      const key = keyLine.exec((await createInPage(c, 'CRM sync', ['read'])).body)![1]!;

      const me = await api('/api/v1/me', key);
      expect(me.status).to.equal(200);
      expect(me.headers.get('content-type')).to.contain('application/json');
      expect(JSON.parse(me.body)).to.deep.equal({ data: { name: 'CRM sync', prefix: key.slice(4, 12), scopes: ['read'] } });
      expect(me.headers.getSetCookie()).to.deep.equal([]);

      const deals = await api('/api/v1/deals?status=lost', key);
      expect(deals.status).to.equal(200);
      const body = JSON.parse(deals.body) as { data: Record<string, unknown>[]; paging: Record<string, number> };
      expect(body.paging).to.include({ page: 1, pages: 1, total: 1 });
      expect(body.data).to.have.length(1);
      expect(body.data[0]).to.include({
        source: 'crm',
        externalId: 'D-1',
        name: 'Acme renewal',
        buyerCompany: 'Acme',
        amount: 42000,
        currency: 'EUR',
        status: 'lost',
        competitor: 'Rival',
        lostAt: '2026-01-10T00:00:00.000Z',
      });
      expect(body.data[0]!.id).to.match(/^[0-9a-f]{24}$/);
      expect(Object.keys(body.data[0]!).sort()).to.deep.equal([
        'amount',
        'buyerCompany',
        'competitor',
        'currency',
        'externalId',
        'id',
        'lostAt',
        'name',
        'source',
        'status',
      ]);

      const all = JSON.parse((await api('/api/v1/deals', key)).body) as { data: { name: string; competitor: unknown }[] };
      expect(all.data.map((d) => d.name).sort()).to.deep.equal(['Acme renewal', 'Globex expansion']);
      expect(all.data.find((d) => d.name === 'Globex expansion')?.competitor).to.equal(null);

      const interviews = JSON.parse((await api('/api/v1/interviews?state=invited', key)).body) as { data: Record<string, unknown>[] };
      expect(interviews.data).to.have.length(1);
      expect(interviews.data[0]).to.include({ state: 'invited', contactName: 'Bea Buyer', company: 'Acme', dealName: 'Acme renewal' });
    });

    it('validates API queries strictly and answers JSON naming the field', async () => {
      const { key } = await createApiKey({ name: 'Strict', scopes: ['read'] }, { type: 'system', email: 'cli' });
      const bad = await api('/api/v1/deals?status=maybe', key);
      expect(bad.status).to.equal(400);
      const error = (JSON.parse(bad.body) as { error: { code: string; details: Record<string, string[]> } }).error;
      expect(error.code).to.equal('validation_failed');
      expect(error.details).to.have.property('status');
      const unknown = await api('/api/v1/deals?q=acme', key);
      expect(unknown.status).to.equal(400);
      expect((await api('/api/v1/interviews?page=0', key)).status).to.equal(400);
      expect((await api('/api/v1/deals?status=&page=1', key)).status).to.equal(200);
    });

    it('a key without the read scope gets 403 naming the scope it lacks', async () => {
      const { key } = await createApiKey({ name: 'Hooks only', scopes: ['webhooks'] }, { type: 'system', email: 'cli' });
      const res = await api('/api/v1/deals', key);
      expect(res.status).to.equal(403);
      const error = (JSON.parse(res.body) as { error: { code: string; message: string } }).error;
      expect(error.code).to.equal('insufficient_scope');
      expect(error.message).to.contain("'read'");
      expect(res.headers.get('www-authenticate')).to.contain('insufficient_scope').and.contain('scope="read"');
      expect((await api('/api/v1/interviews', key)).status).to.equal(403);
      expect((await api('/api/v1/me', key)).status).to.equal(200);
    });

    it('a missing header, a wrong key and a malformed header get 401 JSON with WWW-Authenticate', async () => {
      const { key } = await createApiKey({ name: 'Real', scopes: ['read'] }, { type: 'system', email: 'cli' });
      const wrong = `dbk_${'A'.repeat(43)}`;
      for (const [label, res] of [
        ['missing', await api('/api/v1/deals')],
        ['wrong', await api('/api/v1/deals', wrong)],
        ['almost right', await api('/api/v1/deals', `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)],
        ['basic', await new Client(app.url).request('/api/v1/me', { headers: { authorization: `Basic ${Buffer.from(`x:${key}`).toString('base64')}` } })],
      ] as const) {
        expect(res.status, label).to.equal(401);
        expect(res.headers.get('www-authenticate'), label).to.match(/^Bearer/);
        const body = JSON.parse(res.body) as { error: { code: string; message: string } };
        expect(body.error.code, label).to.be.a('string');
        expect(body.error.message, label).to.be.a('string');
      }
    });

    it('a revoked key gets 401 at once', async () => {
      const { key, record } = await createApiKey({ name: 'Short lived', scopes: ['read'] }, { type: 'system', email: 'cli' });
      expect((await api('/api/v1/me', key)).status).to.equal(200);
      const c = await signedInAdmin();
      expect((await c.submit('/admin/api-keys', `/admin/api-keys/${record.id}/revoke`, {})).status).to.equal(303);
      const res = await api('/api/v1/me', key);
      expect(res.status).to.equal(401);
      expect((JSON.parse(res.body) as { error: { code: string } }).error.code).to.equal('invalid_api_key');
    });

    it('records when a key was last used, at most once a minute, and shows it on the page', async () => {
      const { key, record } = await createApiKey({ name: 'Nightly export', scopes: ['read'] }, { type: 'system', email: 'cli' });
      expect(record.lastUsedAt).to.equal(null);
      const c = await signedInAdmin();
      expect((await c.get('/admin/api-keys')).body).to.contain('<td>Never</td>');
      await api('/api/v1/me', key);
      const first = (await ApiKey.findById(record.id).lean())?.lastUsedAt;
      expect(first).to.be.instanceOf(Date);
      await api('/api/v1/me', key);
      expect((await ApiKey.findById(record.id).lean())?.lastUsedAt?.getTime()).to.equal(first!.getTime());
      // A minute later the next use is recorded again.
      const earlier = new Date(Date.now() - lastUsedResolutionMs - 1000);
      await ApiKey.updateOne({ _id: record.id }, { $set: { lastUsedAt: earlier } });
      await api('/api/v1/me', key);
      expect((await ApiKey.findById(record.id).lean())?.lastUsedAt?.getTime()).to.be.greaterThan(earlier.getTime());
      const page = await c.get('/admin/api-keys');
      expect(page.body).to.contain('Nightly export');
      expect(page.body).not.to.contain('<td>Never</td>');
    });

    it('ignores session cookies: a signed-in staff member without a key gets 401', async () => {
      await seedDeals();
      const c = await signedInAdmin();
      expect((await c.get('/deals')).status).to.equal(200);
      const res = await c.get('/api/v1/deals', 'application/json');
      expect(res.status).to.equal(401);
      expect(res.headers.getSetCookie()).to.deep.equal([]);
    });

    it('is not behind CSRF: a POST gets a JSON 404 or 405, never a CSRF refusal', async () => {
      const { key } = await createApiKey({ name: 'Writer', scopes: ['read', 'write'] }, { type: 'system', email: 'cli' });
      const json = { 'content-type': 'application/json' };
      const notAllowed = await api('/api/v1/deals', key, { method: 'POST', headers: json, body: '{}' });
      expect(notAllowed.status).to.equal(405);
      expect(notAllowed.headers.get('allow')).to.equal('GET, HEAD');
      expect((JSON.parse(notAllowed.body) as { error: { code: string } }).error.code).to.equal('method_not_allowed');
      const unknown = await api('/api/v1/no-such-thing', key, { method: 'POST', headers: json, body: '{}' });
      expect(unknown.status).to.equal(404);
      expect((JSON.parse(unknown.body) as { error: { code: string } }).error.code).to.equal('not_found');
      const otherVersion = await api('/api/v2/deals', key, { method: 'POST', headers: json, body: '{}' });
      expect(otherVersion.status).to.equal(404);
      expect(otherVersion.headers.get('content-type')).to.contain('application/json');
      expect(otherVersion.headers.getSetCookie()).to.deep.equal([]);
    });

    it('unknown API paths answer JSON 404, even to a browser', async () => {
      const { key } = await createApiKey({ name: 'Browser', scopes: ['read'] }, { type: 'system', email: 'cli' });
      const res = await new Client(app.url).request('/api/v1/nothing-here', { headers: { authorization: `Bearer ${key}`, accept: 'text/html' } });
      expect(res.status).to.equal(404);
      expect(res.headers.get('content-type')).to.contain('application/json');
    });

    it('rate-limits per key', async () => {
      const { key, record } = await createApiKey({ name: 'Busy', scopes: ['read'] }, { type: 'system', email: 'cli' });
      const first = await api('/api/v1/me', key);
      expect(first.status).to.equal(200);
      expect(first.headers.get('ratelimit-policy')).to.contain('q=600').and.contain('w=60');
      // Fill this key's window as if it had made its 600 requests.
      const windows = mongoose.connection.db!.collection<{ _id: string; hits: number }>('ratelimits');
      const docs = (await windows.find({}).toArray()).filter((d) => d._id.startsWith(`api:key:${record.id}:`));
      expect(docs).to.have.length(1);
      await windows.updateOne({ _id: docs[0]!._id }, { $set: { hits: 600 } });
      const limited = await api('/api/v1/me', key);
      expect(limited.status).to.equal(429);
      expect((JSON.parse(limited.body) as { error: { code: string } }).error.code).to.equal('rate_limited');
      // Another key is counted apart.
      const other = await createApiKey({ name: 'Quiet', scopes: ['read'] }, { type: 'system', email: 'cli' });
      expect((await api('/api/v1/me', other.key)).status).to.equal(200);
    });
  });

  it('the key never reaches the logs', async () => {
    const c = await signedInAdmin();
    const key = keyLine.exec((await createInPage(c, 'Logged?', ['read'])).body)![1]!;
    await api('/api/v1/me', key);
    await api('/api/v1/deals?page=1', key);
    await api('/api/v1/nowhere', key);
    await api(`/api/v1/deals?key=${key}`, key);
    await api('/api/v1/deals', `${key}x`);
    const logged = logs.text();
    expect(logged).to.contain('request completed');
    expect(logged).to.contain('/api/v1/me');
    expect(logged).not.to.contain(key);
    expect(logged).not.to.contain(key.slice(12));
  });
});
