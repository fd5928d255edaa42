// The scale benchmark (prints figures, not a timed test): `npm run bench:scale [-- --sizes 5000,50000
// --requests 20 --writes 400 --clients 8 --quick --keep]`.
// --quick is --sizes 500,2000 --requests 10 --writes 100, a smoke run of a few minutes.
// --reuse DIR starts on a data folder a --keep run left (loading only what a size lacks), to time the
// pages again after a change without loading 50,000 deals again.
// Starts Debrief as `npm start` runs it (`tsx src/main.ts all`: web server and job worker in one process,
// on the embedded engine in a throw-away data folder, production mode, no demo data), creates an admin,
// three marketers (the planner's interviewers) and API keys, and sends one answer through the real buyer
// form (its stored shape is the model for the others; its deal is one more lost deal). Then for each size
// in turn (sizes are totals: a later size loads the difference, the deals the writes created included):
//   1. loads deals through the real API with --clients concurrent clients: PUT /api/v1/deals/:source/:id,
//      and for a third of them POST .../lost (varied companies, segments, owners, contacts, competitors,
//      loss reasons and rep notes; most losses are recent, some over 90 days old, a few deals without a
//      contact or at an account asked before, so the planner both plans and excludes), and prints the rate;
//   2. answers a third of the interviews the app planned, written through the app's models (the stored
//      shape of one answer sent through the real form, varied per deal), as answering 15,000 forms over
//      HTTP is not what is measured here; then recomputes the three theme sets through the themes pages;
//   3. times every staff page, signed in as an admin: --requests sequential requests each after one
//      warm-up (overview, deals list, lost deals, deals search, one lost and one open deal, interviews,
//      queue, the three theme sets, one theme, perception gap, both CSV exports), and the report three
//      ways: its first build (each request a view not built before, so nothing kept can answer it), kept
//      (the same view again) and right after an API write (what the cache in src/reports/cache.ts shows
//      then: it waits up to 200 ms for the rebuild, else the last figures marked as updating);
//   4. times API writes under --clients concurrent clients: PUT creating a deal, PUT changing one, and
//      POST .../lost on the deals just created;
//   5. prints the app's and the engine's resident memory (from /proc) and the engine's live Java heap
//      (jcmd, after a full collection), what the database holds, and what the job worker still had to do
//      (handover markers, emails due): it runs throughout, as under `npm start`, so each figure comes with
//      the CPU time per request of the app (web and worker) and of the engine, and the CPU both use with no
//      request coming in is printed before the timings. On a shared machine the CPU figures move less
//      than the times; the load average is printed too.
// Any answer that is not 2xx (or 303 where a form redirects) stops the run with its URL and status. The
// API allows 600 requests a minute per key, so each client rotates over a pool of keys: the limit is
// not what is measured, the limiter's own database work on each request still is.
// Ends with a table per size and one `scale.<size>.<figure> <value>` line per figure (see bench/index.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { Types } from 'mongoose';
import type { z } from 'zod';
import { createUser } from '../src/accounts/service.ts';
import type { apiDealBody } from '../src/api/schemas.ts';
import { createApiKey } from '../src/apikeys/service.ts';
import { competitors as demoCompetitors, productLines, regions, voices } from '../src/demo/content.ts';
import { DealHistory } from '../src/deals/history.ts';
import { Deal } from '../src/deals/model.ts';
import type { lossInput } from '../src/deals/schemas.ts';
import { Interview, InterviewResponse } from '../src/interviews/model.ts';
import { engineDir } from '../src/lib/db.ts';
import { MailSend } from '../src/outbox/model.ts';
import { defaultReasonTaxonomy } from '../src/program/taxonomy.ts';
import { currentTemplate } from '../src/questionnaires/service.ts';
import { isRatingAnswer, isTextAnswer, isVendorAnswer, type Answers } from '../src/questionnaires/schemas.ts';
import { summarize } from '../src/questionnaires/summary.ts';
import { themeSets } from '../src/themes/model.ts';
import { makeRng, type Rng } from '../src/themes/pipeline/prng.ts';
import {
  answerSteps,
  answerThroughTheForm,
  connectTo,
  engineUriOf,
  flag,
  seedInvitedInterviews,
  seedStaff,
  signIn,
  staffPassword,
  startApp,
  stepBody,
  tempDataDir,
  type RunningApp,
} from './drill-lib.ts';

type DealBody = z.input<typeof apiDealBody>;
type LossBody = z.input<typeof lossInput>;

// ---- options ------------------------------------------------------------------------------------------

const quick = process.argv.includes('--quick');
const sizesArg = process.argv.indexOf('--sizes');
const sizes = (sizesArg > 0 ? (process.argv[sizesArg + 1] ?? '') : quick ? '500,2000' : '5000,50000').split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 30) || sizes.some((n, i) => i > 0 && n <= sizes[i - 1]!)) {
  throw new Error('--sizes wants increasing whole numbers of deals, 30 or more, such as 5000,50000');
}
const requests = flag('requests', quick ? 10 : 20);
const writes = flag('writes', quick ? 100 : 400);
const clients = flag('clients', 8);
const keep = process.argv.includes('--keep');
const reuseArg = process.argv.indexOf('--reuse');
const reuse = reuseArg > 0 ? process.argv[reuseArg + 1] : undefined;
const day = 86_400_000;

// ---- small helpers ------------------------------------------------------------------------------------

/** Nearest-rank percentile of the samples (ms). */
function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const thousands = (n: number) => n.toLocaleString('en-US');

