// What the HTTP benchmark, the fault drills and the outbox fault test share: Debrief started as a real
// process (`tsx src/main.ts ROLE`) on a throw-away data folder, a connection from this process to the
// same database (to seed and to count what was stored), seeding through the app's own models, and the
// tally of what an SMTP server received. Everything here is loopback only and cleans up after itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Types } from 'mongoose';
import { jobs } from '../jobs/index.ts';
import { createUser } from '../src/accounts/service.ts';
import { Deal } from '../src/deals/model.ts';
import { BuyerLink, tokenHash } from '../src/interviews/link.ts';
import { Interview, InterviewResponse, type InterviewState } from '../src/interviews/model.ts';
import { withDatabaseName, defaultDbName } from '../src/lib/db.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createQueue } from '../src/lib/queue.ts';
import { batchingSchedulerFor } from '../src/outbox/schedule.ts';
import { FormDraft } from '../src/buyer/model.ts';
import { currentTemplate } from '../src/questionnaires/service.ts';
import { summarize } from '../src/questionnaires/summary.ts';
import type { Answers } from '../src/questionnaires/schemas.ts';
import { ensureIndexes } from '../src/server.ts';
import { defaultAnswerSteps as answerSteps, formBody } from '../test/buyer/helpers.ts';
import { freePort } from '../test/helpers/process.ts';

export { freePort };
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const benchSecret = 'bench-and-drill-secret-0123456789abcdef';

// ---- the app as a process ---------------------------------------------------------------------------

export interface RunningApp {
  readonly role: 'all' | 'web' | 'worker';
  readonly child: ChildProcess;
  readonly url: string;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** kill -9, resolves once the process is gone. */
  kill9(): Promise<void>;
  /** The log lines (JSON) written so far, parsed. */
  logs(): Record<string, unknown>[];
}

export interface AppOptions {
  dataDir: string;
  /** Taken when unset (web roles only). */
  port?: number;
  env?: Record<string, string>;
  /** Log level of the app; its log goes to a file in the data folder, never through this process. */
  logLevel?: string;
  /** Extra flags for node (say --cpu-prof to profile the app). */
  nodeArgs?: string[];
}

/**
 * Production mode (view cache on, SESSION_SECRET and APP_URL set, as a real deployment runs), the demo
 * workspace off, logs to a file (as to a log collector in production: written by the app, read by no one
 * during the run).
 */
