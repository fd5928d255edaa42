// Fault drills (not tests): `npm run drills [-- --only worker-kill,smtp-outage,engine-outage,engine-freeze,engine-kill,rush]`.
// Each drill starts Debrief as real processes on a throw-away data folder (production mode, loopback
// only), does real work, breaks something, and then counts what was lost or duplicated (the goal is zero
// of both). Every drill is bounded in count and time and cleans up its processes and files.
//   worker-kill    500 invitations due; the job worker is killed with SIGKILL after the first 100 arrive,
//                  then started again
//   smtp-outage    500 invitations due; the SMTP server refuses connections for 60 s mid-batch
//   engine-outage  buyers sending their forms; the database engine is stopped (SIGKILL) for 10 s and
//                  started again on the same port and files (the app reaches it by MONGODB_URI)
//   engine-freeze  the same with the app's own embedded engine frozen (SIGSTOP) for 10 s, then resumed
//   engine-kill    the embedded engine alone, killed with SIGKILL five times while 8 clients write;
//                  after each restart every acknowledged write must be there
//   rush           200 buyers at once, each opening a link and answering all four steps, for 30 s
// Ends with one `name value` line per figure.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { FormDraft } from '../src/buyer/model.ts';
import { Interview, InterviewResponse } from '../src/interviews/model.ts';
import { engineArgs } from '../src/lib/engine.ts';
import { MailSend } from '../src/outbox/model.ts';
import type { Answers } from '../src/questionnaires/schemas.ts';
import { startSmtpSink, type SmtpSink } from '../test/helpers/smtp-sink.ts';
import {
  answerSteps,
  answerThroughTheForm,
  connectTo,
  engineUriOf,
  freePort,
  seedDrafts,
  seedDueInvitations,
  seedInvitedInterviews,
  startApp,
  stepBody,
  tallyDeliveries,
  tempDataDir,
  waitFor,
  type RunningApp,
  type SeededInterview,
} from './drill-lib.ts';

const figures: [string, number | string][] = [];
const problems: string[] = [];
const figure = (name: string, value: number | string) => figures.push([name, value]);
const say = (line: string) => console.log(line);

/** What the running drill has started, for a clean stop on Ctrl-C. */
let active: { cleanups: (() => unknown)[]; remove: () => void } | undefined;

