// No secret in a path (the token of an invitation, a password reset, a buyer's form or unsubscribe link)
// reaches a log line, an audit entry or an error report: a person signs up, resets their password, a
// buyer answers the form and unsubscribes, all through the real app with its job worker and SMTP
// catcher, and the captured log is searched for every secret those links held.
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApp } from '../src/app.ts';
import { AuditEntry } from '../src/audit/model.ts';
import { markLost, upsertDeal } from '../src/deals/lifecycle.ts';
import { Interview } from '../src/interviews/model.ts';
import { errorHandler } from '../src/lib/http/errors.ts';
import { routeTable, secretParams, secretPathGuards } from '../src/lib/http/secret-paths.ts';
import type { CaughtMailDoc } from '../src/mail/model.ts';
import { dispatchNewInterviews } from '../src/outbox/dispatch.ts';
import { schedulerFor, sendInvitationNow } from '../src/outbox/schedule.ts';
import { defaultAnswerSteps, formBody } from './buyer/helpers.ts';
import { competitorLoss, dealInputFor } from './factories/deals.ts';
import { buildUser, testPassword } from './factories/users.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { useTestDatabase } from './helpers/db.ts';
import { captureLogs } from './helpers/logs.ts';
import { startTestMail, type TestMail } from './helpers/mail.ts';
import { drainJobs } from './helpers/outbox.ts';
import { pinoHttp } from 'pino-http';