/** Runs `total` tasks over `concurrency` clients, each taking the next index when it is free. */
async function runClients(concurrency: number, total: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

class UnexpectedStatus extends Error {}

/** Resident memory of a process in MB (Linux), or NaN. */
function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The engine's Java heap in use right after a full collection, in MB: what it keeps live, against its
 * ceiling (ENGINE_HEAP_MB, 512 by default). Asks the JDK's jcmd (where Maven built the engine, it is
 * there); NaN without it. Run between timings: the collection pauses the engine.
 */
function engineLiveHeapMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    execFileSync('jcmd', [String(pid), 'GC.run'], { stdio: 'pipe', timeout: 60_000 });
    const info = execFileSync('jcmd', [String(pid), 'GC.heap_info'], { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
    // Serial GC: "def new generation total 4928K, used 1234K ..." and "tenured generation total ..., used ...K".
    const used = [...info.matchAll(/generation\s+total \d+K, used (\d+)K/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    return used > 0 ? used / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The size of the engine's data file (one H2 MVStore file, see engine/), in MB. */
function engineFileMb(dataDir: string): number {
  try {
    return statSync(join(engineDir(dataDir), 'debrief.mv.db')).size / 1024 / 1024;
  } catch {
    return NaN;
  }
}

/** user + system CPU time of a process so far, in ms (Linux; 10 ms ticks), or 0. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The processes whose CPU time each figure reports: the app (web and worker) and its engine. */
const measured: { app?: number | undefined; engine?: number | undefined } = {};

/** CPU time per request since `mark`, of the app and of the engine (the worker's work in between included). */
function cpuSince(mark: { app: number; engine: number }, n: number): { app: number; engine: number } {
  return { app: (cpuMs(measured.app) - mark.app) / n, engine: (cpuMs(measured.engine) - mark.engine) / n };
}
const cpuMark = () => ({ app: cpuMs(measured.app), engine: cpuMs(measured.engine) });

/** The embedded engine: the app's child process running debrief.engine.Main. */
function enginePid(appPid: number | undefined): number | undefined {
  if (!appPid) return undefined;
  try {
    // A child may have been spawned from any of the app's threads: look at each one's children.
    for (const task of readdirSync(`/proc/${appPid}/task`)) {
      for (const pid of readFileSync(`/proc/${appPid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)) {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('debrief.engine.Main')) return pid;
      }
    }
  } catch {
    // the process is gone, or /proc is not Linux's
  }
  return undefined;
}

// ---- the deals: deterministic per index, so a deal can be sent again (PUT is the whole deal) ----------

const prefixes = [
  'Harbor',
  'Alder',
  'Meridian',
  'Copperline',
  'Bluewater',
  'Stonebridge',
  'Kestrel',
  'Oakmont',
  'Northgate',
  'Silverleaf',
  'Redwood',
  'Brightwater',
  'Granite',
  'Summit',
  'Ironbridge',
  'Larkspur',
  'Westfield',
  'Cedar',
  'Falcon',
  'Juniper',
  'Marlow',
  'Pinecrest',
  'Riverton',
  'Sterling',
  'Thornbury',
  'Union',
  'Vale',
  'Windham',
  'Ashford',
  'Beacon',
  'Clearwater',
  'Dunmore',
  'Elmstead',
  'Fairhaven',
  'Glenrock',
  'Highmoor',
  'Kingsley',
  'Lowell',
  'Millbrook',
  'Newbury',
];
const nouns = [
  'Freight',
  'Health',
  'Credit',
  'Retail',
  'Software',
  'Logistics',
  'Insurance',
  'Energy',
  'Foods',
  'Legal',
  'Media',
  'Capital',
  'Labs',
  'Systems',
  'Hospitality',
  'Pharma',
  'Telecom',
  'Motors',
  'Partners',
  'Analytics',
  'Learning',
  'Travel',
  'Holdings',
  'Robotics',
  'Textiles',
  'Outdoor',
  'Dental',
  'Mobility',
  'Security',
  'Water',
];
const suffixes = ['Group', 'Inc', 'Ltd', 'GmbH', 'Co', 'LLC', 'SA', 'AG', 'Partners', 'Corp'];
const firstNames = [
  'Rachel',
  'Omar',
  'Lena',
  'Kenji',
  'Sofia',
  'David',
  'Grace',
  'Henrik',
  'Maya',
  'Luis',
  'Aisha',
  'Pierre',
  'Ingrid',
  'Tariq',
  'Chloe',
  'Mateo',
  'Yuki',
  'Nadia',
  'Ben',
  'Olga',
];
const lastNames = [
  'Adams',
  'Haddad',
  'Fischer',
  'Watanabe',
  'Rossi',
  'Mensah',
  'Liu',
  'Larsen',
  'Patel',
  'Romero',
  'Okafor',
  'Dubois',
  'Berg',
  'Khan',
  'Martin',
  'Silva',
  'Tanaka',
  'Novak',
  'Walsh',
  'Ivanova',
];
const roles = [
  'VP Customer Experience',
  'Head of Insights',
  'Director of Operations',
  'CX Program Manager',
  'Chief Marketing Officer',
  'IT Director',
  'Research Lead',
  'Head of Procurement',
  'COO',
  undefined,
];
const timeZones = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Asia/Tokyo',
  'Australia/Sydney',
  undefined,
];
const segments = ['SMB', 'SMB', 'Mid-market', 'Mid-market', 'Enterprise'];
const competitors = [...demoCompetitors, 'Brightline', 'Acme Analytics'];
const reps = [
  'Priya Natarajan',
  'Tom Becker',
  'Ana Lima',
  'Marcus Reid',
  'Sara Holm',
  'Jonas Weber',
  'Fatima Noor',
  'Liam Byrne',
  'Elena Costa',
  'Noah Kim',
  'Zoe Clarke',
  'Ravi Shah',
];
const reasonCodes = defaultReasonTaxonomy.map((r) => r.code);
const searchTerms = ['Harbor', 'clearpath', 'Logistics 3', 'no such deal anywhere'];

const rngFor = (i: number, salt: number): Rng => makeRng(Math.imul(i + 1, 2654435761) ^ salt);
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

/** Distinct for every index (prefix × noun × suffix, then a number), so the account cool-down rarely applies. */
function companyOf(i: number): string {
  // One deal in 40 is at the account of the deal before it: the planner leaves it out if that one was asked.
  const n = i % 40 === 39 ? i - 1 : i;
  const base = `${prefixes[n % prefixes.length]} ${nouns[Math.floor(n / prefixes.length) % nouns.length]} ${suffixes[Math.floor(n / (prefixes.length * nouns.length)) % suffixes.length]}`;
  const round = Math.floor(n / (prefixes.length * nouns.length * suffixes.length));
  return round > 0 ? `${base} ${round + 1}` : base;
}

const domainOf = (company: string) => `${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;

function dealOf(i: number, amountChange = 0): { source: string; externalId: string; body: DealBody } {
  const rng = rngFor(i, 0x5eed);
  const company = companyOf(i);
  const segment = pick(rng, segments);
  const base = segment === 'Enterprise' ? 90_000 : segment === 'Mid-market' ? 30_000 : 7_000;
  const rep = reps[i % reps.length]!;
  const contactCount = i % 50 === 7 ? 0 : 1 + Math.floor(rng() * 3); // one deal in 50 has no contact
  const contacts = Array.from({ length: contactCount }, (_, c) => {
    const first = pick(rng, firstNames);
    const last = pick(rng, lastNames);
    const role = pick(rng, roles);
    const timeZone = pick(rng, timeZones);
    return {
      name: `${first} ${last}`,
      email: `${first}.${last}.${i}.${c}@${domainOf(company)}`.toLowerCase(),
      ...(role ? { role } : {}),
      ...(timeZone ? { timeZone } : {}),
      ...(c === contactCount - 1 ? { primary: true } : {}),
    };
  });
  const productLine = pick(rng, productLines);
  return {
    source: i % 4 === 0 ? 'salesforce' : 'hubspot',
    externalId: `D-${String(i).padStart(6, '0')}`,
    body: {
      name: `${company} · ${productLine} ${pick(rng, ['rollout', 'renewal', 'expansion', 'pilot'])}`,
      buyerCompany: company,
      amount: Math.round((base * (0.5 + rng() * 1.5)) / 100) * 100 + amountChange,
      currency: pick(rng, ['USD', 'USD', 'USD', 'EUR', 'GBP']),
      segment,
      productLine,
      region: pick(rng, regions),
      ownerEmail: `${rep.toLowerCase().replace(' ', '.')}@seller.example`,
      ownerName: rep,
      contacts,
    },
  };
}

/** The buyer's own reason for deal i (what their answer says). */
const buyerReasonOf = (i: number) => reasonCodes[Math.floor(rngFor(i, 0xb0b)() * reasonCodes.length)]!;

function lossOf(i: number, now: number): { body: LossBody; lostAt: number } {
  const rng = rngFor(i, 0x1057);
  const reason = buyerReasonOf(i);
  const repReason = rng() < 0.4 ? 'price' : reason; // reps blame price more often than buyers do: the perception gap
  // Most losses are recent (their invitations fall days ahead, so no invitation goes out while this runs,
  // whatever the hour); one in ten is over 90 days old, which the program leaves out.
  const ageDays = rng() < 0.1 ? 91 + rng() * 270 : rng() * 1.5;
  const notes = voices[repReason]?.repNote ?? [];
  const lostAt = Math.round(now - ageDays * day);
  const base = { reasonCode: repReason, lostAt: new Date(lostAt).toISOString(), ...(notes.length ? { reasonNote: pick(rng, notes) } : {}) };
  if (reason === 'no_decision') return { lostAt, body: { ...base, lossType: 'no_decision' } };
  return { lostAt, body: rng() < 0.08 ? { ...base, lossType: 'other' } : { ...base, lossType: 'competitor', competitor: pick(rng, competitors) } };
}

// ---- the API: a pool of keys, each request through the next --------------------------------------------

class Api {
  private next = 0;
  limited = 0;
  constructor(
    private readonly url: string,
    private readonly keys: readonly string[],
  ) {}

  /** One request; the answer's JSON and the time to its last byte. Waits out a 429 (counted) and retries. */
  async send(
    method: 'PUT' | 'POST',
    path: string,
    body: unknown,
    expect: readonly number[] = [200, 201],
  ): Promise<{ status: number; json: unknown; ms: number }> {
    for (;;) {
      const key = this.keys[this.next++ % this.keys.length]!;
      const t0 = performance.now();
      const res = await fetch(this.url + path, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      const took = performance.now() - t0;
      if (res.status === 429) {
        this.limited += 1;
        await sleep(Math.min(60, Number(res.headers.get('retry-after') ?? 5)) * 1000);
        continue;
      }
      if (!expect.includes(res.status)) throw new UnexpectedStatus(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
      return { status: res.status, json: JSON.parse(text) as unknown, ms: took };
    }
  }
}

// The fields of the API's answers that this bench reads (the API's own schemas are in src/api/schemas.ts).
interface DealAnswer {
  data: { id: string };
}
interface LostAnswer {
  data: { deal: { id: string }; interview: { outcome: string; id: string | null; state: string | null } };
}

// ---- the state of the run -------------------------------------------------------------------------------

interface Planned {
  interviewId: string;
  dealId: string;
  index: number;
  lostAt: number;
}

interface LoadResult {
  deals: number;
  requests: number;
  seconds: number;
  put: number[];
  lost: number[];
  outcomes: Record<string, number>;
}

const run = {
  /** Deal indices 0..dealCount-1 exist. */
  dealCount: 0,
  lostCount: 0,
  /** Planned interviews not yet considered for an answer. */
  unanswered: [] as Planned[],
  answeredSoFar: 0,
  /** A sample of deal ids spread over every size, for the deal pages. */
  openIds: [] as string[],
  lostIds: [] as string[],
  outcomes: {} as Record<string, number>,
};

/** Keeps one id in 97: a sample spread over all the deals loaded, for the deal pages to rotate over. */
function sampleId(list: string[], id: string, i: number): void {
  if (i % 97 === 0) list.push(id);
}

/** On a reused folder: what the run state would say had this run loaded its deals. */
async function resumeRun(): Promise<void> {
  let i = 0;
  for await (const d of Deal.find({}).select({ status: 1, source: 1 }).sort({ _id: 1 }).lean().cursor()) {
    if (d.source === 'reference') {
      // the drill helpers' own deal (written without the app's defaults), not one the API loaded
    } else if (d.status === 'lost') {
      run.lostCount += 1;
      sampleId(run.lostIds, String(d._id), i);
    } else sampleId(run.openIds, String(d._id), i);
    i += 1;
  }
  run.dealCount = i;
  run.answeredSoFar = await InterviewResponse.countDocuments();
}

async function loadDeals(api: Api, target: number): Promise<LoadResult> {
  const from = run.dealCount;
  const count = target - from;
  if (reuse && count <= 0) return { deals: 0, requests: 0, seconds: 0, put: [], lost: [], outcomes: {} };
  if (count <= 0) throw new Error(`--sizes: ${thousands(target)} is not more than the ${thousands(from)} deals loaded and written before it`);
  // A third of all deals lost: the losses needed are spread evenly over the new deals.
  const lossesWanted = Math.max(0, Math.round(target / 3) - run.lostCount);
  const isLost = (j: number) => Math.floor(((j + 1) * lossesWanted) / count) > Math.floor((j * lossesWanted) / count);
  const put: number[] = [];
  const lost: number[] = [];
  const outcomes: Record<string, number> = {};
  let done = 0;
  let lastReport = performance.now();
  const t0 = performance.now();
  const now = Date.now();
  await runClients(clients, count, async (j) => {
    const i = from + j;
    const deal = dealOf(i);
    const path = `/api/v1/deals/${deal.source}/${encodeURIComponent(deal.externalId)}`;
    const created = await api.send('PUT', path, deal.body, [201]);
    put.push(created.ms);
    const id = (created.json as DealAnswer).data.id;
    if (isLost(j)) {
      const loss = lossOf(i, now);
      const res = await api.send('POST', `${path}/lost`, loss.body, [200]);
      lost.push(res.ms);
      const plan = (res.json as LostAnswer).data.interview;
      outcomes[plan.outcome] = (outcomes[plan.outcome] ?? 0) + 1;
      if (plan.outcome === 'planned' && plan.id) run.unanswered.push({ interviewId: plan.id, dealId: id, index: i, lostAt: loss.lostAt });
      sampleId(run.lostIds, id, i);
    } else {
      sampleId(run.openIds, id, i);
    }
    done += 1;
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      const rate = done / ((lastReport - t0) / 1000);
      console.log(`  ... ${thousands(from + done)} deals (${rate.toFixed(0)} deals/s, about ${Math.round((count - done) / rate)} s to go)`);
    }
  });
  run.dealCount = target;
  run.lostCount += lossesWanted;
  for (const [k, v] of Object.entries(outcomes)) run.outcomes[k] = (run.outcomes[k] ?? 0) + v;
  return { deals: count, requests: count + lossesWanted, seconds: (performance.now() - t0) / 1000, put, lost, outcomes };
}

// ---- answers: a third of the planned interviews, in the stored shape of one sent through the form ------

async function referenceAnswers(appUrl: string): Promise<Answers> {
  const [reference] = await seedInvitedInterviews(1, { label: 'reference' });
  await answerThroughTheForm(appUrl, reference!.token, answerSteps.length - 1);
  const res = await fetch(`${appUrl}/i/${reference!.token}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: stepBody(answerSteps.length),
  });
  if (res.status !== 303) throw new UnexpectedStatus(`POST /i/<token> (the reference answer) answered ${res.status}`);
  const stored = await InterviewResponse.findOne({ interviewId: reference!.interviewId }).lean<{ answers: Answers }>();
  if (!stored) throw new Error('the reference answer was not stored');
  return stored.answers;
}

async function seedAnswers(reference: Answers): Promise<number> {
  const template = await currentTemplate();
  const byRole = new Map(template.questions.map((q) => [q.role, q.id]));
  const permissions = ['named', 'anonymous', 'anonymous', 'internal'] as const;
  // Every third planned interview in load order is answered; the others stay planned.
  const chosen = run.unanswered.filter((_, k) => (run.answeredSoFar + k) % 3 === 0);
  run.answeredSoFar += run.unanswered.length;
  run.unanswered = [];
  const now = Date.now();
  const batch = 500;
  for (let b = 0; b < chosen.length; b += batch) {
    const slice = chosen.slice(b, b + batch);
    const responses = slice.map((p, k) => {
      const rng = rngFor(p.index, 0xa45);
      const reason = buyerReasonOf(p.index);
      const voice = voices[reason]!;
      const use = permissions[(b + k) % permissions.length]!;
      const answers: Answers = structuredClone(reference);
      for (const q of template.questions) {
        const a = answers[q.id];
        if (q.id === byRole.get('primaryReason')) answers[q.id] = reason;
        else if (q.id === byRole.get('whyText') && isTextAnswer(a)) answers[q.id] = { ...a, text: pick(rng, voice.why), use };
        else if (q.id === byRole.get('wouldHaveChanged') && isTextAnswer(a)) answers[q.id] = { ...a, text: pick(rng, voice.changed), use };
        else if (q.id === byRole.get('missingInfo') && isTextAnswer(a)) answers[q.id] = { ...a, text: pick(rng, voice.missing), use };
        else if (isVendorAnswer(a)) answers[q.id] = reason === 'no_decision' ? a : { choice: 'other', other: pick(rng, competitors) };
        else if (isRatingAnswer(a)) answers[q.id] = Object.fromEntries(Object.keys(a).map((item) => [item, 1 + Math.floor(rng() * 5)]));
      }
      // Answered between the loss and now, so the report's days from loss to answer stay sensible.
      const submittedAt = new Date(p.lostAt + rng() * (now - p.lostAt));
      return {
        interviewId: new Types.ObjectId(p.interviewId),
        dealId: new Types.ObjectId(p.dealId),
        templateId: template.id,
        templateVersion: template.version,
        answers,
        ...summarize(template, answers),
        submittedAt,
      };
    });
    await InterviewResponse.insertMany(responses, { lean: true });
    // One update by _id each (what the engine answers from its index), in one round trip.
    await Interview.bulkWrite(
      responses.map((r) => ({
        updateOne: {
          filter: { _id: r.interviewId },
          update: {
            $set: { state: 'completed' },
            $push: {
              timeline: {
                $each: [
                  { state: 'invited', at: new Date(r.submittedAt.getTime() - 3_600_000) },
                  { state: 'completed', at: r.submittedAt },
                ],
              },
            },
          },
        },
      })),
    );
  }
  return chosen.length;
}

// ---- staff pages ----------------------------------------------------------------------------------------

class Staff {
  constructor(
    private readonly url: string,
    private readonly cookie: string,
  ) {}

  async get(path: string, expect = 200): Promise<{ text: string; ms: number }> {
    const t0 = performance.now();
    const res = await fetch(this.url + path, { headers: { cookie: this.cookie }, redirect: 'manual' });
    const text = await res.text();
    const took = performance.now() - t0;
    if (res.status !== expect)
      throw new UnexpectedStatus(
        `GET ${path} answered ${res.status}${res.headers.get('location') ? ` (to ${res.headers.get('location')})` : ''}: ${text.slice(0, 300)}`,
      );
    return { text, ms: took };
  }

  async post(path: string, form: Record<string, string>, expect = 303): Promise<void> {
    const res = await fetch(this.url + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookie, origin: this.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const text = await res.text();
    if (res.status !== expect) throw new UnexpectedStatus(`POST ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  }
}

const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
const updatingNote = 'report-updating';

/** Recomputes every theme set through the pages (as "Recompute now" does) and waits for each run. */
async function recomputeThemes(staff: Staff): Promise<number> {
  const t0 = performance.now();
  const idle = async (set: string) => {
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      const status = JSON.parse((await staff.get(`/themes/status.json?set=${set}`)).text) as { state: string; error: string | null };
      if (status.state === 'done' || status.state === 'none') return;
      if (status.state === 'failed') throw new Error(`the ${set} themes run failed: ${status.error}`);
      if (Date.now() > deadline) throw new Error(`the ${set} themes run did not finish within 15 minutes`);
      await sleep(500);
    }
  };
  for (const set of themeSets) {
    // A run already queued or running (the one new answers schedule) may have read the answers before
    // this size's: let it end, then ask for one that reads them all.
    await idle(set);
    const page = await staff.get(`/themes?set=${set}`);
    const csrf = csrfIn(page.text);
    if (!csrf) throw new Error(`no CSRF token on /themes?set=${set}`);
    await staff.post(`/themes/${set}/recompute`, { _csrf: csrf });
    await idle(set);
  }
  return (performance.now() - t0) / 1000;
}

interface Figure {
  name: string;
  samples: number[];
  /** CPU time per request, ms. */
  cpu?: { app: number; engine: number };
  /** Requests a second, for the concurrent writes. */
  rps?: number;
  note?: string;
}

function show(f: Figure, detail: string): void {
  const cpu = f.cpu ? `CPU/request app ${ms(f.cpu.app).padStart(6)} engine ${ms(f.cpu.engine).padStart(6)} ms` : ' '.repeat(41);
  console.log(
    `  ${f.name.padEnd(22)} p50 ${ms(percentile(f.samples, 50)).padStart(8)} ms   p95 ${ms(percentile(f.samples, 95)).padStart(8)} ms   ${cpu}   ${detail}`,
  );
}

async function timePage(staff: Staff, name: string, path: (k: number) => string): Promise<Figure> {
  await staff.get(path(0)); // warm-up: compiles the template, opens the connection
  const samples: number[] = [];
  const mark = cpuMark();
  for (let k = 0; k < requests; k++) samples.push((await staff.get(path(k + 1))).ms);
  return { name, samples, cpu: cpuSince(mark, requests) };
}

/**
 * Asks until the report is no longer marked as being brought up to date (its rebuild is in). The job
 * worker's writes can keep it marked for a while; after 3 minutes this says so and lets the run go on.
 */
async function settledReport(staff: Staff, path: string): Promise<void> {
  const deadline = Date.now() + 3 * 60_000;
  while ((await staff.get(path)).text.includes(updatingNote)) {
    if (Date.now() > deadline) {
      console.log(`  (${path} was still marked as being brought up to date after 3 minutes of asking: going on)`);
      return;
    }
    await sleep(200);
  }
}

async function measurePages(staff: Staff, api: Api, sizeIndex: number): Promise<Figure[]> {
  const figures: Figure[] = [];
  const themesPage = await staff.get('/themes?set=reasons');
  const themeId = /href="\/themes\/reasons\/([a-z0-9_.-]+)"/.exec(themesPage.text)?.[1];
  if (!themeId) throw new Error('no theme on /themes?set=reasons to open');
  const rotate = (ids: string[], k: number) => ids[(k * 7) % ids.length]!;
  if (run.openIds.length === 0 || run.lostIds.length === 0) throw new Error('no deals sampled for the deal pages');
  const pages: [string, (k: number) => string][] = [
    ['overview', () => '/'],
    ['deals', () => '/deals'],
    ['deals_lost', () => '/deals?status=lost'],
    ['deals_search', (k) => `/deals?q=${encodeURIComponent(searchTerms[k % searchTerms.length]!)}`],
    ['deal_lost', (k) => `/deals/${rotate(run.lostIds, k)}`],
    ['deal_open', (k) => `/deals/${rotate(run.openIds, k)}`],
    ['interviews', () => '/interviews'],
    ['interviews_completed', () => '/interviews?state=completed'],
    ['queue', () => '/interviews/queue'],
    ['themes', () => '/themes?set=reasons'],
    ['themes_helped', () => '/themes?set=helped'],
    ['themes_reps', () => '/themes?set=reps'],
    ['theme', () => `/themes/reasons/${themeId}`],
    ['gap', () => '/themes/gap'],
    ['csv_responses', () => '/reports/responses.csv'],
    ['csv_themes', () => '/reports/themes.csv'],
  ];
  for (const [name, path] of pages) {
    const figure = await timePage(staff, name, path);
    show(figure, path(0));
    figures.push(figure);
  }

  // The report's first build: a view never asked for before (a "lost from" date before every loss, one
  // per request, new at every size), so nothing kept answers it and the request waits for the whole build.
  const coldView = (k: number) => `/reports?from=${new Date(Date.UTC(1900 + sizeIndex, 0, 1) + k * day).toISOString().slice(0, 10)}`;
  const build = await timePage(staff, 'report_build', coldView);
  figures.push(build);
  show(build, '/reports?from=<a new date each time>');

  // Kept: the unfiltered report once it is built, asked again. After a write by the job worker in between
  // (it dispatches interviews and sends emails throughout) a request waits up to 200 ms for the rebuild
  // or is shown the last figures, marked as updating: those are counted.
  await settledReport(staff, '/reports');
  const cached: number[] = [];
  let updating = 0;
  const mark = cpuMark();
  for (let k = 0; k < requests; k++) {
    const res = await staff.get('/reports');
    cached.push(res.ms);
    if (res.text.includes(updatingNote)) updating += 1;
  }
  const kept: Figure = {
    name: 'report_cached',
    samples: cached,
    cpu: cpuSince(mark, requests),
    note: `${updating} of ${requests} shown as being brought up to date (a write came in)`,
  };
  figures.push(kept);
  show(kept, `/reports (${updating} of ${requests} marked updating)`);

  // After a write: one API change to a deal, then the report. The cache waits up to 200 ms for the rebuild
  // and otherwise shows the last figures; before the next round the rebuild is let in and its rest
  // (a slow build's view waits as long as the build took) let pass, so every round starts alike.
  const afterWrite: number[] = [];
  let stale = 0;
  const rest = Math.max(...build.samples) + 100;
  for (let k = 0; k <= requests; k++) {
    const i = (k * 7919) % run.dealCount;
    const deal = dealOf(i, 100_000 + sizeIndex * 1000 + k); // an amount no other write of this bench gives it
    await api.send('PUT', `/api/v1/deals/${deal.source}/${encodeURIComponent(deal.externalId)}`, deal.body, [200]);
    const res = await staff.get('/reports');
    if (k > 0) {
      // round 0 is the warm-up
      afterWrite.push(res.ms);
      if (res.text.includes(updatingNote)) stale += 1;
    }
    await settledReport(staff, '/reports');
    await sleep(rest);
  }
  // No CPU figure: the rounds include the rebuilds and the waits between them.
  const written: Figure = { name: 'report_after_write', samples: afterWrite, note: `${stale} of ${requests} showed the last figures, marked as updating` };
  figures.push(written);
  show(written, `/reports after a PUT (${stale} of ${requests} showed the last figures)`);
  return figures;
}

// ---- API writes under concurrent clients -------------------------------------------------------------

async function measureWrites(api: Api): Promise<Figure[]> {
  const from = run.dealCount;
  const now = Date.now();
  const keyOf = (i: number) => {
    const d = dealOf(i);
    return `/api/v1/deals/${d.source}/${encodeURIComponent(d.externalId)}`;
  };
  const timed = async (name: string, task: (j: number) => Promise<number>): Promise<Figure> => {
    const samples: number[] = [];
    const t0 = performance.now();
    const mark = cpuMark();
    await runClients(clients, writes, async (j) => void samples.push(await task(j)));
    const seconds = (performance.now() - t0) / 1000;
    const figure: Figure = {
      name,
      samples,
      cpu: cpuSince(mark, writes),
      rps: writes / seconds,
      note: `${(writes / seconds).toFixed(1)} req/s with ${clients} client(s)`,
    };
    show(figure, figure.note!);
    return figure;
  };
  const figures = [
    await timed('put_create', async (j) => (await api.send('PUT', keyOf(from + j), dealOf(from + j).body, [201])).ms),
    // The deals just created, lost: each plans (or excludes) an interview, as in the load.
    await timed('lost', async (j) => {
      const loss = lossOf(from + j, now);
      const res = await api.send('POST', `${keyOf(from + j)}/lost`, loss.body, [200]);
      const { deal, interview: plan } = (res.json as LostAnswer).data;
      run.outcomes[plan.outcome] = (run.outcomes[plan.outcome] ?? 0) + 1;
      // answered in proportion with the next size's
      if (plan.outcome === 'planned' && plan.id) run.unanswered.push({ interviewId: plan.id, dealId: deal.id, index: from + j, lostAt: loss.lostAt });
      return res.ms;
    }),
    // Existing deals spread over all of them, each with a changed amount (a change is saved and recorded).
    await timed('put_update', async (j) => {
      const i = Math.floor((j * from) / writes);
      const d = dealOf(i, 1 + j);
      return (await api.send('PUT', keyOf(i), d.body, [200])).ms;
    }),
  ];
  run.dealCount += writes;
  run.lostCount += writes;
  return figures;
}

// ---- what the database holds and what the worker has left -----------------------------------------------

async function databaseState(): Promise<{ line: string; figures: Record<string, number> }> {
  const [deals, lost, interviews, responses, history, handovers, dueEmails, sent] = await Promise.all([
    Deal.estimatedDocumentCount(),
    Deal.countDocuments({ status: 'lost' }),
    Interview.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }]),
    InterviewResponse.estimatedDocumentCount(),
    DealHistory.estimatedDocumentCount(),
    mongoose.connection.db!.collection('interviewhandovers').estimatedDocumentCount(),
    MailSend.countDocuments({ state: 'pending', dueAt: mongoose.trusted({ $lte: new Date() }) }),
    MailSend.countDocuments({ state: 'sent' }),
  ]);
  const states = Object.fromEntries(interviews.map((s) => [s._id, s.n]));
  const total = interviews.reduce((s, x) => s + x.n, 0);
  const line =
    `${thousands(deals)} deals (${thousands(lost)} lost), ${thousands(total)} interviews (${Object.entries(states)
      .map(([k, v]) => `${k} ${thousands(v)}`)
      .join(', ')}), ` +
    `${thousands(responses)} answers, ${thousands(history)} history entries; the worker's backlog: ${thousands(handovers)} interviews not yet handed to the outbox, ${thousands(dueEmails)} emails due, ${thousands(sent)} sent so far`;
  return {
    line,
    figures: { deals, lost_deals: lost, interviews: total, answers: responses, worker_handover_backlog: handovers, worker_emails_due: dueEmails },
  };
}

// ---- main -----------------------------------------------------------------------------------------------

interface SizeResult {
  size: number;
  load: LoadResult;
  figures: Figure[];
  extra: Record<string, number>;
}

async function main(): Promise<void> {
  const data = reuse ? { dir: reuse, remove: () => undefined } : tempDataDir('bench-scale');
  let app: RunningApp | undefined;
  let cleaned = false;
  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    await mongoose.disconnect().catch(() => undefined);
    await app?.stop();
    if (keep) console.log(`kept ${data.dir}`);
    else data.remove();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanUp().then(() => process.exit(130)));
  const results: SizeResult[] = [];
  try {
    console.log(`Starting Debrief (npm start's "all": web and worker in one process; production mode, embedded engine) in ${data.dir} ...`);
    app = await startApp('all', { dataDir: data.dir });
    await connectTo(engineUriOf(data.dir));
    const system = { type: 'system' as const, email: 'bench' };
    const staffAccount = reuse ? { email: 'bench-admin@debrief.test', password: staffPassword } : await seedStaff();
    if (reuse) await resumeRun();
    // Marketers, so the planner has interviewers to share the interviews among.
    for (const name of reuse ? [] : ['Jess Okafor', 'Daniel Kowalski', 'Mia Marketer']) {
      await createUser({ email: `${name.toLowerCase().replace(' ', '.')}@seller.example`, name, role: 'marketer', password: staffPassword }, system);
    }
    // 600 requests a minute per key: 64 keys allow 640 a second, more than the app answers here.
    const keys: string[] = [];
    for (let k = 0; k < 64; k++) keys.push((await createApiKey({ name: `bench client ${k}`, scopes: ['read', 'write'] }, system)).key);
    const api = new Api(app.url, keys);
    const reference = reuse
      ? ((await InterviewResponse.findOne({}).lean<{ answers: Answers }>())?.answers ?? (await referenceAnswers(app.url)))
      : await referenceAnswers(app.url);
    const appPid = app.child.pid;
    const engine = enginePid(appPid);
    measured.app = appPid;
    measured.engine = engine;
    console.log(
      `Debrief at ${app.url} (pid ${appPid}, engine pid ${engine ?? '?'}); ${clients} client(s), ${requests} requests per page, ${writes} per write; sizes ${sizes.map(thousands).join(', ')}.`,
    );

    for (const [sizeIndex, size] of sizes.entries()) {
      console.log(`\n## ${thousands(size)} deals`);
      // The deals the writes of the size before created count toward this one.
      const load = await loadDeals(api, size);
      console.log(
        `Loaded ${thousands(load.deals)} deals in ${load.seconds.toFixed(1)} s: ${(load.deals / load.seconds).toFixed(1)} deals/s, ${(load.requests / load.seconds).toFixed(1)} requests/s ` +
          `(PUT p50 ${ms(percentile(load.put, 50))} / p95 ${ms(percentile(load.put, 95))} ms, lost p50 ${ms(percentile(load.lost, 50))} / p95 ${ms(percentile(load.lost, 95))} ms; ` +
          `interviews ${Object.entries(load.outcomes)
            .map(([k, v]) => `${k} ${thousands(v)}`)
            .join(', ')})`,
      );
      const s0 = performance.now();
      const answered = await seedAnswers(reference);
      console.log(`Answered ${thousands(answered)} interviews (through the models) in ${((performance.now() - s0) / 1000).toFixed(1)} s.`);
      // A fresh session per size: a long load outlasts the session's 30 minutes without activity.
      const staff = new Staff(app.url, await signIn(app.url, staffAccount.email, staffAccount.password));
      const themesSeconds = await recomputeThemes(staff);
      console.log(`Recomputed the three theme sets through the pages in ${themesSeconds.toFixed(1)} s.`);
      const before = await databaseState();
      const load1 = loadavg()[0]!;
      console.log(
        `Before timing: ${before.line}. Load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')} (${cpus().length} CPUs).`,
      );
      // What the job worker costs meanwhile, with no request coming in: the figures below include it.
      const idle = cpuMark();
      await sleep(5000);
      const background = cpuSince(idle, 5);
      console.log(
        `With no requests for 5 s (the job worker at work): app ${(background.app / 10).toFixed(0)}% of a CPU, engine ${(background.engine / 10).toFixed(0)}%.`,
      );
      console.log(`Staff pages, ${requests} sequential requests each after a warm-up:`);
      const figures = await measurePages(staff, api, sizeIndex);
      console.log(`API writes, ${writes} each from ${clients} concurrent client(s):`);
      figures.push(...(await measureWrites(api)));
      const after = await databaseState();
      const rss = { app: rssMb(appPid), engine: rssMb(engine) };
      const heap = engineLiveHeapMb(engine);
      const fileMb = engineFileMb(data.dir);
      console.log(`After timing: ${after.line}.`);
      console.log(
        `Resident memory: app ${ms(rss.app)} MB, engine ${ms(rss.engine)} MB (its Java heap after a full collection: ${ms(heap)} MB); the engine's file: ${ms(fileMb)} MB.`,
      );
      results.push({
        size,
        load,
        figures,
        extra: {
          'load.deals_per_s': load.deals / load.seconds,
          'load.requests_per_s': load.requests / load.seconds,
          'load.put.p50': percentile(load.put, 50),
          'load.put.p95': percentile(load.put, 95),
          'load.lost.p50': percentile(load.lost, 50),
          'load.lost.p95': percentile(load.lost, 95),
          'rss.app_mb': rss.app,
          'rss.engine_mb': rss.engine,
          'engine.live_heap_mb': heap,
          'engine.file_mb': fileMb,
          loadavg_1m: load1,
          'idle.cpu_app_pct': background.app / 10,
          'idle.cpu_engine_pct': background.engine / 10,
          ...Object.fromEntries(Object.entries(before.figures).map(([k, v]) => [`db.${k}`, v])),
        },
      });
    }
    if (api.limited > 0)
      console.log(`\nNote: ${api.limited} requests met the API's rate limit (429) and were sent again after the wait; their waits are not in the figures.`);
    const problems = app.logs().filter((l) => Number(l.level) >= 50);
    if (problems.length) console.log(`\nThe app logged ${problems.length} error(s), the first: ${JSON.stringify(problems[0]).slice(0, 600)}`);
  } finally {
    await cleanUp();
  }

  // ---- the tables and the figure lines --------------------------------------------------------------------
  const pageGoal = 200;
  const writeGoal = 50;
  const writeNames = new Set(['put_create', 'put_update', 'lost']);
  console.log(
    `\nDebrief at scale on the embedded engine (${clients} client(s) for writes; p50/p95 in ms; goals: pages p95 < ${pageGoal} ms, writes p95 < ${writeGoal} ms)`,
  );
  const names = results[0]?.figures.map((f) => f.name) ?? [];
  console.log(`${'figure'.padEnd(22)}${results.map((r) => `${thousands(r.size).padStart(12)} p50${' '.repeat(4)}p95`).join('')}`);
  for (const name of names) {
    const goal = writeNames.has(name) ? writeGoal : pageGoal;
    const cells = results.map((r) => {
      const f = r.figures.find((x) => x.name === name);
      const p95 = f ? percentile(f.samples, 95) : NaN;
      return `${ms(f ? percentile(f.samples, 50) : NaN).padStart(16)}${ms(p95).padStart(8)}${p95 >= goal ? '*' : ' '}`;
    });
    console.log(`${name.padEnd(22)}${cells.join('')}`);
  }
  for (const r of results) {
    console.log(
      `${thousands(r.size)}: load ${r.extra['load.deals_per_s']!.toFixed(1)} deals/s; app ${ms(r.extra['rss.app_mb']!)} MB, engine ${ms(r.extra['rss.engine_mb']!)} MB resident (engine heap live after a full collection ${ms(r.extra['engine.live_heap_mb']!)} MB, file ${ms(r.extra['engine.file_mb']!)} MB)`,
    );
    for (const f of r.figures.filter((x) => x.note)) console.log(`  ${f.name}: ${f.note}`);
  }
  console.log('* p95 over the goal.');
  for (const r of results) {
    for (const f of r.figures) {
      console.log(`scale.${r.size}.${f.name}.p50 ${percentile(f.samples, 50).toFixed(1)}`);
      console.log(`scale.${r.size}.${f.name}.p95 ${percentile(f.samples, 95).toFixed(1)}`);
      if (f.rps !== undefined) console.log(`scale.${r.size}.${f.name}.rps ${f.rps.toFixed(1)}`);
    }
    for (const [k, v] of Object.entries(r.extra)) if (Number.isFinite(v)) console.log(`scale.${r.size}.${k} ${Number.isInteger(v) ? v : v.toFixed(1)}`);
  }
}

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error(err instanceof UnexpectedStatus ? `FAILED: ${err.message}` : err);
  process.exit(1);
}