/** Runs a drill with its own data folder; whatever it started is stopped and removed afterwards. */
async function drill(name: string, limitMs: number, body: (ctx: { dir: string; onCleanup: (f: () => unknown) => void }) => Promise<void>): Promise<void> {
  const data = tempDataDir(`drill-${name}`);
  const cleanups: (() => unknown)[] = [];
  active = { cleanups, remove: data.remove };
  const started = Date.now();
  say(`\n== ${name}`);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      body({ dir: data.dir, onCleanup: (f) => cleanups.push(f) }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the drill ran over its ${limitMs / 1000} s limit`)), limitMs))),
    ]);
  } catch (err) {
    problems.push(`${name}: ${(err as Error).message}`);
    say(`  FAILED: ${(err as Error).message}`);
    figure(`drill.${name}.completed`, 0);
  } finally {
    clearTimeout(timer);
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch((e: unknown) => say(`  (cleanup: ${(e as Error).message})`));
    if (mongoose.connection.readyState !== 0) await mongoose.disconnect().catch(() => {});
    data.remove();
    active = undefined;
    say(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}

function appErrors(app: RunningApp): string[] {
  return app
    .logs()
    .filter((l) => Number(l.level) >= 50)
    .map((l) => `${String(l.msg)}: ${String((l.err as { message?: string } | undefined)?.message ?? '').slice(0, 160)}`);
}

function summariseErrors(lines: string[]): string {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => `${n}× ${l}`).join('\n    ');
}

// ---- the outbox drills ------------------------------------------------------------------------------

async function invitationsDrill(name: 'worker-kill' | 'smtp-outage', total: number, outageMs: number): Promise<void> {
  await drill(name, 12 * 60_000, async ({ dir, onCleanup }) => {
    const sink: SmtpSink = await startSmtpSink();
    onCleanup(() => sink.stop());
    const env = { SMTP_URL: sink.url, MAIL_RATE_PER_DOMAIN: '100000', WORKER_POLL_MS: '1000' };
    // The web process owns the embedded engine, so the worker can die and come back without it.
    const web = await startApp('web', { dataDir: dir, env });
    onCleanup(() => web.stop());
    await connectTo(engineUriOf(dir));
    await seedDueInvitations(total);
    const workers: RunningApp[] = [];
    const startWorker = async () => {
      const w = await startApp('worker', { dataDir: dir, env });
      workers.push(w);
      onCleanup(() => w.stop());
      return w;
    };
    const first = await startWorker();
    const t0 = Date.now();
    await waitFor(() => sink.received.length >= Math.min(100, total / 5), 180_000, 'the first invitations');
    let atBreak = sink.received.length;
    if (name === 'worker-kill') {
      await first.kill9();
      atBreak = sink.received.length;
      say(`  killed the worker (SIGKILL) after ${atBreak} invitations had arrived; starting a new one`);
      await startWorker();
    } else {
      await sink.stop();
      say(`  the SMTP server refuses connections for ${outageMs / 1000} s, from ${atBreak} invitations arrived`);
      await sleep(outageMs);
      await sink.start();
      say(`  the SMTP server is back (${sink.received.length} arrived before it went away)`);
    }
    await waitFor(
      async () => (await MailSend.countDocuments({ kind: 'invitation', state: 'sent' })) >= total,
      9 * 60_000,
      `all ${total} invitations to be marked sent`,
    );
    await sleep(2000); // anything still in flight lands
    const seconds = (Date.now() - t0) / 1000;
    const tally = tallyDeliveries(sink.received);
    const lost = total - tally.recipients;
    say(
      `  ${total} invitations: ${tally.recipients} buyers reached, ${tally.messageIds} Message-IDs, ${tally.repeats} repeats of a Message-ID, ${tally.underTwoIds.length} buyers with two Message-IDs; all sent after ${seconds.toFixed(0)} s`,
    );
    say(`  lost ${lost}, duplicated (under a second Message-ID) ${tally.underTwoIds.length}, repeated under the same Message-ID ${tally.repeats}`);
    const errors = workers.flatMap(appErrors);
    if (errors.length) say(`  the workers logged errors:\n    ${summariseErrors(errors)}`);
    figure(`drill.${name}.lost`, lost);
    figure(`drill.${name}.duplicated`, tally.underTwoIds.length);
    figure(`drill.${name}.repeats_same_message_id`, tally.repeats);
    figure(`drill.${name}.seconds_to_all_sent`, Math.round(seconds));
    if (lost > 0 || tally.underTwoIds.length > 0) problems.push(`${name}: ${lost} lost, ${tally.underTwoIds.length} duplicated`);
  });
}

// ---- buyers ---------------------------------------------------------------------------------------

interface Attempt {
  link: SeededInterview;
  status: number | 'network';
  acknowledged: boolean;
  /** Not acknowledged, and the page kept what the buyer typed in a form they can send again. */
  keptAnswers: boolean;
  ms: number;
  at: number;
}

/** Sends the last step of the form, as the buyer's browser does (no JavaScript), and reads the answer. */
async function submit(url: string, link: SeededInterview, t0: number): Promise<Attempt> {
  const start = Date.now();
  try {
    const res = await fetch(`${url}/i/${link.token}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: stepBody(answerSteps.length),
      signal: AbortSignal.timeout(60_000),
    });
    const body = await res.text();
    const acknowledged = res.status === 303 && res.headers.get('location') === '/i/thanks';
    const typed = String(answerSteps.at(-1)!.a_missing_info);
    return {
      link,
      status: res.status,
      acknowledged,
      keptAnswers: !acknowledged && body.includes('<form') && body.includes(typed),
      ms: Date.now() - start,
      at: start - t0,
    };
  } catch {
    return { link, status: 'network', acknowledged: false, keptAnswers: false, ms: Date.now() - start, at: start - t0 };
  }
}

/** A reference draft: the first three steps answered through the real form, as stored. */
async function referenceDraft(url: string): Promise<{ answers: Answers; step: number }> {
  const [ref] = await seedInvitedInterviews(1, { label: 'reference' });
  await answerThroughTheForm(url, ref!.token, answerSteps.length - 1);
  return (await FormDraft.findById(ref!.interviewId).lean<{ answers: Answers; step: number }>())!;
}

