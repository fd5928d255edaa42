// Mail end to end on real parts: the mailer speaks SMTP to the catcher (or to a real smtp-server that
// refuses), the catcher keeps the message in the test database, the dev mailbox shows it.
import { expect } from 'chai';
import ejs from 'ejs';
import juice from 'juice';
import { once } from 'node:events';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { AuditEntry } from '../../src/audit/model.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import {
  createMailer,
  describeSmtpUrl,
  InvalidMailError,
  isPermanentSmtpFailure,
  smtpFailureSummary,
  type Mailer,
  type OutgoingMail,
} from '../../src/lib/mailer.ts';
import { CatcherError, startCatcher } from '../../src/mail/catcher.ts';
import { CaughtMail } from '../../src/mail/model.ts';
import { emailViewsDir, EmailTemplateError, renderEmail } from '../../src/mail/render.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { drainJobs } from '../helpers/outbox.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, testMailFrom, type TestMail } from '../helpers/mail.ts';

const message = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to: 'Bea Buyer <bea@buyer.test>',
  subject: 'Why we lost: 3 questions',
  html: '<p>Hello Bea, caf\u00e9 &amp; <b>thanks</b></p>',
  text: 'Hello Bea, caf\u00e9 & thanks',
  ...overrides,
});

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the send to fail');
}

