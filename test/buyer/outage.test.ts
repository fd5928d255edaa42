// The buyer's form while the database is away, on an engine of this file's own that is really stopped
// and started again: a step that could not be stored says so, never thanks the buyer, and keeps what
// they typed in a form they can send again; sent again once the database is back, it is stored once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { startEngine, type Engine } from '../../src/lib/engine.ts';
import { withDatabaseName } from '../../src/lib/db.ts';
import { ensureIndexes } from '../../src/server.ts';
import { buildUser } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from './helpers.ts';

/** The hidden fields of the page's form to send again, as the browser would send them. */
function resendForm(page: string): { action: string; fields: [string, string][] } | null {
  const form = /<form method="post" action="([^"]+)" class="resend-form">([\s\S]*?)<\/form>/.exec(page);
  if (!form) return null;
  const unescape = (s: string) => s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields = [...form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m): [string, string] => [
    unescape(m[1]!),
    unescape(m[2]!),
  ]);
  return { action: unescape(form[1]!), fields };
}

describe('the buyer’s form while the database is away', function () {
  this.timeout(90_000);
  let dataDir: string;
  let engine: Engine;
  let app: TestApp;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'debrief-outage-'));
    engine = await startEngine({ dataDir });
    await mongoose.connect(withDatabaseName(engine.uri, 'outage'), { serverSelectionTimeoutMS: 2000 });
    await ensureIndexes();
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
    await mongoose.disconnect();
    await engine?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says the answers are not sent, keeps them in a form to send again, and stores them once when sent again', async () => {
    await buildUser('admin');
    await buildUser('marketer', { name: 'Mia Marketer' });
    const iv = await invitedInterview(app.config);
    const post = (path: string, body: string) =>
      fetch(`${app.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const steps = defaultAnswerSteps.length;
    for (let i = 0; i < steps - 1; i += 1) expect((await post(iv.path, formBody({ _step: String(i + 1), ...defaultAnswerSteps[i]! }))).status).to.equal(303);
    const typed = { ...defaultAnswerSteps[steps - 1]!, a_missing_info: 'A security whitepaper, & a "pilot" <soon>.' };

    await engine.stop();
    const failed = await post(iv.path, formBody({ _step: String(steps), ...typed }));
    const page = await failed.text();
    expect(failed.status).to.be.at.least(500);
    expect(failed.headers.get('location')).to.equal(null);
    expect(page).to.contain('We could not store your answers just now').and.not.contain('Thank you');
    const resend = resendForm(page);
    expect(resend, 'a form to send again').not.to.equal(null);
    expect(resend!.action).to.equal(iv.path);
    expect(resend!.fields).to.deep.include.members([
      ['_step', String(steps)],
      ['a_missing_info', typed.a_missing_info],
    ]);

    engine = await startEngine({ dataDir, port: Number(new URL(engine.uri).port) });
    const again = await post(resend!.action, new URLSearchParams(resend!.fields).toString());
    expect(again.status).to.equal(303);
    expect(again.headers.get('location')).to.equal('/i/thanks');
    const stored = await InterviewResponse.find({ interviewId: iv.interviewId }).lean();
    expect(stored).to.have.length(1);
    expect(JSON.stringify(stored[0]!.answers)).to.contain('A security whitepaper, & a \\"pilot\\" <soon>.');
    expect((await Interview.findById(iv.interviewId).lean())?.state).to.equal('completed');
  });
});