async function storedFor(links: SeededInterview[]): Promise<Map<string, number>> {
  const ids = new Set(links.map((l) => String(l.interviewId)));
  const counts = new Map<string, number>();
  // Read every response and count in code: one read, however many links.
  for (const r of await InterviewResponse.find().select({ interviewId: 1 }).lean()) {
    const id = String(r.interviewId);
    if (ids.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Buyers send their forms while the database engine goes away for 10 s. A buyer whose submission was not
 * acknowledged tries again 2 s later, as people do, until it is or the drill ends. Afterwards every
 * answer the app gave is checked against what is stored.
 */
async function engineOutageDrill(mode: 'restart' | 'freeze'): Promise<void> {
  const name = mode === 'restart' ? 'engine-outage' : 'engine-freeze';
  const buyers = 20;
  const runMs = 40_000;
  const outageAt = 10_000;
  const outageMs = 10_000;
  await drill(name, 6 * 60_000, async ({ dir, onCleanup }) => {
    let app: RunningApp;
    let engine: ChildProcess | undefined;
    let enginePid: number;
    const enginePort = await freePort();
    const engineDir = join(dir, 'own-engine');
    const startOwnEngine = async () => {
      const child = spawn('java', engineArgs({ dataDir: engineDir, port: enginePort }), { stdio: ['pipe', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`the engine exited (${code})`)));
      });
      return child;
    };
    if (mode === 'restart') {
      engine = await startOwnEngine();
      onCleanup(() => engine?.kill('SIGKILL'));
      app = await startApp('all', { dataDir: dir, env: { MONGODB_URI: `mongodb://127.0.0.1:${enginePort}/debrief` } });
      onCleanup(() => app.stop());
      await connectTo(`mongodb://127.0.0.1:${enginePort}/`);
      enginePid = engine.pid!;
    } else {
      app = await startApp('all', { dataDir: dir });
      onCleanup(() => app.stop());
      await connectTo(engineUriOf(dir));
      enginePid = Number(readFileSync(`/proc/${app.child.pid}/task/${app.child.pid}/children`, 'utf8').trim().split(' ')[0]);
      onCleanup(() => process.kill(enginePid, 'SIGCONT'));
    }
    const draft = await referenceDraft(app.url);
    const links = await seedInvitedInterviews(3000, { label: 'outage', state: 'in_progress' });
    await seedDrafts(links, draft.answers, draft.step);
    await mongoose.disconnect(); // this process's own connection must not ride through the outage

    const t0 = Date.now();
    let next = 0;
    const attempts: Attempt[] = [];
    const outage = (async () => {
      await sleep(outageAt);
      if (mode === 'restart') {
        engine!.kill('SIGKILL');
        say(`  t=${((Date.now() - t0) / 1000).toFixed(0)} s: engine killed (SIGKILL)`);
        await sleep(outageMs);
        engine = await startOwnEngine();
        say(`  t=${((Date.now() - t0) / 1000).toFixed(0)} s: engine started again on the same port and files`);
      } else {
        process.kill(enginePid, 'SIGSTOP');
        say(`  t=${((Date.now() - t0) / 1000).toFixed(0)} s: engine frozen (SIGSTOP)`);
        await sleep(outageMs);
        process.kill(enginePid, 'SIGCONT');
        say(`  t=${((Date.now() - t0) / 1000).toFixed(0)} s: engine resumed (SIGCONT)`);
      }
    })();
    await Promise.all(
      Array.from({ length: buyers }, async () => {
        while (Date.now() - t0 < runMs && next < links.length) {
          const link = links[next++]!;
          for (;;) {
            const a = await submit(app.url, link, t0);
            attempts.push(a);
            if (a.acknowledged || Date.now() - t0 >= runMs) break;
            await sleep(2000);
          }
        }
      }),
    );
    await outage;
    let readiness = '';
    await waitFor(
      () =>
        fetch(`${app.url}/readyz`).then(
          async (r) => ((readiness = `${r.status} ${await r.text()}`), r.ok),
          (err: unknown) => ((readiness = String(err)), false),
        ),
      60_000,
      'the app to be ready again',
    ).catch((err: unknown) => {
      const errors = summariseErrors(appErrors(app)).split('\n').slice(-8).join('\n    ');
      const fatal = app.logs().find((l) => Number(l.level) >= 60);
      const why = fatal
        ? `\n  the app stopped on: ${String(fatal.msg)}\n${String((fatal.err as { stack?: string } | undefined)?.stack ?? '').slice(0, 1500)}`
        : '';
      throw new Error(`${(err as Error).message}; /readyz last answered: ${readiness.slice(0, 400)}\n  the app's last errors:\n    ${errors}${why}`);
    });
    await connectTo(mode === 'restart' ? `mongodb://127.0.0.1:${enginePort}/` : engineUriOf(dir));
    const used = [...new Map(attempts.map((a) => [String(a.link.interviewId), a.link])).values()];
    const stored = await storedFor(used);
    const acked = new Set(attempts.filter((a) => a.acknowledged).map((a) => String(a.link.interviewId)));
    const falseThanks = used.filter((l) => acked.has(String(l.interviewId)) && !stored.has(String(l.interviewId))).length;
    const storedNotAcked = used.filter((l) => !acked.has(String(l.interviewId)) && stored.has(String(l.interviewId))).length;
    const lost = used.filter((l) => !acked.has(String(l.interviewId)) && !stored.has(String(l.interviewId))).length;
    const duplicated = [...stored.values()].filter((n) => n > 1).length;
    const failures = attempts.filter((a) => !a.acknowledged);
    const keptAnswers = failures.filter((a) => a.keptAnswers).length;
    const byStatus = new Map<string, number>();
    for (const a of failures) byStatus.set(String(a.status), (byStatus.get(String(a.status)) ?? 0) + 1);
    const slowest = Math.max(0, ...attempts.map((a) => a.ms));
    const inOutage = attempts.filter((a) => a.at >= outageAt - 1000 && a.at <= outageAt + outageMs + 5000);
    say(`  ${attempts.length} submissions by ${buyers} buyers over ${runMs / 1000} s (${used.length} links), ${inOutage.length} sent around the outage`);
    say(`  acknowledged with the thank-you page: ${acked.size}; stored: ${stored.size}`);
    say(
      `  false thank-yous (acknowledged, not stored): ${falseThanks}; stored but the buyer was told it failed (and then gave up): ${storedNotAcked}; neither (buyer gave up at the end): ${lost}; duplicated: ${duplicated}`,
    );
    say(
      `  failed attempts: ${failures.length} (${[...byStatus].map(([s, n]) => `${s}: ${n}`).join(', ') || 'none'}); of them the page kept the buyer's answers in a form: ${keptAnswers}; the slowest answer took ${(slowest / 1000).toFixed(1)} s`,
    );
    const sample = failures.find((a) => a.status !== 'network');
    if (sample) {
      const again = await fetch(`${app.url}/i/${sample.link.token}`).then(
        (r) => r.status,
        () => 'network',
      );
      say(`  (a failed buyer's link afterwards answers ${again})`);
    }
    const errors = appErrors(app);
    if (errors.length) say(`  the app logged ${errors.length} errors:\n    ${summariseErrors(errors).split('\n').slice(0, 8).join('\n')}`);
    figure(`drill.${name}.submissions`, attempts.length);
    figure(`drill.${name}.false_thank_yous`, falseThanks);
    figure(`drill.${name}.lost`, lost);
    figure(`drill.${name}.duplicated`, duplicated);
    figure(`drill.${name}.failed_attempts`, failures.length);
    figure(`drill.${name}.failed_without_answers_kept`, failures.length - keptAnswers);
    if (falseThanks > 0 || duplicated > 0) problems.push(`${name}: ${falseThanks} false thank-yous, ${duplicated} duplicated`);
    if (failures.length - keptAnswers > 0) {
      problems.push(
        `${name}: ${failures.length - keptAnswers} of ${failures.length} failed submissions did not keep the buyer's answers in the page (statuses ${[...byStatus].map(([s, n]) => `${s}×${n}`).join(', ')})`,
      );
    }
  });
}

/** 200 buyers at once, each opening a new link and sending all four steps, for 30 s. */
async function rushDrill(): Promise<void> {
  const buyers = 200;
  const runMs = 30_000;
  await drill('rush', 5 * 60_000, async ({ dir, onCleanup }) => {
    const app = await startApp('all', { dataDir: dir });
    onCleanup(() => app.stop());
    await connectTo(engineUriOf(dir));
    const links = await seedInvitedInterviews(4000, { label: 'rush' });
    const t0 = Date.now();
    let next = 0;
    const outcomes: { link: SeededInterview; acknowledged: boolean; failedAt?: string }[] = [];
    const statuses = new Map<string, number>();
    const count = (s: string) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
    let requests = 0;
    await Promise.all(
      Array.from({ length: buyers }, async () => {
        while (Date.now() - t0 < runMs && next < links.length) {
          const link = links[next++]!;
          let failedAt: string | undefined;
          try {
            requests += 1;
            const page = await fetch(`${app.url}/i/${link.token}`, { signal: AbortSignal.timeout(60_000) });
            await page.text();
            count(`GET ${page.status}`);
            if (page.status !== 200) failedAt = `open ${page.status}`;
            for (let step = 1; !failedAt && step <= answerSteps.length; step += 1) {
              requests += 1;
              const res = await fetch(`${app.url}/i/${link.token}`, {
                method: 'POST',
                redirect: 'manual',
                headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url },
                body: stepBody(step),
                signal: AbortSignal.timeout(60_000),
              });
              await res.text();
              count(`POST ${res.status}`);
              const expected = step === answerSteps.length ? '/i/thanks' : `/i/${link.token}?step=${step + 1}`;
              if (res.status !== 303 || res.headers.get('location') !== expected) failedAt = `step ${step} ${res.status}`;
            }
          } catch (err) {
            count('network');
            failedAt = `network: ${(err as Error).name}`;
          }
          outcomes.push({ link, acknowledged: !failedAt, ...(failedAt ? { failedAt } : {}) });
        }
      }),
    );
    const seconds = (Date.now() - t0) / 1000;
    const stored = await storedFor(outcomes.map((o) => o.link));
    const acked = outcomes.filter((o) => o.acknowledged);
    const falseThanks = acked.filter((o) => !stored.has(String(o.link.interviewId))).length;
    const storedNotAcked = outcomes.filter((o) => !o.acknowledged && stored.has(String(o.link.interviewId))).length;
    const duplicated = [...stored.values()].filter((n) => n > 1).length;
    const thankYous = await MailSend.countDocuments({ kind: 'thank_you' });
    const completed = await Interview.countDocuments({ state: 'completed' });
    say(
      `  ${buyers} buyers for ${runMs / 1000} s (${seconds.toFixed(0)} s until the last answer): ${outcomes.length} forms started, ${requests} requests (${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')})`,
    );
    say(
      `  sent and acknowledged: ${acked.length} (${(acked.length / seconds).toFixed(1)} forms/s); stored: ${stored.size}; interviews completed: ${completed}; thank-you emails planned: ${thankYous}`,
    );
    say(
      `  false thank-yous: ${falseThanks}; stored but not acknowledged: ${storedNotAcked}; duplicated: ${duplicated}; failed: ${outcomes.length - acked.length}`,
    );
    const failures = new Map<string, number>();
    for (const o of outcomes) if (o.failedAt) failures.set(o.failedAt, (failures.get(o.failedAt) ?? 0) + 1);
    if (failures.size) say(`  failures: ${[...failures].map(([f, n]) => `${f} ×${n}`).join(', ')}`);
    const errors = appErrors(app);
    if (errors.length) say(`  the app logged ${errors.length} errors:\n    ${summariseErrors(errors).split('\n').slice(0, 8).join('\n')}`);
    figure('drill.rush.forms_acknowledged', acked.length);
    figure('drill.rush.forms_stored', stored.size);
    figure('drill.rush.false_thank_yous', falseThanks);
    figure('drill.rush.duplicated', duplicated);
    figure('drill.rush.failed', outcomes.length - acked.length);
    figure('drill.rush.forms_per_s', Number((acked.length / seconds).toFixed(1)));
    if (falseThanks || duplicated || outcomes.length - acked.length)
      problems.push(`rush: ${outcomes.length - acked.length} failed, ${falseThanks} false thank-yous, ${duplicated} duplicated`);
  });
}

