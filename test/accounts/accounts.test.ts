import { expect } from 'chai';
import mongoose from 'mongoose';
import { User } from '../../src/accounts/model.ts';
import { passwordProblem } from '../../src/accounts/passwords.ts';
import { AuditEntry } from '../../src/audit/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { captureLogs } from '../helpers/logs.ts';

describe('staff accounts', () => {
  useTestDatabase('accounts');
  const logs = captureLogs();
  const app = useTestApp({ logger: logs.logger });
  beforeEach(async () => {
    await clearCollections();
    logs.clear();
  });

  describe('the first admin', () => {
    it('a fresh install sends everyone to the one-time set-up page', async () => {
      const c = new Client(app.url);
      expect((await c.get('/')).location).to.equal('/sign-in?next=%2F');
      expect((await c.get('/sign-in')).location).to.equal('/setup');
      expect((await c.get('/setup')).body).to.contain('Create the first admin account');
    });

    it('refuses a weak password, keeps what was typed, and names the field', async () => {
      const c = new Client(app.url);
      const res = await c.submit('/setup', '/setup', { name: 'Ada <Admin>', email: 'ada@debrief.test', password: 'password1234', confirm: 'password1234' });
      expect(res.status).to.equal(400);
      expect(res.body).to.contain('too common');
      expect(res.body).to.contain('value="Ada &lt;Admin&gt;"');
      expect(res.body).to.contain('value="ada@debrief.test"');
      expect(res.body).not.to.contain('password1234');
      expect(await User.countDocuments()).to.equal(0);
    });

    it('creates the admin, signs them in, and is gone once an admin exists', async () => {
      const c = new Client(app.url);
      const res = await c.submit('/setup', '/setup', { name: 'Ada', email: 'Ada@Debrief.test', password: testPassword, confirm: testPassword });
      expect(res.status).to.equal(303);
      expect((await c.get('/')).status).to.equal(200);
      const user = await User.findOne({ email: 'ada@debrief.test' }).lean();
      expect(user?.role).to.equal('admin');
      expect(user?.passwordHash).to.match(/^\$argon2id\$/);
      expect((await new Client(app.url).get('/setup')).status).to.equal(404);
      const again = await new Client(app.url).request('/setup', { method: 'POST' });
      expect(again.status).to.be.oneOf([403, 404]);
      expect(await User.countDocuments()).to.equal(1);
    });
  });

  describe('signing in', () => {
    it('a wrong password gets one message for unknown emails and wrong passwords alike, keeping the email typed', async () => {
      await buildUser('admin');
      const user = await buildUser('marketer', { email: 'mia@debrief.test' });
      const wrong = await new Client(app.url).submit('/sign-in', '/sign-in', { email: user.email, password: 'not the right one at all' });
      const unknown = await new Client(app.url).submit('/sign-in', '/sign-in', { email: 'nobody@debrief.test', password: 'not the right one at all' });
      expect(wrong.status).to.equal(401);
      expect(unknown.status).to.equal(401);
      const message = 'That email and password do not match an account.';
      expect(wrong.body).to.contain(message);
      expect(unknown.body).to.contain(message);
      expect(wrong.body).to.contain('value="mia@debrief.test"');
      expect(wrong.body).not.to.contain('not the right one at all');
    });

    it('gives a new session id at sign-in (no session fixation)', async () => {
      await buildUser('admin');
      const user = await buildUser('viewer');
      const c = new Client(app.url);
      await c.get('/sign-in');
      const before = c.cookieHeader;
      expect(before).to.contain('debrief.sid=');
      await c.signIn(user.email, testPassword);
      expect(c.cookieHeader).to.contain('debrief.sid=');
      expect(c.cookieHeader).not.to.equal(before);
    });

    it('sets an http-only, same-site session cookie', async () => {
      await buildUser('admin');
      const res = await new Client(app.url).get('/sign-in');
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('debrief.sid='));
      expect(cookie)
        .to.match(/HttpOnly/i)
        .and.match(/SameSite=Lax/i)
        .and.match(/Path=\//);
    });

    it('behind HTTPS, uses a __Host- cookie marked Secure', async () => {
      const secureApp = await startTestApp({ env: { APP_URL: 'https://debrief.example.com' } });
      try {
        await buildUser('admin');
        const res = await fetch(`${secureApp.url}/sign-in`, { headers: { 'x-forwarded-proto': 'https' } });
        const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-debrief.sid='));
        expect(cookie)
          .to.match(/; Secure/i)
          .and.match(/HttpOnly/i)
          .and.match(/Path=\//);
        expect(cookie).not.to.match(/Domain=/i);
        expect(res.headers.get('strict-transport-security')).to.match(/max-age=/);
      } finally {
        await secureApp.close();
      }
    });

    it('locks the account for a growing time after repeated failures, even against the right password', async () => {
      await buildUser('admin');
      const user = await buildUser('sales');
      const c = new Client(app.url);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await c.submit('/sign-in', '/sign-in', { email: user.email, password: `wrong guess number ${i}` })).status);
      expect(statuses).to.deep.equal([401, 401, 401, 401, 429]);
      const locked = await c.submit('/sign-in', '/sign-in', { email: user.email, password: testPassword });
      expect(locked.status).to.equal(429);
      expect(locked.body).to.contain('Too many failed attempts. Try again in 1 minute');
      await c.submit('/sign-in', '/sign-in', { email: user.email, password: 'one more wrong guess' });
      const failures = mongoose.connection.db!.collection('signinfailures');
      expect((await failures.findOne({}))?.failures).to.equal(5); // the locked attempts did not count, nor check the password
      // Once the lock has passed, the right password works and resets the count: four failures lock nothing.
      await failures.updateMany({}, { $set: { lockedUntil: new Date(Date.now() - 1000) } });
      await c.signIn(user.email, testPassword);
      expect(await failures.countDocuments()).to.equal(0);
      const after: number[] = [];
      const other = new Client(app.url);
      for (let i = 0; i < 4; i++) after.push((await other.submit('/sign-in', '/sign-in', { email: user.email, password: `wrong again ${i}` })).status);
      expect(after).to.deep.equal([401, 401, 401, 401]);
    });

    it('refuses operator objects in a JSON sign-in body before any query', async () => {
      await buildUser('admin');
      const c = new Client(app.url);
      const page = await c.get('/sign-in');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const res = await c.request('/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ email: { $ne: null }, password: { $ne: null } }),
      });
      expect(res.status).to.equal(400);
      expect(c.cookieHeader).to.contain('debrief.sid=');
      expect((await c.get('/')).status).to.equal(303);
    });

    it('after 30 minutes without activity, the session ends and the page says why', async () => {
      await buildUser('admin');
      const user = await buildUser('viewer');
      const c = new Client(app.url);
      await c.signIn(user.email, testPassword);
      const sessions = mongoose.connection.db!.collection<{ _id: string; session: string }>('sessions');
      for (const doc of await sessions.find({}).toArray()) {
        const data = JSON.parse(doc.session) as { userId?: string; lastSeenAt?: number };
        if (data.userId) await sessions.updateOne({ _id: doc._id }, { $set: { session: JSON.stringify({ ...data, lastSeenAt: Date.now() - 31 * 60_000 }) } });
      }
      const res = await c.get('/reports');
      expect(res.status).to.equal(303);
      expect(res.location).to.equal('/sign-in?next=%2Freports');
      expect((await c.get('/sign-in')).body).to.contain('Your session ended after a while without activity');
    });

    it('after 12 hours in all, the session ends however active it was', async () => {
      await buildUser('admin');
      const user = await buildUser('viewer');
      const c = new Client(app.url);
      await c.signIn(user.email, testPassword);
      const sessions = mongoose.connection.db!.collection<{ _id: string; session: string }>('sessions');
      for (const doc of await sessions.find({}).toArray()) {
        const data = JSON.parse(doc.session) as { userId?: string; authAt?: number };
        if (data.userId)
          await sessions.updateOne(
            { _id: doc._id },
            { $set: { session: JSON.stringify({ ...data, authAt: Date.now() - 12 * 3_600_000 - 60_000, lastSeenAt: Date.now() }) } },
          );
      }
      const res = await c.get('/reports');
      expect(res.status).to.equal(303);
      expect(res.location).to.equal('/sign-in?next=%2Freports');
    });

    it('sign-in is limited to 30 attempts a quarter of an hour from one network address, whatever the accounts', async () => {
      await buildUser('admin');
      await mongoose.connection.db!.collection('ratelimits').deleteMany({});
      const c = new Client(app.url);
      const statuses: number[] = [];
      // A different address each time: the per-address lockout never comes into it.
      for (let i = 0; i < 31; i++)
        statuses.push((await c.submit('/sign-in', '/sign-in', { email: `guess${i}@debrief.test`, password: 'not a password anyone has' })).status);
      expect(statuses.slice(0, 30).every((s) => s === 401)).to.equal(true);
      expect(statuses[30]).to.equal(429);
      const limited = await c.submit('/sign-in', '/sign-in', { email: 'another@debrief.test', password: 'not a password anyone has' });
      expect(limited.body).to.contain('Too many sign-in attempts from your network');
      await mongoose.connection.db!.collection('ratelimits').deleteMany({});
    });

    it('a session past its expiry in the store signs nobody in, and a current one still does', async () => {
      await buildUser('admin');
      const user = await buildUser('viewer');
      const c = new Client(app.url);
      await c.signIn(user.email, testPassword);
      expect((await c.get('/reports')).status).to.equal(200);
      const sid = decodeURIComponent(c.cookieHeader.split('debrief.sid=')[1]!.split(';')[0]!).slice(2).split('.')[0]!;
      const sessions = mongoose.connection.db!.collection<{ _id: string; expires: Date }>('sessions');
      expect(await sessions.countDocuments({ _id: sid })).to.equal(1);
      await sessions.updateOne({ _id: sid }, { $set: { expires: new Date(Date.now() - 1000) } });
      const res = await c.get('/reports');
      expect(res.status).to.equal(303);
      expect(res.location).to.equal('/sign-in?next=%2Freports');
    });
  });

  describe('signing out', () => {
    it('signing out needs the form’s CSRF token', async () => {
      await buildUser('admin');
      const user = await buildUser('viewer');
      const c = new Client(app.url);
      await c.signIn(user.email, testPassword);
      const forged = await c.post('/sign-out', { _csrf: 'forged' });
      expect(forged.status).to.equal(403);
      expect(forged.body).to.contain('This form has expired or came from somewhere else');
      expect((await c.get('/reports')).status).to.equal(200);
      const real = await c.submit('/reports', '/sign-out', {});
      expect(real.status).to.equal(303);
      expect((await c.get('/reports')).status).to.equal(303);
    });

    it('a form posted without any token is refused and changes nothing', async () => {
      await buildUser('admin');
      const res = await new Client(app.url).post('/setup', { name: 'Eve', email: 'eve@evil.test', password: testPassword, confirm: testPassword });
      expect(res.status).to.equal(403);
      expect(await User.countDocuments({ email: 'eve@evil.test' })).to.equal(0);
    });

    it('sign out everywhere ends the user’s sessions on every device', async () => {
      await buildUser('admin');
      const user = await buildUser('marketer');
      const laptop = new Client(app.url);
      const phone = new Client(app.url);
      await laptop.signIn(user.email, testPassword);
      await phone.signIn(user.email, testPassword);
      expect((await phone.get('/deals')).status).to.equal(200);
      expect((await laptop.submit('/account', '/account/sign-out-everywhere', {})).status).to.equal(303);
      expect((await phone.get('/deals')).status).to.equal(303);
      expect((await laptop.get('/deals')).status).to.equal(303);
      expect(await AuditEntry.countDocuments({ action: 'sign_out.everywhere' })).to.equal(1);
    });
  });

  describe('the audit log', () => {
    it('records sign-ins and failures with who and from where, and admins can filter it', async () => {
      const admin = await buildUser('admin');
      await new Client(app.url).submit('/sign-in', '/sign-in', { email: admin.email, password: 'wrong password here' });
      const c = new Client(app.url);
      await c.signIn(admin.email, testPassword);
      const entry = await AuditEntry.findOne({ action: 'sign_in' }).lean();
      expect(entry?.actorEmail).to.equal(admin.email);
      expect(entry?.ip).to.match(/127\.0\.0\.1/);
      const page = await c.get('/admin/audit?action=sign_in.failed');
      expect(page.status).to.equal(200);
      expect(page.body).to.contain('<code>sign_in.failed</code>');
      expect(page.body).not.to.contain('<code>sign_in</code>');
      const bad = await c.get('/admin/audit?from=yesterday');
      expect(bad.status).to.equal(400);
      expect(bad.body).to.contain('Use a date like 2026-11-23.');
    });

    it('a role change takes effect at once and is audited', async () => {
      const admin = await buildUser('admin');
      const user = await buildUser('viewer');
      const them = new Client(app.url);
      await them.signIn(user.email, testPassword);
      const c = new Client(app.url);
      await c.signIn(admin.email, testPassword);
      expect((await c.submit('/admin/users', `/admin/users/${String(user._id)}/role`, { role: 'marketer' })).status).to.equal(303);
      expect((await them.get('/deals')).status).to.equal(303); // signed out: the old session had the old role
      await them.signIn(user.email, testPassword);
      expect((await them.get('/deals')).status).to.equal(200);
      const entry = await AuditEntry.findOne({ action: 'user.role_changed' }).lean();
      expect(entry?.target).to.equal(user.email);
    });

    it('the last admin cannot be demoted', async () => {
      const admin = await buildUser('admin');
      const c = new Client(app.url);
      await c.signIn(admin.email, testPassword);
      const res = await c.submit('/admin/users', `/admin/users/${String(admin._id)}/role`, { role: 'viewer' });
      expect(res.status).to.equal(400);
      expect(res.body).to.contain('This is the last admin');
      expect((await User.findById(admin._id).lean())?.role).to.equal('admin');
    });
  });

  it('nothing secret reaches the logs: passwords, session ids, CSRF tokens', async () => {
    await buildUser('admin');
    const user = await buildUser('sales');
    const c = new Client(app.url);
    await c.submit('/sign-in', '/sign-in', { email: user.email, password: 'a wrong secret password' });
    const page = await c.get('/sign-in');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await c.post('/sign-in', { _csrf: token, email: user.email, password: testPassword });
    await c.get('/deals?q=x');
    const sid = decodeURIComponent(c.cookieHeader.split('debrief.sid=')[1]!.split(';')[0]!);
    const logged = logs.text();
    expect(logged).to.contain('request completed');
    for (const secret of [testPassword, 'a wrong secret password', token, sid, sid.slice(2, 34)]) {
      expect(logged).not.to.contain(secret);
    }
  });

  describe('the password rule', () => {
    it('asks for 12 to 128 characters', () => {
      expect(passwordProblem('short one')).to.match(/at least 12/);
      expect(passwordProblem(`${'x'.repeat(120)}abcdefghi`)).to.match(/at most 128/);
      expect(passwordProblem('plum orchard telescope')).to.equal(null);
    });

    it('refuses common passwords, also with digits or symbols tacked on', () => {
      for (const p of ['password1234', 'Password2024!', 'qwertyuiop123', 'iloveyou1234', 'aaaaaaaaaaaaaa']) {
        expect(passwordProblem(p), p).to.match(/too common/);
      }
    });
  });
});
