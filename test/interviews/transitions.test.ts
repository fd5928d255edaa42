// Conflicting changes to one interview from two processes, hundreds of times: the buyer completes the
// form (this process, through HTTP) while another process sends reminders and expires interviews, as
// the job worker does. Only what the state machine allows may come out: a completion is never undone
// by a reminder, and an interview ends either completed or expired, never both.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { FormDraft } from '../../src/buyer/model.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { answerThroughTheForm, seedDrafts, seedInvitedInterviews, stepBody } from '../../bench/drill-lib.ts';
import { buildUser } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { defaultAnswerSteps } from '../buyer/helpers.ts';

describe('interview transitions from two processes at once', function () {
  this.timeout(180_000);
  const db = useTestDatabase('transitions');
  let app: TestApp;
  before(async () => {
    await buildUser('marketer', { name: 'Mia Marketer' });
    app = await startTestApp();
  });
  after(async () => app?.close());

  it('a buyer completing while the worker reminds and expires: only the outcomes the machine allows', async () => {
    const count = 300;
    const seeded = await seedInvitedInterviews(count, { label: 'race' });
    // One buyer answers every step but the last through the form; the others get that draft as stored.
    const last = defaultAnswerSteps.length;
    await answerThroughTheForm(app.url, seeded[0]!.token, last - 1);
    const reference = (await FormDraft.findById(seeded[0]!.interviewId).lean<{ answers: Record<string, unknown>; step: number }>())!;
    await seedDrafts(seeded.slice(1), reference.answers as never, reference.step);

    const worker = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/transition-worker.ts', db.uri(), seeded.map((s) => String(s.interviewId)).join(',')],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const lines: string[] = [];
    const ready = new Promise<void>((resolve) =>
      createInterface({ input: worker.stdout! }).on('line', (line) => {
        lines.push(line);
        if (line === 'ready') resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
    await ready;

    // Eight buyers at a time send their last step while the worker goes round and round.
    const thanked = new Set<string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < seeded.length) {
          const s = seeded[next++]!;
          const res = await fetch(`${app.url}/i/${s.token}`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: stepBody(last),
          });
          if (res.status === 303 && res.headers.get('location') === '/i/thanks') thanked.add(String(s.interviewId));
        }
      }),
    );
    worker.stdin!.end();
    expect(await exited).to.equal(0);
    const outcome = JSON.parse(lines.at(-1)!) as { reminded: string[]; expired: string[] };

    const interviews = await Interview.find({ _id: mongoose.trusted({ $in: seeded.map((s) => s.interviewId) }) }).lean();
    const responses = new Set(
      (await InterviewResponse.find({ interviewId: mongoose.trusted({ $in: seeded.map((s) => s.interviewId) }) }).lean()).map((r) => String(r.interviewId)),
    );
    let remindedThenCompleted = 0;
    for (const iv of interviews) {
      const id = String(iv._id);
      const states = iv.timeline.map((t) => t.state);
      expect(['completed', 'expired', 'reminded'], `${id}: ${states.join(' → ')}`).to.include(iv.state);
      expect(states.filter((s) => s === 'completed').length, `${id}: completed at most once`).to.be.at.most(1);
      expect(states.includes('completed') && states.includes('expired'), `${id}: completed and expired`).to.equal(false);
      if (states.includes('completed')) {
        expect(states.at(-1), `${id}: nothing after completed (${states.join(' → ')})`).to.equal('completed');
        expect(responses.has(id), `${id}: completed with its answers`).to.equal(true);
      }
      if (iv.state === 'expired') expect(outcome.expired, `${id}: expired by the worker`).to.include(id);
      if (iv.state === 'reminded') expect.fail(`${id} ended reminded: the buyer's completion was lost (${states.join(' → ')})`);
      if (states.includes('reminded') && states.includes('completed')) remindedThenCompleted += 1;
    }
    // Each side won some races, so the races were real.
    expect(remindedThenCompleted, 'reminded, then completed').to.be.greaterThan(0);
    expect(interviews.filter((i) => i.state === 'completed').length, 'completed').to.be.greaterThan(count / 2);
    expect(thanked.size).to.be.greaterThan(count / 2);
  });
});
