// The HTTP benchmark (not a timed test): `npm run bench:http [-- --duration 20 --connections 100 --only form_open,report]`.
// Starts Debrief as `npm start` runs it (`tsx src/main.ts all`: web server and job worker in one
// process, on the embedded engine in a throw-away data folder), in production mode (view cache on,
// SESSION_SECRET and APP_URL set, request logs at info written to a file), seeds what it needs through
// the app's own models and the real form, and drives it with autocannon on loopback:
//   form_open    GET  /i/<token>           the buyer opens the form (tokens rotate over a pool of links)
//   form_save    POST /i/<token>/answers   autosave of one step's fields, as the page's script sends it
//   form_submit  POST /i/<token>           the last step sent: every request uses a link of its own
//   report       GET  /reports             signed in as staff, with 5,000 stored responses
// and, in the same run, a bare express+ejs server (its own process, production mode) rendering a page of
// the same size as the form page and as the report page. autocannon runs in this process on the same
// two cores as the app and its engine. Prints a table, then one `name value` line per figure.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Request as AcRequest, type Result } from 'autocannon';
import mongoose from 'mongoose';
import { FormDraft } from '../src/buyer/model.ts';
import { InterviewResponse } from '../src/interviews/model.ts';
import type { Answers } from '../src/questionnaires/schemas.ts';
import {
  answerSteps,
  answerThroughTheForm,
  connectTo,
  engineUriOf,
  flag,
  formBody,
  freePort,
  root,
  seedDrafts,
  seedInvitedInterviews,
  seedResponses,
  seedStaff,
  signIn,
  startApp,
  stepBody,
  tempDataDir,
  type SeededInterview,
} from './drill-lib.ts';

// ---- the bare server (child mode) --------------------------------------------------------------------

async function serveBare(port: number, sizes: Record<string, number>): Promise<void> {
  const { default: express } = await import('express');
  const views = mkdtempSync(join(tmpdir(), 'debrief-bare-views-'));
  // A page like the app's: a layout, a heading and a list of escaped items, padded to the target size.
  const page =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title><%= title %></title><link rel="stylesheet" href="/static/styles.css"></head>' +
    '<body><main><h1><%= title %></h1><ul><% for (const item of items) { %><li class="item"><span><%= item.label %></span> <strong><%= item.count %></strong></li><% } %></ul></main></body></html>';
  writeFileSync(join(views, 'page.ejs'), page);
  const app = express();
  app.set('view engine', 'ejs');
  app.set('views', views);
  app.set('view cache', true);
  const render = (n: number) => ({ title: 'Bare page', items: Array.from({ length: n }, (_, i) => ({ label: `Item ${i} & co <${i % 7}>`, count: i * 3 })) });
  const { default: ejs } = await import('ejs');
  const template = ejs.compile(page);
  const itemsFor: Record<string, number> = {};
  for (const [name, bytes] of Object.entries(sizes)) {
    let n = 1;
    while (Buffer.byteLength(template(render(n))) < bytes) n += 1;
    itemsFor[name] = n;
  }
  for (const name of Object.keys(sizes)) {
    app.get(`/${name}`, (_req, res) => res.render('page', render(itemsFor[name]!)));
  }
  const server = app.listen(port, '127.0.0.1', () => console.log('ready'));
  process.on('SIGTERM', () => {
    server.close();
    rmSync(views, { recursive: true, force: true });
    process.exit(0);
  });
}

// ---- the benchmark ----------------------------------------------------------------------------------

interface Figure {
  name: string;
  /** CPU time per request of the app's process and of its database engine, when measured. */
  cpuApp?: number;
  cpuEngine?: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  unexpected: number;
  errors: number;
  bytes: number;
}

/** user + system CPU time of a process so far, in ms (Linux). */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return 0;
  }
}

let measured: { app?: number | undefined; engine?: number | undefined } = {};

async function run(
  name: string,
  url: string,
  opts: { connections: number; duration: number; expect: number; requests?: AcRequest[]; headers?: Record<string, string>; maxOverallRequests?: number },
): Promise<Figure> {
  const cpu0 = { app: cpuMs(measured.app), engine: cpuMs(measured.engine) };
  const result: Result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.duration,
    ...(opts.requests ? { requests: opts.requests } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(opts.maxOverallRequests ? { maxOverallRequests: opts.maxOverallRequests } : {}),
    timeout: 30,
  });
  const codes = (result.statusCodeStats ?? {}) as Record<string, { count?: number }>;
  const expected = codes[String(opts.expect)]?.count ?? 0;
  const requests = Object.values(codes).reduce((n, c) => n + (c.count ?? 0), 0);
  const others = Object.entries(codes).filter(([code]) => code !== String(opts.expect));
  if (others.length) console.log(`  ${name}: unexpected statuses ${others.map(([c, v]) => `${c}×${v.count}`).join(', ')}`);
  const cpuApp = measured.app ? (cpuMs(measured.app) - cpu0.app) / Math.max(1, requests) : undefined;
  const cpuEngine = measured.engine ? (cpuMs(measured.engine) - cpu0.engine) / Math.max(1, requests) : undefined;
  const cpu = cpuApp !== undefined ? `; CPU per request: app ${cpuApp.toFixed(1)} ms, engine ${cpuEngine?.toFixed(1) ?? '?'} ms` : '';
  console.log(
    `  ${name}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (${requests} responses, ${result.errors} errors, ${result.timeouts} timeouts${cpu})`,
  );
  return {
    name,
    ...(cpuApp !== undefined ? { cpuApp, cpuEngine } : {}),
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    unexpected: requests - expected,
    errors: result.errors + result.timeouts,
    bytes: requests ? result.throughput.total / requests : 0,
  };
}