describe('secrets in paths never reach the logs', () => {
  useTestDatabase('secret_paths');
  const logs = captureLogs('trace');
  let app: TestApp;
  let mail: TestMail;
  before(async () => {
    mail = await startTestMail();
    app = await startTestApp({ logger: logs.logger, mailer: mail.mailer, worker: true });
  });
  after(async () => {
    await app.close();
    await mail.close();
  });

  async function mailTo(address: string, subject: RegExp): Promise<CaughtMailDoc> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await drainJobs();
      const found = (await mail.caught()).find((m) => m.envelopeTo.includes(address) && subject.test(m.subject));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail to ${address} matching ${subject}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const pathIn = (m: CaughtMailDoc, pattern: RegExp) => {
    const found = pattern.exec(`${m.text}\n${m.headers.map((h) => h.value).join('\n')}`);
    if (!found) throw new Error(`no link matching ${pattern} in "${m.subject}"`);
    return new URL(found[0]).pathname;
  };
  const lastSegment = (path: string) => path.split('/')[2]!;

  it('signing up, resetting a password, answering the form and unsubscribing log no secret', async function () {
    this.timeout(120_000);
    const secrets: string[] = [];
    const admin = await buildUser('admin');
    await buildUser('marketer', { name: 'Mia Marketer' });
    const staff = new Client(app.url);
    await staff.signIn(admin.email, testPassword);

    // Signing up through an invitation.
    await staff.submit('/admin/users', '/admin/users/invite', { name: 'Nia New', email: 'nia@debrief.test', role: 'viewer' });
    const invite = pathIn(await mailTo('nia@debrief.test', /invit/i), /https?:\/\/\S+\/invite\/[\w-]+/);
    secrets.push(lastSegment(invite));
    const nia = new Client(app.url);
    expect((await nia.get(invite)).status).to.equal(200);
    expect((await nia.submit(invite, invite, { password: 'green kettle harbour light', confirm: 'green kettle harbour light' })).status).to.equal(303);
    await nia.post('/sign-out', {});

    // Resetting the password.
    const stranger = new Client(app.url);
    await stranger.submit('/forgot-password', '/forgot-password', { email: 'nia@debrief.test' });
    const reset = pathIn(await mailTo('nia@debrief.test', /password/i), /https?:\/\/\S+\/reset-password\/[\w-]+/);
    secrets.push(lastSegment(reset));
    expect((await stranger.get(reset)).status).to.equal(200);
    expect((await stranger.submit(reset, reset, { password: 'violet lantern on the quay', confirm: 'violet lantern on the quay' })).status).to.equal(303);

    // A buyer's invitation: their form's link and their unsubscribe link.
    const input = dealInputFor();
    const { deal } = await upsertDeal(input, { type: 'system' }, 'api');
    await markLost(deal._id, competitorLoss, { type: 'system' }, 'api');
    const interview = (await Interview.findOne({ dealId: deal._id }).lean())!;
    await dispatchNewInterviews(schedulerFor(app.queue));
    await sendInvitationNow(app.queue, interview._id);
    const invitation = await mailTo(input.contacts[0]!.email, /./);
    const form = pathIn(invitation, /https?:\/\/\S+\/i\/[\w.~-]+/);
    const optOut = pathIn(invitation, /https?:\/\/\S+\/u\/[\w.~-]+/);
    secrets.push(lastSegment(form), lastSegment(optOut), lastSegment(optOut).split('.').at(-1)!);

    // Answering the form, step by step, with an autosave on the way.
    const buyer = (path: string, init: RequestInit = {}) => fetch(`${app.url}${path}`, { redirect: 'manual', ...init });
    expect((await buyer(form)).status).to.equal(200);
    const autosave = await buyer(`${form}/answers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ question: 'a_stage', value: 'proposal' }),
    });
    expect(autosave.status).to.be.below(500);
    for (const [i, step] of defaultAnswerSteps.entries()) {
      const res = await buyer(form, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), _action: i === defaultAnswerSteps.length - 1 ? 'submit' : 'next', ...step }),
      });
      expect(res.status, `step ${i + 1}`).to.equal(303);
    }
    expect((await buyer('/i/thanks')).status).to.equal(200);
    // Paths below a secret route that no route takes, and a request refused before its route.
    expect((await buyer(`${form}/nowhere`)).status).to.equal(404);
    expect((await buyer(`${invite}/nowhere`)).status).to.equal(404);
    expect(
      (await buyer(form, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }))
        .status,
    ).to.equal(403);

    // Unsubscribing: the page, then the one-click POST.
    expect((await buyer(optOut)).status).to.equal(200);
    expect(
      (await buyer(optOut, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status,
    ).to.be.below(400);
    expect((await buyer(`${optOut}/extra`)).status).to.equal(404);
    await drainJobs();

    const text = logs.text();
    // The requests were logged, with their secrets masked...
    for (const path of ['/invite/…', '/reset-password/…', '/i/…', '/i/…/answers', '/i/…/nowhere', '/u/…']) expect(text).to.contain(`"path":"${path}"`);
    expect(text).to.contain('"path":"/i/thanks"'); // a route of its own, not a token
    // ...and no secret anywhere, nor in the audit log.
    const audit = JSON.stringify(await AuditEntry.find({}).lean());
    for (const secret of secrets) {
      expect(secret.length).to.be.above(15);
      expect(text, 'the log').not.to.contain(secret);
      expect(audit, 'the audit log').not.to.contain(secret);
    }
  });

  it('every route parameter named like a secret is declared one by its router, so none is logged', async () => {
    const built = createApp({
      config: app.config,
      logger: logs.logger,
      database: { kind: 'embedded', uri: '', description: 'test', close: async () => {} },
      queue: app.queue,
    });
    const table = routeTable(built);
    expect(table.length).to.be.above(50);
    const undeclared = table.flatMap(({ path, secret }) =>
      [...path.matchAll(/[:*](\w*(?:token|secret|signature|key)\w*)/gi)]
        .map((m) => m[1]!)
        .filter((name) => !secret.includes(name))
        .map((name) => `${path} (${name})`),
    );
    expect(undeclared).to.deep.equal([]);
    expect(table.filter((r) => r.secret.length > 0).map((r) => r.path)).to.include.members([
      '/i/:token',
      '/invite/:token',
      '/reset-password/:token',
      '/u/:token',
      '/r/hold-off/:token',
      '/r/debrief/:token',
    ]);
  });

  it('an error report under a secret route carries no secret, in its path or its message', async () => {
    // A route like the app's own, through the same guards, logger and error handler, that fails with the
    // token in its error, as a bug could.
    const captured = captureLogs('trace');
    const failing = express();
    const guards = secretPathGuards(failing);
    failing.use(guards.before);
    failing.use(
      pinoHttp({
        logger: captured.logger,
        serializers: {
          req: (req: { method: string; raw: Parameters<typeof guards.loggedPath>[0] }) => ({ method: req.method, path: guards.loggedPath(req.raw) }),
        },
      }),
    );
    failing.use(guards.after);
    const links = express.Router();
    secretParams(links, 'token');
    links.get('/:token', (req) => {
      throw new Error(`no link ${String(req.params.token)} here`);
    });
    failing.use('/link', links);
    failing.use(errorHandler(captured.logger));
    const server = failing.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const token = 'tOk3n-0123456789abcdefghijklmnop';
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/link/${token}`, { headers: { accept: 'application/json' } });
      expect(res.status).to.equal(500);
      const text = captured.text();
      expect(text).to.contain('unhandled error').and.contain('no link … here').and.contain('"path":"/link/…"');
      expect(text).not.to.contain(token);
    } finally {
      server.close();
    }
  });
});
