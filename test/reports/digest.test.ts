// The weekly digest: its settings page, sending through the real queue and outbox to the SMTP catcher
// (once per person per week, however often the job runs), and the optional post to a chat webhook,
// checked against a local HTTP server.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { reportsDigestJob } from '../../jobs/reports-digest.ts';
import { saveHookSettings } from '../../src/hooks/model.ts';
import { forgetCachedTemplates } from '../../src/questionnaires/service.ts';
import { digestWeek, runWeeklyDigest } from '../../src/reports/digest.ts';
import { loadDigestSettings, saveDigestSettings, type DigestSettings } from '../../src/reports/digest-settings.ts';
import { User } from '../../src/accounts/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { drainJobs } from '../helpers/outbox.ts';
import { seedReportData } from './seed.ts';

const system = { type: 'system' as const };
// Tuesday 17 February 2026, 10:00 UTC: ISO week 2026-W08. The digest is set for Tuesdays at 09:00.
const tuesday = new Date('2026-02-17T10:00:00Z');
const settings: DigestSettings = { enabled: true, weekday: 2, time: '09:00', recipients: 'sales', emails: [], webhookFormat: 'slack' };

interface Hook {
  url: string;
  bodies: unknown[];
  status: number;
  close(): Promise<void>;
}

async function startHook(): Promise<Hook> {
  const hook: Hook = { url: '', bodies: [], status: 200, close: async () => {} };
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => resolve(body));
    });
  const server: Server = createServer((req, res) => {
    void read(req).then((body) => {
      hook.bodies.push({ path: req.url, contentType: req.headers['content-type'], json: JSON.parse(body) as unknown });
      res.statusCode = hook.status;
      res.end(hook.status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  hook.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return hook;
}

describe('the weekly digest', function () {
  this.timeout(60_000);
  useTestDatabase('reports_digest');

  it('is due from the configured day and time of the ISO week, in the program’s time zone', () => {
    expect(digestWeek(tuesday, 'UTC', settings)).to.deep.include({ week: '2026-W08', due: true });
    expect(digestWeek(new Date('2026-02-17T08:59:00Z'), 'UTC', settings).due).to.equal(false);
    expect(digestWeek(new Date('2026-02-16T23:00:00Z'), 'UTC', settings).due).to.equal(false);
    // 09:00 in Berlin is 08:00 UTC in February.
    expect(digestWeek(new Date('2026-02-17T08:30:00Z'), 'Europe/Berlin', settings)).to.deep.include({ due: true, dueAt: new Date('2026-02-17T08:00:00Z') });
    // Sunday night in New York is already next week's Monday in UTC, but not there.
    expect(digestWeek(new Date('2026-02-23T02:00:00Z'), 'America/New_York', settings).week).to.equal('2026-W08');
  });

  describe('sending', () => {
    let mail: TestMail;
    let app: TestApp;
    before(async () => {
      mail = await startTestMail();
      app = await startTestApp({ mailer: mail.mailer, worker: true });
    });
    after(async () => {
      await app.close();
      await mail.close();
    });
    beforeEach(async () => {
      await clearCollections();
      forgetCachedTemplates();
      await seedReportData();
    });

    it('sends each sales user one digest with the week’s answers, themes and quotes, even when the job runs twice', async () => {
      const sales1 = await buildUser('sales', { name: 'Sasha Sales', email: 'sasha@debrief.test' });
      const sales2 = await buildUser('sales', { name: 'Theo Sales', email: 'theo@debrief.test' });
      const gone = await buildUser('sales', { email: 'gone@debrief.test' });
      await User.updateOne({ _id: gone._id }, { $set: { disabled: true } });
      await buildUser('marketer', { email: 'mia@debrief.test' });
      await saveDigestSettings(settings, system);

      const first = await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: tuesday });
      const second = await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: new Date(tuesday.getTime() + 3_600_000) });
      expect(first).to.deep.include({ status: 'sent', week: '2026-W08', scheduled: 2, recipients: 2 });
      expect(second).to.deep.include({ status: 'sent', scheduled: 0 });
      await drainJobs(['email.send']);

      const caught = await mail.caught();
      expect(caught.map((m) => m.envelopeTo.join(',')).sort()).to.deep.equal([sales1.email, sales2.email].sort());
      const message = caught.find((m) => m.envelopeTo.includes(sales1.email))!;
      expect(message.subject).to.equal('Debrief weekly digest, 2026-W08: 3 new answers');
      const text = message.text ?? '';
      expect(text).to.contain('Hello Sasha Sales,');
      expect(text).to.contain('3 new buyer answers this week (10 Feb to 17 Feb), 7 answers in all; 2 deals were lost this week.');
      expect(text).to.contain('Top themes in what buyers told us:');
      expect(text).to.contain('- Integrations with their stack: 57% (1 new this week)');
      expect(text).to.contain('- Price or commercial terms: 43% (2 new this week)');
      expect(text).to.contain('"@SUM(A1:A9) was the joke in the room" (A buyer');
      expect(text).to.contain(`${app.config.appUrl}/reports`);
      expect(message.html).to.contain(`href="${app.config.appUrl}/reports"`);
      expect(message.html).to.contain('@SUM(A1:A9) was the joke in the room');
    });

    it('the hourly job, run twice through the queue, sends the digest once', async () => {
      const sales = await buildUser('sales');
      // Due since midnight today (UTC, the program's default time zone).
      await saveDigestSettings({ ...settings, weekday: ((new Date().getUTCDay() + 6) % 7) + 1, time: '00:00' }, system);
      await app.queue.enqueue(reportsDigestJob, {});
      await drainJobs(['reports.digest', 'email.send']);
      await app.queue.enqueue(reportsDigestJob, {});
      await drainJobs(['reports.digest', 'email.send']);
      const caught = await mail.caught();
      expect(caught.map((m) => m.envelopeTo.join(','))).to.deep.equal([sales.email]);
      expect(caught[0]!.subject).to.match(/^Debrief weekly digest, \d{4}-W\d{2}/);
    });

    it('sends nothing before its time, nor when it is off, and goes to a list of addresses when set', async () => {
      await buildUser('sales');
      await saveDigestSettings(settings, system);
      expect((await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: new Date('2026-02-17T08:00:00Z') })).status).to.equal('not_yet');
      await saveDigestSettings({ ...settings, enabled: false }, system);
      expect((await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: tuesday })).status).to.equal('off');
      await saveDigestSettings({ ...settings, recipients: 'list', emails: ['lead@partner.example'] }, system);
      const run = await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: tuesday });
      expect(run).to.deep.include({ status: 'sent', scheduled: 1 });
      await drainJobs(['email.send']);
      expect((await mail.caught()).map((m) => m.envelopeTo.join(','))).to.deep.equal(['lead@partner.example']);
    });

    it('posts once a week to a Slack webhook, and tries again next hour when the post fails', async () => {
      const hook = await startHook();
      try {
        await saveDigestSettings({ ...settings, recipients: 'list', emails: ['lead@partner.example'], webhookUrl: hook.url }, system);
        // A private address (this receiver is on loopback) is refused until an admin allows them.
        await saveHookSettings(false, 'admin@debrief.test');
        expect((await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: tuesday })).chat).to.equal('failed');
        expect(hook.bodies).to.have.length(0);
        await saveHookSettings(true, 'admin@debrief.test');
        hook.status = 500;
        expect((await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: tuesday })).chat).to.equal('failed');
        hook.status = 200;
        expect((await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: tuesday })).chat).to.equal('posted');
        expect((await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: tuesday })).chat).to.equal('already');
        expect(hook.bodies).to.have.length(2);
        const posted = hook.bodies[1] as { path: string; contentType: string; json: { text: string } };
        expect(posted.path).to.equal('/hook');
        expect(posted.contentType).to.equal('application/json');
        expect(posted.json.text).to.match(/^\*Debrief weekly digest, 2026-W08\*\n3 new buyer answers this week/);
        expect(posted.json.text).to.contain(`<${app.config.appUrl}/reports|Open the deal-review report>`);
      } finally {
        await hook.close();
      }
    });

    it('posts a MessageCard to a Teams webhook', async () => {
      const hook = await startHook();
      try {
        await saveDigestSettings({ ...settings, recipients: 'list', emails: ['lead@partner.example'], webhookUrl: hook.url, webhookFormat: 'teams' }, system);
        await saveHookSettings(true, 'admin@debrief.test'); // the receiver is on loopback
        expect((await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: tuesday })).chat).to.equal('posted');
        const card = (hook.bodies[0] as { json: Record<string, string> }).json;
        expect(card['@type']).to.equal('MessageCard');
        expect(card.title).to.equal('Debrief weekly digest, 2026-W08');
        expect(card.text).to.contain(`[Open the deal-review report](${app.config.appUrl}/reports)`);
      } finally {
        await hook.close();
      }
    });
  });

  describe('the settings page', () => {
    let app: TestApp;
    let client: Client;
    before(async () => {
      await clearCollections();
      app = await startTestApp();
      const admin = await buildUser('admin');
      client = new Client(app.url);
      await client.signIn(admin.email, testPassword);
    });
    after(async () => {
      await app.close();
    });

    it('refuses a bad time, a bad address and a webhook URL that is not https, naming each field', async () => {
      const res = await client.submit('/settings/digest', '/settings/digest', {
        enabled: 'on',
        weekday: '9',
        time: '25:00',
        recipients: 'list',
        emails: 'ok@example.com, not-an-address',
        webhookUrl: 'http://hooks.example.com/x',
        webhookFormat: 'slack',
      });
      expect(res.status).to.equal(400);
      expect(res.body).to.contain('Choose a day.');
      expect(res.body).to.contain('Enter a time as HH:MM, such as 09:00.');
      expect(res.body).to.contain('“not-an-address” is not an email address.');
      expect(res.body).to.contain('Enter the https:// address your chat tool gave you for an incoming webhook.');
      expect(res.body).to.contain('value="http://hooks.example.com/x"'); // what was typed comes back
      expect((await loadDigestSettings()).enabled).to.equal(false);
    });

    it('saves good settings and says when this week’s digest goes', async () => {
      const res = await client.submit('/settings/digest', '/settings/digest', {
        enabled: 'on',
        weekday: '5',
        time: '16:30',
        recipients: 'list',
        emails: 'Lead@Partner.example\nsecond@partner.example',
        webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX',
        webhookFormat: 'slack',
      });
      expect(res.status).to.equal(303);
      expect(await loadDigestSettings()).to.deep.equal({
        enabled: true,
        weekday: 5,
        time: '16:30',
        recipients: 'list',
        emails: ['lead@partner.example', 'second@partner.example'],
        webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX',
        webhookFormat: 'slack',
      });
      const page = await client.get('/settings/digest');
      expect(page.body).to.contain('Digest settings saved.');
      expect(page.body).to.match(/This week’s digest \(\d{4}-W\d{2}\)/);
      expect((await client.get('/settings')).body).to.contain('href="/settings/digest"');
    });
  });
});
