// Invitations and password resets, end to end: the email really goes over SMTP to the catcher, the
// test reads the link out of it and uses it the way a person would.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { User } from '../../src/accounts/model.ts';
import { AuditEntry } from '../../src/audit/model.ts';
import type { CaughtMailDoc } from '../../src/mail/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { drainJobs } from '../helpers/outbox.ts';

async function mailTo(mail: TestMail, address: string, count = 1): Promise<CaughtMailDoc> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const found = (await mail.caught()).filter((m) => JSON.stringify(m.to).includes(address));
    if (found.length >= count) return found[count - 1]!;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} arrived`);
    await sleep(50);
  }
}

function linkIn(message: CaughtMailDoc, pattern: RegExp): string {
  const m = pattern.exec(message.text ?? '');
  if (!m) throw new Error(`no link matching ${pattern} in:\n${message.text}`);
  return new URL(m[0]).pathname;
}

describe('invitations and password resets by email', () => {
  useTestDatabase('links');
  let app: TestApp;
  let mail: TestMail;
  before(async () => {
    mail = await startTestMail();
    app = await startTestApp({ mailer: mail.mailer, worker: true });
  });
  after(async () => {
    await app.close();
    await mail.close();
  });
  beforeEach(clearCollections);

  async function signedInAdmin(): Promise<Client> {
    const admin = await buildUser('admin', { name: 'Ada Admin' });
    const c = new Client(app.url);
    await c.signIn(admin.email, testPassword);
    return c;
  }

  it('an admin invites a marketer, who sets a password from the emailed link and is signed in', async () => {
    const admin = await signedInAdmin();
    const res = await admin.submit('/admin/users', '/admin/users/invite', { name: 'Mia Marketer', email: 'mia@debrief.test', role: 'marketer' });
    expect(res.status).to.equal(303);
    expect((await admin.get('/admin/users')).body)
      .to.contain('Invitation sent to mia@debrief.test')
      .and.contain('invited');

    const message = await mailTo(mail, 'mia@debrief.test');
    expect(message.subject).to.match(/Ada Admin/);
    const path = linkIn(message, /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/);

    const mia = new Client(app.url);
    const form = await mia.get(path);
    expect(form.status).to.equal(200);
    expect(form.body).to.contain('Mia Marketer');
    const weak = await mia.submit(path, path, { password: 'password1234', confirm: 'password1234' });
    expect(weak.status).to.equal(400);
    expect(weak.body).to.contain('too common');
    const done = await mia.submit(path, path, { password: 'green kettle harbour light', confirm: 'green kettle harbour light' });
    expect(done.status).to.equal(303);
    expect((await mia.get('/deals')).status).to.equal(200); // a marketer may

    // The link is single-use.
    expect((await new Client(app.url).get(path)).status).to.equal(410);
    // Only a SHA-256 of the link's token is stored.
    const token = path.split('/').at(-1)!;
    const stored = JSON.stringify(await mongoose.connection.db!.collection('stafftokens').find({}).toArray());
    expect(stored).not.to.contain(token);
    expect(stored).to.contain(createHash('sha256').update(token).digest('hex'));
    expect(await AuditEntry.countDocuments({ action: 'user.invite_accepted' })).to.equal(1);
  });

  it('an invitation link stops working after 72 hours, and a new one replaces the old', async () => {
    const admin = await signedInAdmin();
    await admin.submit('/admin/users', '/admin/users/invite', { name: 'Sam Sales', email: 'sam@debrief.test', role: 'sales' });
    const first = linkIn(await mailTo(mail, 'sam@debrief.test'), /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/);
    await sleep(500);
    expect((await mail.caught()).filter((m) => JSON.stringify(m.to).includes('sam@debrief.test'))).to.have.length(1); // sent once
    const sam = await User.findOne({ email: 'sam@debrief.test' }).lean();
    await admin.submit('/admin/users', `/admin/users/${String(sam!._id)}/reinvite`, {});
    const second = linkIn(await mailTo(mail, 'sam@debrief.test', 2), /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/);
    expect(second).not.to.equal(first);
    const gone = await new Client(app.url).get(first);
    expect(gone.status).to.equal(410);
    expect(gone.body).to.contain('This link has expired or was already used');
    expect((await new Client(app.url).get(second)).status).to.equal(200);
    await ageLinks(73);
    expect((await new Client(app.url).get(second)).status).to.equal(410);
  });

  it('inviting an address that already has an account keeps what was typed and says why', async () => {
    const admin = await signedInAdmin();
    await buildUser('viewer', { email: 'taken@debrief.test' });
    const res = await admin.submit('/admin/users', '/admin/users/invite', { name: 'Someone <b>', email: 'taken@debrief.test', role: 'viewer' });
    expect(res.status).to.equal(400);
    expect(res.body).to.contain('There is already a user with this email.');
    expect(res.body).to.contain('value="Someone &lt;b&gt;"');
  });

  it('a name is one line where it enters: an invitation or the set-up with a line break in the name is refused', async () => {
    const first = await new Client(app.url).submit('/setup', '/setup', {
      name: 'Ada\r\nBcc: spy@evil.example',
      email: 'ada@debrief.test',
      password: testPassword,
      confirm: testPassword,
    });
    expect(first.status).to.equal(400);
    expect(first.body).to.contain('Use one line');
    expect(await User.countDocuments()).to.equal(0);
    const admin = await signedInAdmin();
    for (const name of ['Nina\r\nBcc: spy@evil.example', 'Nina\nMarketer', 'Nina\u2028Marketer', 'N'.repeat(101)]) {
      const res = await admin.submit('/admin/users', '/admin/users/invite', { name, email: 'nina@debrief.test', role: 'marketer' });
      expect(res.status, JSON.stringify(name)).to.equal(400);
      expect(res.body, JSON.stringify(name)).to.match(/Use one line|at most 100 characters/);
    }
    expect(await User.countDocuments({ email: 'nina@debrief.test' })).to.equal(0);
    await drainJobs(['email.send']);
    expect(await mail.caught()).to.have.length(0);
    // The model holds the line too, for any other way in.
    let refused: unknown;
    try {
      await User.create({ email: 'other@debrief.test', name: 'Nina\r\nBcc: spy@evil.example', role: 'viewer' });
    } catch (err) {
      refused = err;
    }
    expect(refused).to.be.instanceOf(mongoose.Error.ValidationError);
  });

  it('a forgotten password is reset through a one-hour, single-use link, which signs out other sessions', async () => {
    await buildUser('admin');
    const user = await buildUser('sales', { email: 'rex@debrief.test' });
    const laptop = new Client(app.url);
    await laptop.signIn(user.email, testPassword);

    const c = new Client(app.url);
    const asked = await c.submit('/forgot-password', '/forgot-password', { email: 'rex@debrief.test' });
    expect(asked.status).to.equal(200);
    expect(asked.body).to.contain('we have sent it a link');
    const path = linkIn(await mailTo(mail, 'rex@debrief.test'), /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/);
    const done = await c.submit(path, path, { password: 'new orchard window 55', confirm: 'new orchard window 55' });
    expect(done.status).to.equal(303);
    expect((await laptop.get('/deals')).status).to.equal(303); // the old session ended
    await new Client(app.url).signIn('rex@debrief.test', 'new orchard window 55');
    expect((await new Client(app.url).submit('/sign-in', '/sign-in', { email: 'rex@debrief.test', password: testPassword })).status).to.equal(401);
    expect((await new Client(app.url).get(path)).status).to.equal(410);
  });

  it('asking for a reset says the same for unknown addresses and sends nothing', async () => {
    await buildUser('admin');
    const res = await new Client(app.url).submit('/forgot-password', '/forgot-password', { email: 'nobody@debrief.test' });
    expect(res.status).to.equal(200);
    expect(res.body).to.contain('we have sent it a link');
    await sleep(500);
    expect((await mail.caught()).filter((m) => JSON.stringify(m.to).includes('nobody@debrief.test'))).to.have.length(0);
  });

  it('a made-up link shows the same friendly page as an expired one', async () => {
    await buildUser('admin');
    const res = await new Client(app.url).get('/reset-password/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).to.equal(410);
    expect(res.body).to.contain('This link has expired or was already used');
  });
});

/** Moves every link's expiry back, as if `hours` had passed. */
async function ageLinks(hours: number): Promise<void> {
  const tokens = mongoose.connection.db!.collection('stafftokens');
  for (const t of await tokens.find({}).toArray()) {
    await tokens.updateOne({ _id: t._id }, { $set: { expiresAt: new Date((t.expiresAt as Date).getTime() - hours * 3_600_000) } });
  }
}