/** Rotates every request over the given paths (a new one each time). */
function rotating(paths: string[], method: 'GET' | 'POST', body?: string, contentType?: string): AcRequest[] {
  let next = 0;
  return [
    {
      method,
      ...(body ? { body, headers: { 'content-type': contentType ?? 'application/x-www-form-urlencoded' } } : {}),
      setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }),
    },
  ];
}

async function main(): Promise<void> {
  const duration = flag('duration', 20);
  const connections = flag('connections', 100);
  const responseCount = flag('responses', 5000);
  const linkPool = flag('links', 1000);
  const data = tempDataDir('bench-http');
  const keep = process.argv.includes('--keep');
  // --only form_open,report: run just these scenarios (the bare server's always run, for the ratios).
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? '').split(',') : null;
  const want = (name: string) => !only || only.includes(name);
  const cleanups: (() => Promise<void> | void)[] = [() => (keep ? console.log(`kept ${data.dir}`) : data.remove())];
  const cleanUp = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch((e: unknown) => console.error(e));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanUp().then(() => process.exit(130)));
  try {
    console.log(`Starting Debrief (production mode, embedded engine, logs at info to a file) in ${data.dir} ...`);
    const app = await startApp('all', {
      dataDir: data.dir,
      ...(process.env.BENCH_CPU_PROF ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] } : {}),
    });
    cleanups.push(() => app.stop());
    await connectTo(engineUriOf(data.dir));
    const children = (() => {
      try {
        return readFileSync(`/proc/${app.child.pid}/task/${app.child.pid}/children`, 'utf8').trim().split(' ').map(Number);
      } catch {
        return [];
      }
    })();
    measured = { app: app.child.pid, engine: children[0] };
    cleanups.push(() => mongoose.disconnect());

    // Seeding. A reference answer goes through the real form first; its stored shape is copied.
    const t0 = performance.now();
    const [reference] = await seedInvitedInterviews(2, { label: 'reference' });
    await answerThroughTheForm(app.url, reference!.token, answerSteps.length - 1);
    const referenceDraft = (await FormDraft.findById(reference!.interviewId).lean<{ answers: Answers; step: number }>())!;
    const res = await fetch(`${app.url}/i/${reference!.token}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: stepBody(answerSteps.length),
    });
    if (res.status !== 303) throw new Error(`the reference submission answered ${res.status}`);
    const referenceAnswers = (await InterviewResponse.findOne({ interviewId: reference!.interviewId }).lean<{ answers: Answers }>())!.answers;
    const links = await seedInvitedInterviews(linkPool, { label: 'open' });
    await seedResponses(responseCount, referenceAnswers);
    const staff = await seedStaff();
    const cookie = await signIn(app.url, staff.email, staff.password);
    console.log(`Seeded ${linkPool} invited links, ${responseCount} responses and a staff account in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);

    const formPage = await (await fetch(`${app.url}/i/${links[0]!.token}`)).text();
    const reportRes = await fetch(`${app.url}/reports`, { headers: { cookie } });
    const reportPage = await reportRes.text();
    if (reportRes.status !== 200) throw new Error(`/reports answered ${reportRes.status}`);
    const sizes = { form: Buffer.byteLength(formPage), report: Buffer.byteLength(reportPage) };

    const figures: Figure[] = [];
    const paths = (pool: SeededInterview[], suffix = '') => pool.map((s) => `/i/${s.token}${suffix}`);
    console.log(
      `Running ${connections} connections for ${duration} s per scenario (load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}) ...`,
    );

    // A pool of links each opened once before: form_open is a buyer coming back (from a reminder, on
    // another device) and form_save autosaves into a started draft. form_first_open and form_submit use
    // each link once, from pools sized from the rates measured before them with room to spare; such a run
    // stops when its pool is used up rather than send anyone to a used link.
    let warmed = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (warmed < links.length) await (await fetch(`${app.url}/i/${links[warmed++]!.token}`)).text();
      }),
    );
    const rpsOf = (name: string) => figures.find((f) => f.name === name)?.rps ?? 500;
    if (want('form_open')) figures.push(await run('form_open', app.url, { connections, duration, expect: 200, requests: rotating(paths(links), 'GET') }));
    const saveBody = formBody({ ...answerSteps[0]!, _step: '1' });
    if (want('form_save'))
      figures.push(await run('form_save', app.url, { connections, duration, expect: 200, requests: rotating(paths(links, '/answers'), 'POST', saveBody) }));

    const poolFor = (rps: number) => Math.min(60_000, Math.ceil(Math.max(rps, 50) * duration * 1.5) + connections);
    if (want('form_first_open')) {
      const s0 = performance.now();
      const firstPool = await seedInvitedInterviews(poolFor(rpsOf('form_open')), { label: 'first' });
      console.log(`  (seeded ${firstPool.length} new links in ${((performance.now() - s0) / 1000).toFixed(1)} s)`);
      await sleep(2000);
      figures.push(
        await run('form_first_open', app.url, {
          connections,
          duration,
          expect: 200,
          requests: rotating(paths(firstPool), 'GET'),
          maxOverallRequests: firstPool.length,
        }),
      );
    }

    if (want('form_submit')) {
      const s0 = performance.now();
      const submitPool = await seedInvitedInterviews(poolFor(rpsOf('form_save')), { label: 'submit', state: 'in_progress' });
      await seedDrafts(submitPool, referenceDraft.answers, referenceDraft.step);
      console.log(`  (seeded ${submitPool.length} links with drafts for submitting in ${((performance.now() - s0) / 1000).toFixed(1)} s)`);
      await sleep(2000);
      const submitted = await run('form_submit', app.url, {
        connections,
        duration,
        expect: 303,
        requests: rotating(paths(submitPool), 'POST', stepBody(answerSteps.length)),
        maxOverallRequests: submitPool.length,
      });
      figures.push(submitted);
      const stored = await InterviewResponse.countDocuments({ interviewId: mongoose.trusted({ $in: submitPool.map((s) => s.interviewId) }) });
      console.log(
        `  form_submit: ${submitted.requests} answered, ${submitted.requests - submitted.unexpected} acknowledged (303 to the thank-you page), ${stored} stored`,
      );
    }

    // One staff member at a time first (what a person waits for), then the same concurrency as above.
    if (want('report_single'))
      figures.push(await run('report_single', `${app.url}/reports`, { connections: 1, duration: Math.min(duration, 10), expect: 200, headers: { cookie } }));
    if (want('report')) figures.push(await run('report', `${app.url}/reports`, { connections, duration, expect: 200, headers: { cookie } }));

    // The bare server: the same sizes, in its own process, production mode.
    const barePort = await freePort();
    const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/http.ts', '--serve-bare', String(barePort), JSON.stringify(sizes)], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(async () => {
      bare.kill('SIGTERM');
      await new Promise((r) => (bare.exitCode !== null ? r(null) : bare.once('exit', r)));
    });
    await new Promise<void>((resolve, reject) => {
      bare.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
      bare.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
    });
    const problems = app.logs().filter((l) => Number(l.level) >= 50);
    if (problems.length) console.log(`  the app logged ${problems.length} error(s), the first: ${JSON.stringify(problems[0]).slice(0, 600)}`);
    await app.stop(); // the app's process is idle by now, but leaves the two cores to the bare server
    measured = {};
    const bareForm = await run('bare_form', `http://127.0.0.1:${barePort}/form`, { connections, duration, expect: 200 });
    const bareReport = await run('bare_report', `http://127.0.0.1:${barePort}/report`, { connections, duration, expect: 200 });
    figures.push(bareForm, bareReport);

    const ratio = (f: Figure) => (f.name.startsWith('report') ? f.rps / bareReport.rps : f.rps / bareForm.rps);
    console.log('');
    console.log(`Debrief over HTTP on loopback: ${connections} connections, ${duration} s each (form page ${sizes.form} B, report page ${sizes.report} B)`);
    console.log('scenario           req/s    p50 ms   p99 ms   requests  unexpected  errors  vs bare');
    for (const f of figures) {
      const vs = f.name.startsWith('bare') ? '' : ratio(f).toFixed(2);
      console.log(
        `${f.name.padEnd(16)} ${f.rps.toFixed(0).padStart(7)} ${String(f.p50).padStart(8)} ${String(f.p99).padStart(8)} ${String(f.requests).padStart(10)} ${String(f.unexpected).padStart(11)} ${String(f.errors).padStart(7)}  ${vs}`,
      );
    }
    console.log(
      'Goals: form open and save >= 1000 req/s with p99 < 100 ms; report p99 < 300 ms. "vs bare": req/s over the bare express+ejs page of the same size.',
    );
    for (const f of figures) {
      const key = f.name;
      console.log(`http.${key}.rps ${f.rps.toFixed(0)}`);
      console.log(`http.${key}.p50_ms ${f.p50}`);
      console.log(`http.${key}.p99_ms ${f.p99}`);
      if (!f.name.startsWith('bare')) console.log(`http.${key}.vs_bare ${ratio(f).toFixed(3)}`);
    }
  } finally {
    await cleanUp();
  }
  process.exit(0);
}

if (process.argv[2] === '--serve-bare') {
  await serveBare(Number(process.argv[3]), JSON.parse(process.argv[4]!) as Record<string, number>);
} else {
  await main();
}
