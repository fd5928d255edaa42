// The set-up checklist's rules: who sees it, that each step follows the real state (a saved program, a
// new questionnaire version, a finished import), that the SMTP test shows the server's own answer, a
// refusal included, and that only an admin puts it away (and brings it back).
import { expect } from 'chai';
import { createServer } from 'node:net';
import { createLogger } from '../../src/lib/logger.ts';
import { createMailer } from '../../src/lib/mailer.ts';
import { ImportRun } from '../../src/imports/model.ts';
import { programToForm } from '../../src/program/handlers.ts';
import { defaultProgram } from '../../src/program/model.ts';
import { currentTemplate, forgetCachedTemplates, saveTemplate } from '../../src/questionnaires/service.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

/** The state each step shows, by step id, read off the overview. */
function steps(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/data-step="(\w+)"[\s\S]*?<span class="setup-state">(Done|To do)<\/span>/g)].map((m) => [m[1]!, m[2]!]));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the set-up checklist', function () {
  this.timeout(60_000);
  useTestDatabase('setup_checklist');
  let app: TestApp;
  const clients: Record<string, Client> = {};
  let smtpUrl = '';

  before(async () => {
    // A mail server that is not there: the test email fails, and the page says what the mailer said.
    smtpUrl = `smtp://127.0.0.1:${await closedPort()}`;
    const mailer = createMailer({ smtpUrl, from: 'Acme <hello@acme.example>', logger: createLogger('silent') });
    app = await startTestApp({ mailer, env: { SMTP_URL: smtpUrl, MAIL_FROM: 'Acme <hello@acme.example>' } });
  });
  after(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await clearCollections();
    forgetCachedTemplates();
    for (const role of ['admin', 'marketer', 'sales', 'viewer'] as const) {
      const user = await buildUser(role);
      clients[role] = new Client(app.url);
      await clients[role].signIn(user.email, testPassword);
    }
  });

  it('shows to admins and marketers only', async () => {
    for (const role of ['admin', 'marketer']) expect((await clients[role]!.get('/')).body, role).to.contain('id="setup"');
    for (const role of ['sales', 'viewer']) expect((await clients[role]!.get('/')).body, role).not.to.contain('id="setup"');
    // Nor may they act on it.
    expect((await clients.sales!.submit('/', '/setup-checklist/confirm', { step: 'program' })).status).to.equal(403);
    expect((await clients.marketer!.submit('/', '/setup-checklist/smtp-test', {})).status).to.equal(403);
  });

  it('ticks each step from what is true: a marketer, a saved program, a finished import, a new questionnaire version', async () => {
    const before = steps((await clients.admin!.get('/')).body);
    // The marketer signed in above interviews: that step is done; the rest waits on real changes.
    expect(before).to.deep.include({ interviewer: 'Done', program: 'To do', questionnaire: 'To do', deals: 'To do', test_invitation: 'To do' });

    const saved = await clients.marketer!.submit('/settings/program', '/settings/program', { ...programToForm(defaultProgram), coolOffBusinessDays: '2' });
    expect(saved.status, 'the program saved').to.equal(303);
    expect(steps((await clients.admin!.get('/')).body).program).to.equal('Done');

    await ImportRun.create({
      status: 'done',
      source: 'csv',
      filename: 'deals.csv',
      delimiter: ',',
      rowCount: 1,
      chunkCount: 1,
      createdBy: { id: 'x', email: 'admin@debrief.test' },
    });
    expect(steps((await clients.admin!.get('/')).body).deals).to.equal('Done');

    const current = await currentTemplate();
    await saveTemplate(
      current.questions.map((q, i) => (i === 0 ? { ...q, label: `${q.label} (in a word)` } : q)),
      current.version,
      { type: 'user', email: 'marketer@debrief.test' },
    );
    const after = await clients.admin!.get('/');
    expect(steps(after.body).questionnaire).to.equal('Done');
    expect(after.body).to.contain('Saved: version 2,');
  });

  it('the SMTP test shows what the mail server answered, a refusal too, and the step stays to do', async () => {
    const res = await clients.admin!.submit('/', '/setup-checklist/smtp-test', {});
    expect(res.status).to.equal(303);
    expect(res.location).to.equal('/#setup');
    const page = await clients.admin!.get('/');
    expect(page.body).to.match(/The test email was not sent\. The server answered: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    expect(page.body).to.match(/data-smtp-answer>.*not sent; the server answered <code>connect ECONNREFUSED/);
    expect(steps(page.body).smtp).to.equal('To do');
    expect(page.body).to.contain(`Mail goes through ${smtpUrl}`);
  });

  it('an admin puts it away, and brings it back from Settings; a marketer cannot', async () => {
    expect((await clients.marketer!.submit('/', '/setup-checklist/dismiss', { dismissed: 'yes' })).status).to.equal(403);
    expect((await clients.admin!.submit('/', '/setup-checklist/dismiss', { dismissed: 'yes' })).status).to.equal(303);
    for (const role of ['admin', 'marketer']) expect((await clients[role]!.get('/')).body, role).not.to.contain('id="setup"');
    const settings = await clients.admin!.get('/settings');
    expect(settings.body).to.contain('Show it on the overview again');
    await clients.admin!.submit('/settings', '/setup-checklist/dismiss', { dismissed: 'no' });
    expect((await clients.marketer!.get('/')).body).to.contain('id="setup"');
  });
});