describe('mail', () => {
  useTestDatabase('mail');
  const logLines: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  let mail: TestMail;
  before(async () => {
    mail = await startTestMail({ logger });
  });
  after(async () => {
    await mail.close();
  });
  beforeEach(async () => {
    await clearCollections();
    logLines.length = 0;
  });

  describe('sending through the SMTP catcher', () => {
    it('keeps what was sent in the database: envelope, both parts, Reply-To and custom headers', async () => {
      const result = await mail.mailer.send(
        message({
          replyTo: 'Ada Admin <ada@debrief.test>',
          headers: { 'X-Debrief-Kind': 'interview-invite', 'List-Unsubscribe': '<https://debrief.test/u/abc>' },
        }),
      );
      expect(result.accepted).to.deep.equal(['bea@buyer.test']);
      expect(result.rejected).to.deep.equal([]);
      expect(result.response).to.match(/^250 /);

      const [caught, ...more] = await mail.caught();
      expect(more).to.have.length(0);
      expect(caught!.envelopeFrom).to.equal('debrief@debrief.test');
      expect(caught!.envelopeTo).to.deep.equal(['bea@buyer.test']);
      expect(caught!.messageId).to.equal(result.messageId);
      expect(caught!.subject).to.equal('Why we lost: 3 questions');
      expect(caught!.from).to.contain('debrief@debrief.test').and.contain('Debrief');
      expect(caught!.to).to.contain('bea@buyer.test');
      expect(caught!.replyTo).to.contain('ada@debrief.test');
      expect(caught!.html).to.contain('<p>Hello Bea, caf\u00e9 &amp; <b>thanks</b></p>');
      expect(caught!.text.trim()).to.equal('Hello Bea, caf\u00e9 & thanks');
      const headers = new Map(caught!.headers.map(({ name, value }) => [name.toLowerCase(), value]));
      expect(headers.get('x-debrief-kind')).to.equal('interview-invite');
      expect(headers.get('list-unsubscribe')).to.equal('<https://debrief.test/u/abc>');
      expect(headers.get('reply-to')).to.contain('ada@debrief.test');
      expect(caught!.raw).to.match(/^Subject: Why we lost: 3 questions\r?$/m);
      expect(caught!.rawTruncated).to.equal(false);
      expect(caught!.receivedAt).to.be.instanceOf(Date);
    });

    it('keeps a Message-ID it is given, so a retried job sends the same one', async () => {
      const result = await mail.mailer.send(message({ messageId: '<invite-42.attempt@debrief.test>' }));
      expect(result.messageId).to.equal('<invite-42.attempt@debrief.test>');
      expect((await mail.caught())[0]!.messageId).to.equal('<invite-42.attempt@debrief.test>');
    });

    it('logs the Message-ID and the recipient domain, never the address, the subject or the body', async () => {
      const result = await mail.mailer.send(message());
      const text = logLines.join('');
      expect(text).to.contain(result.messageId).and.contain('buyer.test');
      expect(text).not.to.contain('bea@buyer.test');
      expect(text).not.to.contain('Why we lost');
      expect(text).not.to.contain('Hello Bea');
    });

    it('refuses more than one recipient, before any connection', async () => {
      for (const to of [
        ['a@buyer.test', 'b@buyer.test'] as unknown as string,
        'a@buyer.test, b@buyer.test',
        'a@buyer.test; b@buyer.test',
        'Team: a@buyer.test, b@buyer.test;',
      ]) {
        const err = await failureOf(mail.mailer.send(message({ to })));
        expect(err, JSON.stringify(to)).to.be.instanceOf(InvalidMailError);
        expect(isPermanentSmtpFailure(err)).to.equal(true);
      }
      expect(await CaughtMail.countDocuments()).to.equal(0);
    });

    it('refuses what would inject headers or is not an address', async () => {
      const refused: Partial<OutgoingMail>[] = [
        { to: 'not-an-address' },
        { to: 'bea@buyer.test\r\nBcc: all@buyer.test' },
        { subject: 'Hi\r\nBcc: all@buyer.test' },
        { replyTo: 'a@x.test, b@x.test' },
        { headers: { 'X-Note': 'one\r\nBcc: all@buyer.test' } },
        { headers: { Bcc: 'all@buyer.test' } },
        { headers: { 'Bad Name': 'x' } },
        { messageId: 'no-brackets@debrief.test' },
      ];
      for (const overrides of refused) {
        expect(await failureOf(mail.mailer.send(message(overrides))), JSON.stringify(overrides)).to.be.instanceOf(InvalidMailError);
      }
      expect(await CaughtMail.countDocuments()).to.equal(0);
    });

    it('refuses a message over 10 MB with a permanent 552, and keeps nothing', async function () {
      this.timeout(60000);
      const err = await failureOf(mail.mailer.send(message({ text: 'x'.repeat(11 * 1024 * 1024) })));
      expect(isPermanentSmtpFailure(err), String(err)).to.equal(true);
      expect(await CaughtMail.countDocuments()).to.equal(0);
    });

    it('sends many messages over the pool and the catcher keeps each one', async () => {
      const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => mail.mailer.send(message({ to: `buyer${i}@buyer.test` }))));
      const caught = await mail.caught();
      expect(caught.map((c) => c.messageId).sort()).to.deep.equal(sent.map((s) => s.messageId).sort());
      expect(new Set(caught.map((c) => c.envelopeTo[0])).size).to.equal(12);
    });
  });

  describe('the catcher itself', () => {
    it('listens on the loopback address only', () => {
      expect(mail.catcher.url).to.equal(`smtp://127.0.0.1:${mail.catcher.port}`);
      expect(mail.catcher.port).to.be.greaterThan(0);
    });

    it('says so when its port is taken', async () => {
      const err = await failureOf(startCatcher({ port: mail.catcher.port, logger }));
      expect(err).to.be.instanceOf(CatcherError);
      expect((err as Error).message)
        .to.contain(`Port ${mail.catcher.port} on 127.0.0.1 is already in use`)
        .and.contain('SMTP_CATCHER_PORT');
    });
  });

  describe('telling permanent failures from temporary ones', () => {
    let strict: SMTPServer;
    let strictMailer: Mailer;
    before(async () => {
      // A real SMTP server that refuses one recipient for good and asks to retry another later.
      strict = new SMTPServer({
        disabledCommands: ['AUTH', 'STARTTLS'],
        logger: false,
        disableReverseLookup: true,
        onRcptTo(address, _session, callback) {
          if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
          if (address.address.startsWith('busy@')) return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
          callback();
        },
        onData(stream, _session, callback) {
          stream.resume();
          stream.on('end', () => callback());
        },
      });
      strict.listen(0, '127.0.0.1');
      await once(strict.server, 'listening');
      strictMailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${(strict.server.address() as AddressInfo).port}`, from: testMailFrom, logger });
    });
    after(async () => {
      await strictMailer.close();
      await new Promise<void>((resolve) => strict.close(() => resolve()));
    });

    it('a 550 for the recipient is permanent', async () => {
      const err = await failureOf(strictMailer.send(message({ to: 'nobody@buyer.test' })));
      expect((err as { responseCode?: number }).responseCode).to.equal(550);
      expect(isPermanentSmtpFailure(err)).to.equal(true);
      expect(smtpFailureSummary(err)).to.equal('550 on RCPT TO');
      expect(logLines.join('')).to.contain('mail not sent: 550 on RCPT TO').and.not.contain('nobody@buyer.test');
    });

    it('a 451 for the recipient is temporary', async () => {
      const err = await failureOf(strictMailer.send(message({ to: 'busy@buyer.test' })));
      expect((err as { responseCode?: number }).responseCode).to.equal(451);
      expect(isPermanentSmtpFailure(err)).to.equal(false);
    });

    it('the same server still takes the next good message (the pool recovers)', async () => {
      const result = await strictMailer.send(message({ to: 'bea@buyer.test' }));
      expect(result.accepted).to.deep.equal(['bea@buyer.test']);
    });

    it('a server that is down (connection refused) is temporary, and fails fast', async () => {
      const gone = new SMTPServer({ disabledCommands: ['AUTH', 'STARTTLS'], logger: false });
      gone.listen(0, '127.0.0.1');
      await once(gone.server, 'listening');
      const { port } = gone.server.address() as AddressInfo;
      await new Promise<void>((resolve) => gone.close(() => resolve()));
      const downMailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: testMailFrom, logger });
      const started = Date.now();
      const err = await failureOf(downMailer.send(message()));
      await downMailer.close();
      expect(Date.now() - started).to.be.lessThan(5000);
      expect(isPermanentSmtpFailure(err)).to.equal(false);
      expect(smtpFailureSummary(err)).to.equal('ECONNREFUSED');
    });

    it('classifies the other shapes of failure', () => {
      const cases: [unknown, boolean][] = [
        [{ code: 'EENVELOPE', responseCode: 550 }, true],
        [{ code: 'EMESSAGE', responseCode: 552 }, true],
        [{ code: 'EENVELOPE' }, true], // nodemailer refused the address itself
        [{ code: 'EENVELOPE', responseCode: 450 }, false],
        [{ code: 'EPROTOCOL', responseCode: 503 }, false], // bad sequence of commands: the session, not the message
        [{ code: 'EAUTH', responseCode: 535 }, false], // our credentials: retried once the configuration is fixed
        [{ code: 'ETIMEDOUT' }, false],
        [{ code: 'ESOCKET', originalCode: 'ECONNRESET' }, false],
        [{ code: 'ECONNECTION' }, false],
        [{ code: 'EDNS' }, false],
        [new Error('something else'), false],
        [undefined, false],
      ];
      for (const [err, permanent] of cases) expect(isPermanentSmtpFailure(err), JSON.stringify(err)).to.equal(permanent);
    });

    it('describes an SMTP URL without its credentials', () => {
      expect(describeSmtpUrl('smtps://user:s3cret@smtp.example.com:465')).to.equal('smtps://smtp.example.com:465');
      expect(describeSmtpUrl('smtp://apikey:s3cret@smtp.example.com?pool=true')).to.equal('smtp://smtp.example.com');
    });
  });

  describe('rendering emails', () => {
    const invite = {
      inviterName: 'Ada & <Co>',
      inviteeName: 'Bob <script>alert(1)</script>',
      roleLabel: 'Marketer',
      link: 'https://debrief.test/invite/tok?a=1&b=2',
      expiresHours: 48,
    };

    it('staff invite: subject, inlined styles, escaped data, a button and the raw link', async () => {
      const email = await renderEmail('staff-invite', invite);
      expect(email.subject).to.equal('Ada & <Co> invited you to Debrief');
      // Inlined by juice: the styles are on the elements, the <style> block keeps only the media query.
      expect(email.html).to.match(/<a class="button" href="https:\/\/debrief\.test\/invite\/tok\?a=1&amp;b=2" style="[^"]*background-color: #2449a8/);
      expect(email.html).to.match(/<p style="[^"]*font-size: 16px/);
      expect(email.html).to.match(/class="container"[^>]*style="[^"]*max-width: 560px/);
      expect(email.html).to.contain('@media (max-width: 600px)');
      expect(email.html).not.to.match(/\.button\s*\{/);
      expect(email.html).to.contain('Bob &lt;script&gt;alert(1)&lt;/script&gt;').and.contain('Ada &amp; &lt;Co&gt;');
      expect(email.html).not.to.contain('<script>');
      expect(email.html).to.contain('<title>Ada &amp; &lt;Co&gt; invited you to Debrief</title>');
      expect(email.html).to.contain('48 hours');
      // The text part is plain text: the data as written, the link on a line of its own, no markup.
      expect(email.text).to.contain('Hello Bob <script>alert(1)</script>,');
      expect(email.text).to.contain('Ada & <Co> has invited you');
      expect(email.text).to.match(/^https:\/\/debrief\.test\/invite\/tok\?a=1&b=2$/m);
      expect(email.text).to.contain('Marketer').and.contain('48 hours');
      expect(email.text).not.to.match(/<(p|a|br|strong|table)\b/);
      expect(email.text).not.to.match(/\n\n\n/);
    });

    it('password reset: subject, inlined styles, escaped data and the link in both parts', async () => {
      const email = await renderEmail('password-reset', { name: 'Mia "M" <Marketer>', link: 'https://debrief.test/reset/xyz', expiresMinutes: 1 });
      expect(email.subject).to.equal('Reset your Debrief password');
      expect(email.html).to.match(/<a class="button" href="https:\/\/debrief\.test\/reset\/xyz" style="[^"]*"/);
      expect(email.html).to.contain('Hello Mia &#34;M&#34; &lt;Marketer&gt;,');
      expect(email.html).to.contain('1 minute.');
      expect(email.text).to.contain('Hello Mia "M" <Marketer>,');
      expect(email.text).to.match(/^https:\/\/debrief\.test\/reset\/xyz$/m);
      expect(email.text).to.contain('1 minute.');
    });

    it('keeps the subject on one line whatever the data holds', async () => {
      const email = await renderEmail('staff-invite', { ...invite, inviterName: 'Ada\r\nBcc: all@buyer.test' });
      expect(email.subject).to.equal('Ada Bcc: all@buyer.test invited you to Debrief');
    });

    it('refuses unknown or path-like template names and data it lacks', async () => {
      expect(await failureOf(renderEmail('no-such-email', {}))).to.be.instanceOf(EmailTemplateError);
      expect(await failureOf(renderEmail('../mail/index', {}))).to.be.instanceOf(EmailTemplateError);
      expect(await failureOf(renderEmail('password-reset', { name: 'Ada' }))).to.be.instanceOf(Error);
    });

    it('a buyer email rendered from the kept inlined HTML is the same as one rendered afresh', async () => {
      const buyer = (name: string, paragraphs: string[]) => ({
        subject: `Two minutes, ${name}?`,
        brand: 'Acme & Sons',
        paragraphs,
        link: `https://debrief.test/i/${name.length}abc?x=1&y=2`,
        buttonLabel: 'Answer the questions',
        marketerName: 'Mia "M" Marketer',
        companyName: 'Acme & Sons',
        unsubscribeUrl: 'https://debrief.test/u/abc.def',
        footerNote: 'You get this email because…',
      });
      // The first email of a shape is rendered in full; the next ones are filled in.
      await renderEmail('buyer-message', buyer('Jordan', ['Hello Jordan,', 'One question.']));
      const filled = await renderEmail('buyer-message', buyer("O'Brien <b>&", ["Hello <O'Brien>,", 'Caf\u00e9 & more 😀']));
      const afresh = juice(
        await ejs.renderFile(join(emailViewsDir, 'buyer-message', 'html.ejs'), {
          ...buyer("O'Brien <b>&", ["Hello <O'Brien>,", 'Caf\u00e9 & more 😀']),
          subject: filled.subject,
        }),
        { preserveMediaQueries: true, removeStyleTags: true, applyWidthAttributes: true, applyAttributesTableElements: true },
      );
      expect(filled.html).to.equal(afresh);
      expect(filled.html).to.contain('Hello &lt;O&#39;Brien&gt;,').and.not.contain('dbrf');
      // Another shape (no link, as in a thank-you) is its own.
      const thanks = await renderEmail('buyer-message', { ...buyer('Sam', ['Thank you.']), link: '' });
      expect(thanks.html).not.to.contain('class="button"');
    });

    it('a rendered email goes through the catcher intact', async () => {
      const email = await renderEmail('password-reset', { name: 'Ada', link: 'https://debrief.test/reset/xyz', expiresMinutes: 30 });
      await mail.mailer.send({ to: 'ada@debrief.test', ...email });
      const [caught] = await mail.caught();
      expect(caught!.subject).to.equal('Reset your Debrief password');
      expect(caught!.html).to.contain('href="https://debrief.test/reset/xyz"');
      expect(caught!.text).to.contain('https://debrief.test/reset/xyz');
    });
  });

  describe('the dev mailbox', () => {
    let app: TestApp;
    const clients: Record<'admin' | 'marketer' | 'sales' | 'viewer', Client> = {} as never;
    before(async () => {
      app = await startTestApp({ mailer: mail.mailer, worker: true });
    });
    after(async () => {
      await app.close();
    });
    beforeEach(async () => {
      for (const role of ['admin', 'marketer', 'sales', 'viewer'] as const) {
        const user = await buildUser(role);
        clients[role] = new Client(app.url);
        await clients[role].signIn(user.email, testPassword);
      }
    });

    async function sendHostile() {
      return mail.mailer.send(
        message({
          to: 'Bea <bea@buyer.test>',
          subject: 'Quotes & <b>notes</b>',
          replyTo: 'ada@debrief.test',
          html: '<p style="color: #c00">Styled</p><script>document.title = "pwned"</script><img src="https://tracker.example/p.gif">',
          text: 'Plain <text> & more',
        }),
      );
    }

    it('lists caught messages newest first for an admin, with recipient, subject and time', async () => {
      await mail.mailer.send(message({ subject: 'First one' }));
      await mail.mailer.send(message({ subject: 'Second one', to: 'carl@other.test' }));
      const res = await clients.admin.get('/dev/mailbox');
      expect(res.status).to.equal(200);
      expect(res.body).to.contain('2 messages').and.contain('carl@other.test').and.contain('Delete all messages');
      expect(res.body.indexOf('Second one')).to.be.greaterThan(-1).and.lessThan(res.body.indexOf('First one'));
      expect(res.body).to.contain('href="/dev/mailbox"'); // the nav item
    });

    it('shows a message: headers, the text part in <pre>, the HTML part escaped in a sandboxed srcdoc iframe', async () => {
      const sent = await sendHostile();
      const id = String((await CaughtMail.findOne({ messageId: sent.messageId }).lean())!._id);
      const res = await clients.admin.get(`/dev/mailbox/${id}`);
      expect(res.status).to.equal(200);
      expect(res.body).to.contain('<h1>Quotes &amp; &lt;b&gt;notes&lt;/b&gt;</h1>');
      expect(res.body).to.contain('<pre>Plain &lt;text&gt; &amp; more');
      expect(res.body).to.contain('ada@debrief.test'); // Reply-To
      expect(res.body).to.match(/<td><code>Message-ID<\/code><\/td>/i);
      const iframe = /<iframe\b[^>]*>/.exec(res.body)?.[0] ?? '';
      expect(iframe).to.contain('sandbox=""');
      expect(iframe).to.contain('srcdoc="&lt;p style=&#34;color: #c00&#34;&gt;Styled&lt;/p&gt;&lt;script&gt;');
      expect(res.body).not.to.contain('<script>document.title');
      // The page's policy still forbids scripts everywhere; only inline styles are let in for the preview.
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).to.match(/(^|;)script-src 'self'(;|$)/);
      expect(csp).to.match(/(^|;)style-src 'self' 'unsafe-inline'(;|$)/);
      expect(csp).to.match(/(^|;)img-src 'self' data:(;|$)/);
      expect(csp).to.match(/(^|;)frame-ancestors 'none'(;|$)/);
      expect((await clients.admin.get('/dev/mailbox')).headers.get('content-security-policy')).to.match(/(^|;)style-src 'self'(;|$)/);
    });

    it('pages by 25', async () => {
      const base = Date.now();
      await CaughtMail.insertMany(
        Array.from({ length: 26 }, (_, i) => ({
          receivedAt: new Date(base + i * 1000),
          subject: `Message ${String(i).padStart(2, '0')}`,
          to: 'bea@buyer.test',
        })),
      );
      const first = await clients.admin.get('/dev/mailbox');
      expect(first.body.match(/href="\/dev\/mailbox\/[0-9a-f]{24}"/g)).to.have.length(25);
      expect(first.body).to.contain('Message 25').and.not.contain('Message 00<');
      expect(first.body).to.contain('href="/dev/mailbox?page=2"');
      const second = await clients.admin.get('/dev/mailbox?page=2');
      expect(second.body.match(/href="\/dev\/mailbox\/[0-9a-f]{24}"/g)).to.have.length(1);
      expect(second.body).to.contain('Message 00');
      expect((await clients.admin.get('/dev/mailbox?page=zero')).status).to.equal(400);
    });

    it('account mail (an invitation, a reset link) is read by its addressee only, never by another admin', async () => {
      const admins = { ada: await buildUser('admin', { email: 'ada@debrief.test' }), bo: await buildUser('admin', { email: 'bo@debrief.test' }) };
      const ada = new Client(app.url);
      await ada.signIn(admins.ada.email, testPassword);
      const bo = new Client(app.url);
      await bo.signIn(admins.bo.email, testPassword);
      // An invitation for someone new, and a reset link for Bo (asked for by anyone, as the form allows).
      expect((await ada.submit('/admin/users', '/admin/users/invite', { name: 'Nia New', email: 'nia@debrief.test', role: 'marketer' })).status).to.equal(303);
      expect((await new Client(app.url).submit('/forgot-password', '/forgot-password', { email: 'bo@debrief.test' })).status).to.equal(200);
      await drainJobs(['accounts.password-reset', 'email.send']);
      const invite = await CaughtMail.findOne({ envelopeTo: 'nia@debrief.test' }).lean();
      const reset = await CaughtMail.findOne({ envelopeTo: 'bo@debrief.test' }).lean();
      expect(invite?.addresseeOnly).to.equal(true);
      expect(reset?.addresseeOnly).to.equal(true);
      // Listed (so that an admin knows it went), but not openable by anyone else.
      const list = await ada.get('/dev/mailbox');
      expect(list.body).to.contain('nia@debrief.test').and.contain('only its addressee reads it');
      expect(list.body).not.to.contain(`/dev/mailbox/${String(invite!._id)}`);
      for (const [c, id] of [
        [ada, invite!._id],
        [ada, reset!._id],
        [bo, invite!._id],
      ] as const) {
        const res = await c.get(`/dev/mailbox/${String(id)}`);
        expect(res.status).to.equal(403);
        expect(res.body).not.to.match(/\/invite\/|\/reset-password\//);
      }
      // Bo reads the link sent to Bo.
      const own = await bo.get(`/dev/mailbox/${String(reset!._id)}`);
      expect(own.status).to.equal(200);
      expect(own.body).to.match(/\/reset-password\/[\w-]{20,}/);
      // Mail that is not an account's stays readable by admins.
      const sent = await sendHostile();
      expect((await CaughtMail.findOne({ messageId: sent.messageId }).lean())?.addresseeOnly).to.equal(false);
    });

    it('a marketer cannot open the mailbox, a message in it, or empty it: it holds every buyer’s link', async () => {
      const sent = await sendHostile();
      const id = String((await CaughtMail.findOne({ messageId: sent.messageId }).lean())!._id);
      expect((await clients.marketer.get('/dev/mailbox')).status).to.equal(403);
      expect((await clients.marketer.get(`/dev/mailbox/${id}`)).status).to.equal(403);
      expect((await clients.marketer.get('/')).body).not.to.contain('href="/dev/mailbox"');
      const del = await clients.marketer.submit('/deals', '/dev/mailbox/delete-all', {});
      expect(del.status).to.equal(403);
      expect(await CaughtMail.countDocuments()).to.equal(1);
    });

    it('sales and viewers cannot open it, and do not see it in the navigation', async () => {
      const sent = await sendHostile();
      const id = String((await CaughtMail.findOne({ messageId: sent.messageId }).lean())!._id);
      for (const role of ['sales', 'viewer'] as const) {
        expect((await clients[role].get('/dev/mailbox')).status, role).to.equal(403);
        expect((await clients[role].get(`/dev/mailbox/${id}`)).status, role).to.equal(403);
        expect((await clients[role].get('/')).body, role).not.to.contain('href="/dev/mailbox"');
      }
      const anonymous = await new Client(app.url).get('/dev/mailbox');
      expect(anonymous.status).to.equal(303);
      expect(anonymous.location).to.equal('/sign-in?next=%2Fdev%2Fmailbox');
    });

    it('an admin deletes everything with the form (CSRF checked), and it is audited', async () => {
      await sendHostile();
      await sendHostile();
      const forged = await clients.admin.post('/dev/mailbox/delete-all', {});
      expect(forged.status).to.equal(403);
      expect(await CaughtMail.countDocuments()).to.equal(2);
      const res = await clients.admin.submit('/dev/mailbox', '/dev/mailbox/delete-all', {});
      expect(res.status).to.equal(303);
      expect(res.location).to.equal('/dev/mailbox');
      expect(await CaughtMail.countDocuments()).to.equal(0);
      const after = await clients.admin.get('/dev/mailbox');
      expect(after.body).to.contain('Deleted 2 messages.').and.contain('No mail yet.');
      const entry = await AuditEntry.findOne({ action: 'mailbox.cleared' }).lean();
      expect(entry?.details).to.deep.include({ deleted: '2' });
    });

    it('answers 404 for a message that is not there', async () => {
      expect((await clients.admin.get('/dev/mailbox/0123456789abcdef01234567')).status).to.equal(404);
      expect((await clients.admin.get('/dev/mailbox/not-an-id')).status).to.equal(400);
    });

    it('is not there at all when SMTP_URL is set', async () => {
      const withSmtp = await startTestApp({ env: { SMTP_URL: 'smtp://user:pass@127.0.0.1:1' } });
      try {
        const admin = await buildUser('admin');
        const c = new Client(withSmtp.url);
        await c.signIn(admin.email, testPassword);
        expect((await c.get('/dev/mailbox')).status).to.equal(404);
        expect((await c.get('/')).body).not.to.contain('href="/dev/mailbox"');
      } finally {
        await withSmtp.close();
      }
    });
  });

  describe('configuration', () => {
    it('has a From and a catcher port by default', () => {
      const config = loadConfig({});
      expect(config.mailFrom).to.equal('Debrief <debrief@localhost>');
      expect(config.smtpCatcherPort).to.equal(0);
    });

    it('takes an address, or a name and an address', () => {
      expect(loadConfig({ MAIL_FROM: 'win-loss@example.com' }).mailFrom).to.equal('win-loss@example.com');
      expect(loadConfig({ MAIL_FROM: '"Acme, Win/Loss" <win-loss@example.com>' }).mailFrom).to.equal('"Acme, Win/Loss" <win-loss@example.com>');
      expect(loadConfig({ SMTP_CATCHER_PORT: '2525' }).smtpCatcherPort).to.equal(2525);
    });

    it('refuses what is not an address, without echoing it', () => {
      for (const value of ['Acme Win-Loss', 'Acme <acme>', 'a@example.com, b@example.com', 'Acme, Inc <a@example.com>', 'a@example.com\nBcc: x@example.com']) {
        let problems: string[] = [];
        try {
          loadConfig({ MAIL_FROM: value });
        } catch (err) {
          problems = (err as { problems: string[] }).problems;
        }
        expect(problems, value).to.have.length(1);
        expect(problems[0]).to.match(/^MAIL_FROM: must be an email address/);
        expect(problems[0]).not.to.contain(value);
      }
      expect(() => loadConfig({ SMTP_CATCHER_PORT: '70000' })).to.throw(/SMTP_CATCHER_PORT: must be between 0/);
    });
  });
});
