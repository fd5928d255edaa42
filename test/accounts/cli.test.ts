// `npm run cli -- create-admin` as an operator runs it, against a real database.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { User } from '../../src/accounts/model.ts';
import { CaughtMail } from '../../src/mail/model.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { freePort, runCli, startAppProcess } from '../helpers/process.ts';

const cli = runCli;

describe('npm run cli -- create-admin', function () {
  this.timeout(60000);
  const db = useTestDatabase('cli');

  it('creates an admin with the password read from standard input', async () => {
    const res = await cli(['create-admin', '--email', 'ops@debrief.test', '--name', 'Ops Person'], { MONGODB_URI: db.uri() }, 'violet harbour lantern 7\n');
    expect(res.err).to.equal('');
    expect(res.code).to.equal(0);
    expect(res.out).to.contain('Created admin ops@debrief.test');
    expect(res.out).not.to.contain('violet harbour');
    const user = await User.findOne({ email: 'ops@debrief.test' }).lean();
    expect(user?.role).to.equal('admin');
  });

  it('sends the new admin to where the web process answers, not to this shell’s default address', async () => {
    const port = await freePort();
    const web = startAppProcess('web', { MONGODB_URI: db.uri(), PORT: String(port), DEMO_DATA: 'false' });
    try {
      await web.waitForLog(/^Debrief is listening on/);
      // The operator's second shell has neither PORT nor APP_URL: the web process's own address is the one that works.
      const res = await cli(['create-admin', '--email', 'ops2@debrief.test', '--name', 'Ops Two'], { MONGODB_URI: db.uri() }, 'violet harbour lantern 7\n');
      expect(res.code, res.err).to.equal(0);
      expect(res.out).to.contain(`Sign in at http://localhost:${port}/sign-in`);
    } finally {
      web.child.kill('SIGTERM');
      await web.exited;
    }
  });

  it('the README’s quick start says where create-admin reads the password from', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Configuration'));
    expect(quickStart).to.contain('create-admin');
    expect(quickStart)
      .to.match(/asks for the password on the terminal/)
      .and.match(/reads the password from its first line/)
      .and.contain('standard input');
  });

  it('refuses a common password and a missing email with a clear message', async () => {
    const weak = await cli(['create-admin', '--email', 'weak@debrief.test', '--name', 'Weak'], { MONGODB_URI: db.uri() }, 'password1234\n');
    expect(weak.code).to.equal(1);
    expect(weak.err).to.contain('too common');
    const missing = await cli(['create-admin', '--name', 'No Email'], { MONGODB_URI: db.uri() }, 'violet harbour lantern 7\n');
    expect(missing.code).to.equal(1);
    expect(missing.err).to.contain('--email must be an email address');
    expect(await User.countDocuments({ email: 'weak@debrief.test' })).to.equal(0);
  });

  it('mailbox --to prints what the SMTP catcher kept for one address, account mail included', async () => {
    await CaughtMail.create({
      receivedAt: new Date(),
      envelopeTo: ['nia@debrief.test'],
      subject: 'Ada invited you to Debrief',
      text: 'Choose a password: http://localhost:3000/invite/abcdefghijklmnopqrstuvwxyz012345',
      addresseeOnly: true,
    });
    await CaughtMail.create({ receivedAt: new Date(), envelopeTo: ['someone@debrief.test'], subject: 'Not for Nia', text: 'Nothing' });
    const res = await cli(['mailbox', '--to', 'Nia@debrief.test'], { MONGODB_URI: db.uri() });
    expect(res.code).to.equal(0);
    expect(res.out).to.contain('Ada invited you to Debrief').and.contain('/invite/abcdefghijklmnopqrstuvwxyz012345');
    expect(res.out).not.to.contain('Not for Nia');
    const none = await cli(['mailbox', '--to', 'nobody@debrief.test'], { MONGODB_URI: db.uri() });
    expect(none.out).to.contain('No mail for nobody@debrief.test');
  });
});