/**
 * The engine alone, killed with SIGKILL while 8 clients write (inserts, and $push updates to documents
 * of their own), five times over: after each restart on the same files, every write the engine
 * acknowledged must be there.
 */
async function engineKillDrill(): Promise<void> {
  const rounds = 5;
  await drill('engine-kill', 3 * 60_000, async ({ dir, onCleanup }) => {
    const port = await freePort();
    const engineDir = join(dir, 'engine-kill');
    let engine: ChildProcess | undefined;
    onCleanup(() => engine?.kill('SIGKILL'));
    const start = async () => {
      const child = spawn('java', engineArgs({ dataDir: engineDir, port }), { stdio: ['pipe', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`the engine exited (${code})`)));
      });
      return child;
    };
    const inserted = new Set<string>();
    const pushed = new Map<string, number>(); // each client's document: how many $push were acknowledged
    let acknowledged = 0;
    let missing = 0;
    for (let round = 1; round <= rounds; round++) {
      engine = await start();
      const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`, { serverSelectionTimeoutMS: 2000, retryWrites: false });
      const docs = client.db('drill').collection<{ _id: string; n?: number; log?: number[] }>('writes');
      let stop = false;
      const writers = Array.from({ length: 8 }, async (_, w) => {
        const own = `counter-${w}`;
        for (let i = 0; !stop; i++) {
          try {
            if (i % 2 === 0) {
              const _id = `r${round}-w${w}-${i}`;
              await docs.insertOne({ _id, n: i });
              inserted.add(_id);
            } else {
              const next = (pushed.get(own) ?? 0) + 1;
              await docs.updateOne({ _id: own }, { $push: { log: next } }, { upsert: true });
              pushed.set(own, next);
            }
            acknowledged++;
          } catch {
            return; // the engine is gone: what was not acknowledged may or may not be there
          }
        }
      });
      await sleep(1500 + Math.random() * 1500);
      engine.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      await client.close(true).catch(() => {});
      engine = await start();
      const check = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`);
      const col = check.db('drill').collection<{ _id: string; log?: number[] }>('writes');
      const present = new Set((await col.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
      const lostInserts = [...inserted].filter((id) => !present.has(id)).length;
      let lostPushes = 0;
      for (const [own, count] of pushed) {
        const log = (await col.findOne({ _id: own }))?.log ?? [];
        for (let k = 1; k <= count; k++) if (!log.includes(k)) lostPushes++;
      }
      missing += lostInserts + lostPushes;
      say(
        `  round ${round}: killed after ${acknowledged} acknowledged writes in all; missing after the restart: ${lostInserts} inserts, ${lostPushes} updates`,
      );
      await check.close();
      engine.kill('SIGKILL');
      await new Promise((resolve) => engine!.once('exit', resolve));
    }
    figure('drill.engine-kill.acknowledged', acknowledged);
    figure('drill.engine-kill.missing', missing);
    if (missing) problems.push(`engine-kill: ${missing} acknowledged writes missing after a kill -9`);
  });
}

