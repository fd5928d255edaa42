// Nothing a stranger can see tells which email addresses have an account: the sign-in lockout answers
// the same for every address, and neither sign-in nor "Forgot your password?" takes measurably longer
// for a real account. Real app, real job worker, real SMTP catcher.
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { AuditEntry } from '../../src/audit/model.ts';
import { buildUser } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { drainJobs } from '../helpers/outbox.ts';

/** The body's visible message, without the per-request CSRF token and echoed address. */
function messageOf(body: string): string {
  return /<div class="error-summary"[\s\S]*?<\/div>|<p class="notice"[\s\S]*?<\/p>|<p class="lead"[\s\S]*?<\/p>/.exec(body)?.[0] ?? '';
}

/** What a request costs without the machine's noise: other work only ever adds time, so the mean of the fastest quarter. */
function fastQuarter(values: number[]): number {
  const fastest = [...values].sort((a, b) => a - b).slice(0, Math.max(1, Math.floor(values.length / 4)));
  return fastest.reduce((a, b) => a + b, 0) / fastest.length;
}

describe('which addresses have an account is not told', () => {
  useTestDatabase('enumeration');
  let app: TestApp;
  let mail: TestMail;
  before(async () => {
    mail = await startTestMail();
    // The job worker is started by the one test that needs it, after its timed requests: background work
    // in this process would only add noise to the timings.
    app = await startTestApp({ mailer: mail.mailer });
  });
  after(async () => {
    await app.close();
    await mail.close();
  });
  beforeEach(async () => {
    await clearCollections();
    await buildUser('admin');
  });
  // The per-network limits (30 sign-ins, 20 link requests a quarter of an hour) are not what is tested here.
  const forgetRateLimits = () => mongoose.connection.db!.collection('ratelimits').deleteMany({});

  async function signIn(c: Client, email: string, password: string): Promise<{ status: number; message: string; ms: number }> {
    const page = await c.get('/sign-in');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await forgetRateLimits();
    const started = performance.now();
    const res = await c.post('/sign-in', { _csrf: csrf, email, password });
    return { status: res.status, message: messageOf(res.body), ms: performance.now() - started };
  }

  it('five wrong passwords lock an unknown address exactly as they lock a real account', async () => {
    const real = await buildUser('sales');
    const unknown = 'nobody-here@debrief.test';
    const answers = async (email: string) => {
      const c = new Client(app.url);
      const out: { status: number; message: string }[] = [];
      for (let i = 0; i < 6; i++) {
        const { status, message } = await signIn(c, email, `wrong guess number ${i}`);
        out.push({ status, message });
      }
      return out;
    };
    const forReal = await answers(real.email);
    const forUnknown = await answers(unknown);
    expect(forReal.map((a) => a.status)).to.deep.equal([401, 401, 401, 401, 429, 429]);
    expect(forUnknown).to.deep.equal(forReal);
    expect(forUnknown[4]!.message).to.contain('Too many failed attempts. Try again in 1 minute');
    // The audit log still says which was which, for the admins.
    const reasons = (await AuditEntry.find({ action: 'sign_in.failed' }).lean()).map(
      (e) => (e.details as unknown as Record<string, string> | undefined)?.reason,
    ); // lean() gives the Map as an object
    expect(reasons.filter((r) => r === 'password')).to.have.length(5);
    expect(reasons.filter((r) => r === 'unknown')).to.have.length(5);
  });

  it('a locked address answers as fast whether or not it has an account', async () => {
    // Before, a locked account answered without checking a password while an unknown address (never
    // locked) had a hash checked: about 20 ms apart. Now both are locked, and both answer at once.
    const real = await buildUser('sales');
    const unknownAddress = 'stranger@debrief.test';
    const known: number[] = [];
    const unknown: number[] = [];
    const statuses = new Set<number>();
    const c = new Client(app.url);
    for (let i = 0; i < 5; i++) for (const email of [real.email, unknownAddress]) await signIn(c, email, `wrong guess ${i}`);
    for (let i = 0; i < 30; i++) {
      // Which goes first alternates, so that neither is always the one after the other.
      const runs = [
        async () => {
          const r = await signIn(c, real.email, `wrong again ${i}`);
          statuses.add(r.status);
          known.push(r.ms);
        },
        async () => {
          const r = await signIn(c, unknownAddress, `wrong again ${i}`);
          statuses.add(r.status);
          unknown.push(r.ms);
        },
      ];
      for (const run of i % 2 ? runs : runs.reverse()) await run();
    }
    expectSameTime(known, unknown);
    expect([...statuses]).to.deep.equal([429]);
  });

  async function forgot(c: Client, email: string): Promise<{ status: number; message: string; ms: number }> {
    const page = await c.get('/forgot-password');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await forgetRateLimits();
    const started = performance.now();
    const res = await c.post('/forgot-password', { _csrf: csrf, email });
    return { status: res.status, message: messageOf(res.body), ms: performance.now() - started };
  }

  it('"Forgot your password?" answers the same, as fast, for a real account and an unknown address; only the real one gets mail', async () => {
    const real = await buildUser('marketer');
    const c = new Client(app.url);
    const known: number[] = [];
    const unknown: number[] = [];
    let answers: { status: number; message: string }[] = [];
    for (let i = 0; i < 24; i++) {
      const ask = async (email: string, into: number[]) => {
        const answer = await forgot(c, email);
        into.push(answer.ms);
        return { status: answer.status, message: answer.message.replace(/<strong>[^<]*<\/strong>/, 'ADDRESS') };
      };
      // Which goes first alternates, so that neither is always the one after the other.
      const a = i % 2 ? await ask(real.email, known) : undefined;
      const b = await ask(`stranger${i}@debrief.test`, unknown);
      answers = [a ?? (await ask(real.email, known)), b];
      expect(answers[1]).to.deep.equal(answers[0]);
    }
    expect(answers[0]!.status).to.equal(200);
    expectSameTime(known, unknown);

    // The work happens after the answer, in the job: the real account gets its links, nobody else anything.
    expect(await mail.caught()).to.have.length(0);
    await app.startWorker();
    await drainJobs(['accounts.password-reset', 'email.send'], 60_000);
    for (const deadline = Date.now() + 20_000; (await mail.caught()).length < 24 && Date.now() < deadline; ) await sleep(50);
    const caught = await mail.caught();
    expect(caught).to.have.length(24);
    expect(caught.every((m) => m.envelopeTo.join() === real.email)).to.equal(true);
    expect(await AuditEntry.countDocuments({ action: 'user.password_reset_requested', 'details.known': 'no' })).to.equal(24);
  });

  /**
   * The same time within noise. Requests go in pairs, one of each kind back to back (which goes first
   * alternates), and the median of the pairs' differences is compared: a busy machine slows both of a
   * pair alike, and the median leaves out the pairs a burst of other work hit. Before, a reset request for
   * a real account took about 20 ms more (a token and an email made while the request waited), and a
   * locked real account answered without checking a password, about 20 ms sooner.
   */
  function expectSameTime(known: number[], unknown: number[]): void {
    const differences = known.map((k, i) => k - unknown[i]!).sort((a, b) => a - b);
    const median = differences[Math.floor(differences.length / 2)]!;
    const slack = Math.max(10, 0.3 * fastQuarter([...known, ...unknown]));
    expect(
      Math.abs(median),
      `median difference ${median.toFixed(1)} ms (fastest quarter: ${fastQuarter(known).toFixed(1)} ms for the real account, ${fastQuarter(unknown).toFixed(1)} ms for unknown addresses)`,
    ).to.be.below(slack);
  }
});
