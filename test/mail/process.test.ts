// Where mail goes when Debrief runs as real processes: the worker runs the SMTP catcher and keeps what it
// catches in the database, a separate web process shows it; with SMTP_URL there is no catcher, no mailbox
// and no credential in the logs.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/lib/logger.ts';
import { createMailer } from '../../src/lib/mailer.ts';
import { Client } from '../helpers/client.ts';
import { freePort, startAppProcess, type AppProcess } from '../helpers/process.ts';

const admin = { name: 'Ada Admin', email: 'ada@debrief.test', password: 'plum orchard telescope 42' };

describe('mail in running processes', function () {
  this.timeout(90000);
  const running: AppProcess[] = [];
  const dataDirs: string[] = [];
  const start = (role: 'all' | 'web' | 'worker', env: Record<string, string>) => {
    const app = startAppProcess(role, { DEMO_DATA: 'false', ...env });
    running.push(app);
    return app;
  };
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'debrief-mail-'));
    dataDirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const app of running.splice(0)) {
      if (app.child.exitCode === null) {
        app.child.kill('SIGKILL');
        await app.exited;
      }
    }
  });
  after(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('the worker catches mail on SMTP_CATCHER_PORT and a separate web process shows it', async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const catcherPort = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), SMTP_CATCHER_PORT: String(catcherPort) };
    const web = start('web', env);
    await web.waitForLog(/^Debrief is listening on/);
    expect(String((await web.waitForLog(/^mail: /)).msg)).to.match(
      /^mail: sent by the job worker to its SMTP catcher \(see http:\/\/localhost:\d+\/dev\/mailbox\)$/,
    );
    const worker = start('worker', env);
    const line = await worker.waitForLog(/^mail: /);
    expect(String(line.msg)).to.equal(`mail: SMTP catcher on smtp://127.0.0.1:${catcherPort} (see http://localhost:${port}/dev/mailbox)`);
    await worker.waitForLog(/^job worker started$/);

    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${catcherPort}`, from: 'Debrief <debrief@localhost>', logger: createLogger('silent') });
    try {
      await mailer.send({ to: 'bea@buyer.test', subject: 'Caught by the worker', html: '<p>Hello</p>', text: 'Hello' });
    } finally {
      await mailer.close();
    }

    const client = new Client(`http://127.0.0.1:${port}`);
    expect((await client.submit('/setup', '/setup', { ...admin, confirm: admin.password })).status).to.equal(303);
    const mailbox = await client.get('/dev/mailbox');
    expect(mailbox.status).to.equal(200);
    expect(mailbox.body).to.contain('Caught by the worker').and.contain('bea@buyer.test');

    worker.child.kill('SIGTERM');
    expect(await worker.exited).to.equal(0);
    web.child.kill('SIGTERM');
    expect(await web.exited).to.equal(0);
  });

  it('production refuses to start without SMTP_URL, and with SMTP_CATCHER=true says loudly that no mail leaves', async () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'a-session-secret-of-32-characters!', DATA_DIR: newDataDir() };
    const port = await freePort();
    const refused = start('all', { ...production, PORT: String(port), APP_URL: `http://localhost:${port}` });
    expect(await refused.exited).to.equal(1);
    expect(refused.stderr.join('\n')).to.contain('SMTP_URL: is required in production').and.contain('SMTP_CATCHER=true');

    const wanted = start('all', { ...production, PORT: String(port), APP_URL: `http://localhost:${port}`, SMTP_CATCHER: 'true' });
    const loud = await wanted.waitForLog(/^MAIL GOES NOWHERE/);
    expect(loud.level).to.equal(40); // warn
    expect(String(loud.msg)).to.contain('no email reaches anyone').and.contain('Set SMTP_URL');
    await wanted.waitForLog(/^Debrief is listening on/);
    wanted.child.kill('SIGTERM');
    expect(await wanted.exited).to.equal(0);
  });

  it('with SMTP_URL: names the server without its credentials, runs no catcher and has no mailbox', async () => {
    const port = await freePort();
    const app = start('all', { DATA_DIR: newDataDir(), PORT: String(port), SMTP_URL: 'smtps://mailuser:hunter2-secret@smtp.example.com:465' });
    await app.waitForLog(/^Debrief is listening on/);
    expect(String((await app.waitForLog(/^mail: /)).msg)).to.equal('mail: SMTP server smtps://smtp.example.com:465');
    const client = new Client(`http://127.0.0.1:${port}`);
    await client.submit('/setup', '/setup', { ...admin, confirm: admin.password });
    expect((await client.get('/dev/mailbox')).status).to.equal(404);
    app.child.kill('SIGTERM');
    expect(await app.exited).to.equal(0);
    const logs = [...app.logs.map((l) => JSON.stringify(l)), ...app.stderr].join('\n');
    expect(logs).not.to.contain('hunter2-secret');
    expect(logs).not.to.contain('mailuser');
    expect(logs).not.to.contain('SMTP catcher on');
  });
});
