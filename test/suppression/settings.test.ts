// The staff page /settings/suppression: marketers and admins add addresses and whole domains and take
// them off, through CSRF-protected forms, with errors beside their fields; each change is audited; sales
// cannot reach it.
import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/model.ts';
import { Suppression } from '../../src/suppression/model.ts';
import { isSuppressed, suppressAddress } from '../../src/suppression/service.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const page = '/settings/suppression';

describe('the suppression list page', () => {
  useTestDatabase('suppression_page');
  const app = useTestApp();
  beforeEach(async () => {
    await clearCollections();
    await buildUser('admin'); // without an admin, every page leads to the first-run set-up
  });

  async function signedIn(role: 'admin' | 'marketer' | 'sales' | 'viewer'): Promise<{ c: Client; email: string }> {
    const user = await buildUser(role);
    const c = new Client(app.url);
    await c.signIn(user.email, testPassword);
    return { c, email: user.email };
  }

  it('is linked from the settings page', async () => {
    const { c } = await signedIn('marketer');
    expect((await c.get('/settings')).body).to.contain(`href="${page}"`);
  });

  it('a marketer adds an address; it is on the list, checked by every send, and audited', async () => {
    const { c, email } = await signedIn('marketer');

    const res = await c.submit(page, page, { kind: 'address', value: '  Ada@Example.com ', note: 'Asked on the phone' });

    expect(res.status).to.equal(303);
    expect(res.location).to.equal(page);
    const list = await c.get(page);
    expect(list.body).to.contain('Added ada@example.com');
    expect(list.body).to.contain('<code>ada@example.com</code>');
    expect(list.body).to.contain('Asked on the phone');
    expect(await Suppression.findById('ada@example.com').lean()).to.include({
      kind: 'address',
      source: 'marketer',
      addedBy: email,
      note: 'Asked on the phone',
    });
    expect(await isSuppressed('ADA@example.com')).to.equal(true);
    const entry = await AuditEntry.findOne({ action: 'suppression.added' }).lean();
    expect(entry).to.include({ actorEmail: email, target: 'ada@example.com' });
  });

  it('an admin adds a whole domain, typed with or without the @', async () => {
    const { c } = await signedIn('admin');

    expect((await c.submit(page, page, { kind: 'domain', value: '@Globex.Example' })).status).to.equal(303);
    expect((await c.submit(page, page, { kind: 'domain', value: 'initech.example' })).status).to.equal(303);

    expect(await Suppression.findById('@globex.example').lean()).to.include({ kind: 'domain' });
    expect(await isSuppressed('hank@globex.example')).to.equal(true);
    expect(await isSuppressed('peter@Initech.example')).to.equal(true);
    expect((await c.get(page)).body).to.contain('whole domain');
  });

  it('takes an entry off the list, audited', async () => {
    const { c, email } = await signedIn('marketer');
    await suppressAddress('ada@example.com', { source: 'one-click', actor: { type: 'anonymous' } });
    const list = await c.get(page);
    expect(list.body).to.contain('The buyer asked for this');

    const res = await c.submit(page, `${page}/remove`, { entry: 'ada@example.com' });

    expect(res.status).to.equal(303);
    expect(await isSuppressed('ada@example.com')).to.equal(false);
    expect((await c.get(page)).body).to.contain('Removed ada@example.com');
    expect(await AuditEntry.findOne({ action: 'suppression.removed' }).lean()).to.include({ actorEmail: email, target: 'ada@example.com' });
    const again = await c.submit(page, `${page}/remove`, { entry: 'ada@example.com' });
    expect(again.status).to.equal(303);
    expect((await c.get(page)).body).to.contain('was not on the list');
    expect(await AuditEntry.countDocuments({ action: 'suppression.removed' })).to.equal(1);
  });

  it('refuses a POST without the CSRF token, for adding and removing', async () => {
    const { c } = await signedIn('marketer');
    await suppressAddress('bob@example.com', { source: 'marketer', actor: { type: 'system' } });

    const add = await c.post(page, { kind: 'address', value: 'ada@example.com' });
    const remove = await c.post(`${page}/remove`, { entry: 'bob@example.com' });

    expect(add.status).to.equal(403);
    expect(remove.status).to.equal(403);
    expect(await isSuppressed('ada@example.com')).to.equal(false);
    expect(await isSuppressed('bob@example.com')).to.equal(true);
  });

  it('shows bad input again with the error next to the field and what was typed', async () => {
    const { c } = await signedIn('marketer');

    const address = await c.submit(page, page, { kind: 'address', value: 'not an address', note: 'keep me' });
    expect(address.status).to.equal(400);
    expect(address.body).to.match(/<input id="value" name="value" type="text" value="not an address"[^>]*aria-invalid="true">/);
    expect(address.body).to.contain('<p class="field-error" id="value-error">Enter an email address such as ada@example.com.</p>');
    expect(address.body).to.contain('value="keep me"');

    const domain = await c.submit(page, page, { kind: 'domain', value: 'ada@example.com' });
    expect(domain.status).to.equal(400);
    expect(domain.body).to.contain('id="value-error">That is one address');
    expect(domain.body).to.match(/value="domain" checked/);

    const empty = await c.submit(page, page, { kind: 'domain', value: '' });
    expect(empty.body).to.contain('id="value-error">Enter a domain such as example.com.');

    const kind = await c.submit(page, page, { kind: 'everyone', value: 'ada@example.com' });
    expect(kind.status).to.equal(400);
    expect(kind.body).to.contain('id="kind-error">Choose one address or a whole domain.');

    const note = await c.submit(page, page, { kind: 'address', value: 'ada@example.com', note: 'x'.repeat(501) });
    expect(note.body).to.contain('id="note-error">Use at most 500 characters for the note.');

    expect(await Suppression.countDocuments()).to.equal(0);
    expect(await AuditEntry.countDocuments({ action: 'suppression.added' })).to.equal(0);
  });

  it('says so when the entry is already on the list, and keeps it as it was', async () => {
    const { c } = await signedIn('marketer');
    await suppressAddress('ada@example.com', { source: 'bounce', actor: { type: 'system' } });

    const res = await c.submit(page, page, { kind: 'address', value: 'ADA@example.com' });

    expect(res.status).to.equal(400);
    expect(res.body).to.contain('id="value-error">ada@example.com is already on the list');
    expect(await Suppression.findById('ada@example.com').lean()).to.include({ source: 'bounce' });
  });

  it('searches and pages through the list', async () => {
    const { c } = await signedIn('marketer');
    await Suppression.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        _id: `buyer${String(i).padStart(2, '0')}@acme.example`,
        kind: 'address',
        source: 'bounce',
        addedBy: 'system',
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })),
    );
    await Suppression.create({ _id: '@globex.example', kind: 'domain', source: 'marketer', addedBy: 'system' });

    const first = await c.get(page);
    expect(first.body).to.contain('31 entries');
    expect(first.body).to.contain('Page 1 of 2');
    expect(first.body).to.contain('@globex.example'); // newest first
    const second = await c.get(`${page}?page=2`);
    expect(second.body).to.contain('buyer00@acme.example');
    expect(second.body).not.to.contain('@globex.example');

    const search = await c.get(`${page}?q=GLOBEX`);
    expect(search.body).to.contain('1 entry');
    expect(search.body).to.contain('<code>@globex.example</code>');
    expect(search.body).not.to.contain('buyer00@acme.example');
    expect((await c.get(`${page}?q=${encodeURIComponent('.*')}`)).body).to.contain('Nothing on the list matches');
  });

  it('is not for sales or viewers', async () => {
    for (const role of ['sales', 'viewer'] as const) {
      const { c } = await signedIn(role);
      expect((await c.get(page)).status, role).to.equal(403);
      const token = /name="_csrf" value="([^"]+)"/.exec((await c.get('/account')).body)?.[1] ?? '';
      const add = await c.post(page, { _csrf: token, kind: 'address', value: 'ada@example.com' });
      expect(add.status, role).to.equal(403);
    }
    expect(await Suppression.countDocuments()).to.equal(0);
  });
});