const all = ['worker-kill', 'smtp-outage', 'engine-outage', 'engine-freeze', 'engine-kill', 'rush'] as const;
const onlyArg = process.argv.indexOf('--only');
const chosen = onlyArg > 0 ? process.argv[onlyArg + 1]!.split(',') : [...all];
for (const c of chosen) if (!(all as readonly string[]).includes(c)) throw new Error(`Unknown drill ${c}: choose from ${all.join(', ')}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    say('interrupted: cleaning up');
    const running = active;
    void (async () => {
      for (const c of running?.cleanups.reverse() ?? []) await Promise.resolve(c()).catch(() => {});
      running?.remove();
      process.exit(130);
    })();
  });
}
for (const name of chosen) {
  if (name === 'worker-kill') await invitationsDrill('worker-kill', 500, 0);
  if (name === 'smtp-outage') await invitationsDrill('smtp-outage', 500, 60_000);
  if (name === 'engine-outage') await engineOutageDrill('restart');
  if (name === 'engine-freeze') await engineOutageDrill('freeze');
  if (name === 'engine-kill') await engineKillDrill();
  if (name === 'rush') await rushDrill();
}
say('');
say(problems.length ? `Goals missed:\n  ${problems.join('\n  ')}` : 'Nothing lost, nothing duplicated.');
for (const [n, v] of figures) console.log(`${n} ${v}`);
process.exit(0);