export async function startApp(role: 'all' | 'web' | 'worker', opts: AppOptions): Promise<RunningApp> {
  const port = opts.port ?? (role === 'worker' ? 0 : await freePort());
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(opts.dataDir, `app-${role}-${Date.now()}-${randomBytes(2).toString('hex')}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts', role], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      SMTP_CATCHER: 'true', // production keeps mail in the catcher only when told to
      SESSION_SECRET: benchSecret,
      APP_URL: url,
      HOST: '127.0.0.1',
      PORT: String(port || 3000),
      DATA_DIR: opts.dataDir,
      DEMO_DATA: 'false',
      LOG_LEVEL: opts.logLevel ?? 'info',
      ...opts.env,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let dead = false;
  void exited.then(() => (dead = true));
  const logs = () => {
    if (!existsSync(logFile)) return [];
    return readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return { msg: line };
        }
      });
  };
  // A web server is ready when it answers; a worker says so in its log (at info).
  const isReady = async () => {
    if (role !== 'worker')
      return fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    return logs().some((l) => /job worker started/.test(String(l.msg)));
  };
  const deadline = Date.now() + 200_000; // the app itself waits up to 3 minutes for the engine to open a large folder
  for (;;) {
    if (await isReady()) break;
    if (dead || Date.now() > deadline) {
      if (!dead) child.kill('SIGKILL');
      throw new Error(`Debrief (${role}) did not start; its log:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    await sleep(100);
  }
  const waitDead = async (ms: number) => Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
  return {
    role,
    child,
    url,
    logFile,
    exited,
    logs,
    async stop(graceMs = 15_000) {
      if (dead) return;
      child.kill('SIGTERM');
      if (!(await waitDead(graceMs))) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    async kill9() {
      if (dead) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function tempDataDir(label: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `debrief-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The embedded engine's address, as the app that started it wrote it into DATA_DIR/engine.lock. */
export function engineUriOf(dataDir: string): string {
  const lock = JSON.parse(readFileSync(join(dataDir, 'engine.lock'), 'utf8')) as { info?: { uri?: string } };
  if (!lock.info?.uri) throw new Error(`No engine address in ${dataDir}/engine.lock`);
  return lock.info.uri;
}

/** Connects this process's mongoose to the app's database (the one the app uses: `debrief`). */
export async function connectTo(uri: string): Promise<void> {
  if (mongoose.connection.readyState === 1) await mongoose.disconnect();
  await mongoose.connect(withDatabaseName(uri, defaultDbName), { serverSelectionTimeoutMS: 30_000 });
  await ensureIndexes();
}

// ---- seeding ----------------------------------------------------------------------------------------

// One whole answer to the default questionnaire and the form's POST body: the buyer form tests' own.
export { answerSteps, formBody };

/** The POST body of step N (1-based) of the form, moving on, or sending on the last step. */
export function stepBody(step: number, extra: Record<string, string> = {}): string {
  const action = step === answerSteps.length ? 'submit' : 'next';
  return formBody({ ...answerSteps[step - 1]!, _step: String(step), _action: action, ...extra });
}

export interface SeededInterview {
  interviewId: Types.ObjectId;
  dealId: Types.ObjectId;
  token: string;
}

const batch = 1000;

async function inBatches<T>(items: T[], run: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += batch) await run(items.slice(i, i + batch));
}

/**
 * Lost deals whose interviews were invited and whose buyer links were issued, as the invitation job
 * leaves them (a link is a random 256-bit token; only its SHA-256 is stored). Inserted in bulk: the
 * planner and the invitation job are not what is measured here.
 */
export async function seedInvitedInterviews(
  count: number,
  opts: { label: string; state?: InterviewState; deal?: (i: number) => Record<string, unknown> } = { label: 'bench' },
): Promise<SeededInterview[]> {
  const state = opts.state ?? 'invited';
  const run = randomBytes(3).toString('hex');
  const now = new Date();
  const dealDocs = Array.from({ length: count }, (_, i) => ({
    _id: new mongoose.Types.ObjectId(),
    source: opts.label,
    externalId: `${run}-${i}`,
    name: `${opts.label} deal ${i}`,
    buyerCompany: `${opts.label} Co ${i}`,
    status: 'lost',
    lostAt: now,
    ...opts.deal?.(i),
  }));
  await inBatches(dealDocs, (chunk) => Deal.insertMany(chunk, { lean: true }));
  const interviews = dealDocs.map((d, i) => ({
    _id: new mongoose.Types.ObjectId(),
    dealId: d._id,
    planKey: `${String(d._id)}#1`,
    buyerCompany: d.buyerCompany,
    contact: { name: `Buyer ${i}`, email: `buyer${i}-${run}@${opts.label}${i % 20}.example` },
    interviewer: { name: 'Mia Marketer', email: 'mia@debrief.test' },
    state,
    plannedFor: now,
    repNotifiedAt: now,
    expiresAt: new Date(now.getTime() + 21 * 86_400_000),
    timeline: [
      { state: 'planned', at: now },
      { state, at: now },
    ],
  }));
  await inBatches(interviews, (chunk) => Interview.insertMany(chunk, { lean: true }));
  const seeded = interviews.map((i) => ({ interviewId: i._id, dealId: i.dealId, token: randomBytes(32).toString('base64url') }));
  await inBatches(seeded, (chunk) =>
    BuyerLink.insertMany(
      chunk.map((s) => ({ _id: tokenHash(s.token), interviewId: s.interviewId })),
      { lean: true },
    ),
  );
  return seeded;
}

/**
 * Drafts holding these answers (stored, as the form stores them) up to the given step, for each interview
 * (seed those with state in_progress), inserted in bulk.
 */
export async function seedDrafts(interviews: SeededInterview[], answers: Answers, step: number): Promise<void> {
  const template = await currentTemplate();
  await inBatches(interviews, (chunk) =>
    FormDraft.insertMany(
      chunk.map((s) => ({ _id: s.interviewId, templateId: template.id, answers, step })),
      { lean: true },
    ),
  );
}

const whys = [
  'Their price was a third lower and procurement would not move.',
  'We needed the Salesforce integration this quarter.',
  'The pilot took too long to set up on our data.',
  'Support answered slowly during the trial.',
  'Our budget was cut and we paused the project.',
];

/** Sends the whole form for one interview through HTTP, step by step, as a buyer without JavaScript does. */
export async function answerThroughTheForm(url: string, token: string, steps = answerSteps.length): Promise<void> {
  for (let step = 1; step <= steps; step += 1) {
    const res = await fetch(`${url}/i/${token}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: stepBody(step),
    });
    if (res.status !== 303) throw new Error(`step ${step} of the form answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  }
}

/**
 * Submitted responses as the form stores them, with their deals and completed interviews: what the
 * report reads. Each is the reference answer (one sent through the real form) with its primary reason,
 * vendor and own words varied across the questionnaire's options, summary fields derived by the app's code.
 */
export async function seedResponses(count: number, reference: Answers): Promise<void> {
  const template = await currentTemplate();
  const reasonQuestion = template.questions.find((q) => q.role === 'primaryReason');
  const reasons = reasonQuestion?.options.map((o) => o.value) ?? [];
  const vendors = ['Clearpath', 'Northwind', 'Brightline', 'Acme Analytics'];
  const seeded = await seedInvitedInterviews(count, {
    label: 'report',
    state: 'completed',
    deal: (i) => ({ lossType: 'competitor', competitor: vendors[i % vendors.length] }),
  });
  const now = Date.now();
  const docs = seeded.map((iv, i) => {
    const answers: Answers = structuredClone(reference);
    if (reasonQuestion && reasons.length) answers[reasonQuestion.id] = reasons[i % reasons.length]!;
    for (const q of template.questions) {
      const a = answers[q.id];
      if (q.role === 'whyText' && a && typeof a === 'object' && 'text' in a) answers[q.id] = { ...a, text: whys[i % whys.length]! };
    }
    return {
      interviewId: iv.interviewId,
      dealId: iv.dealId,
      templateId: template.id,
      templateVersion: template.version,
      answers,
      ...summarize(template, answers),
      submittedAt: new Date(now - (i % 365) * 86_400_000),
    };
  });
  await inBatches(docs, (chunk) => InterviewResponse.insertMany(chunk, { lean: true }));
}

export const staffPassword = 'correct horse battery staple 42';

/** A staff member (admin) who may read reports. */
export async function seedStaff(email = 'bench-admin@debrief.test'): Promise<{ email: string; password: string }> {
  await createUser({ email, name: 'Bench Admin', role: 'admin', password: staffPassword }, { type: 'system', email: 'bench' });
  return { email, password: staffPassword };
}

/** Signs in through the login form, as a browser does; returns the session cookie header. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${url}/sign-in`, { redirect: 'manual' });
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  keep(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on /sign-in');
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header(), origin: url },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  keep(res);
  if (res.status !== 303) throw new Error(`sign-in failed (${res.status})`);
  return header();
}

// ---- the outbox drills ------------------------------------------------------------------------------

/**
 * Invitations due now for `count` planned interviews, as the dispatcher leaves them: outbox records with
 * their email.send jobs, in batches (through the dispatcher's scheduler), on the database mongoose is
 * connected to.
 */
export async function seedDueInvitations(count: number): Promise<void> {
  const deals = await Deal.insertMany(
    Array.from({ length: count }, (_, i) => ({
      source: 'drill',
      externalId: `F-${i}`,
      name: `Drill deal ${i}`,
      buyerCompany: `Drill Co ${i}`,
      status: 'lost',
      lostAt: new Date(),
    })),
  );
  await Interview.insertMany(
    deals.map((d, i) => ({
      dealId: d._id,
      planKey: `${String(d._id)}#1`,
      buyerCompany: d.buyerCompany,
      contact: { name: `Buyer ${i}`, email: `buyer${i}@drill${i % 20}.example` },
      interviewer: { name: 'Mia Marketer', email: 'mia@debrief.test' },
      state: 'planned',
      plannedFor: new Date(),
      repNotifiedAt: new Date(),
      timeline: [{ state: 'planned', at: new Date() }],
    })),
  );
  const queue = createQueue({ db: mongoose.connection.db!, jobs, logger: createLogger('silent'), pollMs: 1000, inProcessNotifications: false });
  const schedule = batchingSchedulerFor(queue);
  const now = new Date();
  for (const d of await Interview.find().select({ _id: 1 }).lean()) await schedule('invitation', d._id, 0, now);
  await schedule.flush();
}

export interface DeliveryTally {
  /** Distinct recipients reached. */
  recipients: number;
  /** Distinct Message-IDs received. */
  messageIds: number;
  /** Messages received more than once under the same Message-ID (each extra copy counts one). */
  repeats: number;
  /** Recipients who got the same email under two or more Message-IDs (a true duplicate). */
  underTwoIds: string[];
}

export function tallyDeliveries(received: readonly { messageId: string; to: string }[]): DeliveryTally {
  const byRecipient = new Map<string, Set<string>>();
  const perMessageId = new Map<string, number>();
  for (const r of received) {
    byRecipient.set(r.to, (byRecipient.get(r.to) ?? new Set()).add(r.messageId));
    perMessageId.set(r.messageId, (perMessageId.get(r.messageId) ?? 0) + 1);
  }
  return {
    recipients: byRecipient.size,
    messageIds: perMessageId.size,
    repeats: [...perMessageId.values()].reduce((sum, n) => sum + n - 1, 0),
    underTwoIds: [...byRecipient].filter(([, ids]) => ids.size > 1).map(([to]) => to),
  };
}

// ---- small things -----------------------------------------------------------------------------------

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(200);
  }
}

export function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} wants a number`);
  return value;
}
