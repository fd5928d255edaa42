// The embedded engine chosen by measurement (not a timed test): `npm run bench:engines [-- --deals 50000 --runs 5]`.
// Loads the same deals (a third lost) into each candidate, then times the app's own queries on each, in
// alternating rounds, and checks the promises the app rests on:
//   current    the embedded engine (mongo-java-server + H2, engine/), as the app starts it
//   ferretdb   FerretDB 1.24 over SQLite, the previous default, built with Go by scripts/ferretdb-export
//              (skipped without Go), plain: without the relay and index sweeper the app used to add
// Prints a table, then one `engines.<engine>.<figure> <value>` line per figure.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient, type Collection } from 'mongodb';
import { engineArgs } from '../src/lib/engine.ts';
import { buildExporter } from '../src/lib/ferretdb-migration.ts';
import { flag } from './drill-lib.ts';

interface DealDoc {
  _id: string;
  source: string;
  externalId: string;
  name: string;
  status: string;
  lostAt: Date | null;
  owner: { email: string };
  competitor: string;
  notes: string;
  log?: number[];
  state?: string;
}

const dealCount = flag('deals', 50_000);
const runs = flag('runs', 5);
const root = mkdtempSync(join(tmpdir(), 'debrief-bench-engines-'));

interface Candidate {
  name: string;
  start: (dir: string) => Promise<{ uri: string; child: ChildProcess }>;
}

async function readyLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^ready (mongodb:\/\/\S+)$/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the engine exited (${code})`)));
  });
}

const candidates: Candidate[] = [
  {
    name: 'current',
    start: async (dir) => {
      const child = spawn('java', engineArgs({ dataDir: dir }), { stdio: ['pipe', 'pipe', 'inherit'] });
      return { uri: await readyLine(child), child };
    },
  },
];
try {
  const binary = buildExporter((line) => console.log(line));
  candidates.push({
    name: 'ferretdb',
    start: async (dir) => {
      mkdirSync(dir, { recursive: true });
      const child = spawn(binary, ['-data', dir], { stdio: ['pipe', 'pipe', 'inherit'] });
      return { uri: await readyLine(child), child };
    },
  });
} catch (err) {
  console.log(`FerretDB skipped: ${(err as Error).message}`);
}

const rssMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

function deal(i: number): DealDoc {
  const lost = i % 3 === 0;
  return {
    _id: `deal-${i}`,
    source: 'crm',
    externalId: `D-${i}`,
    name: `Deal ${i}`,
    status: lost ? 'lost' : 'open',
    lostAt: lost ? new Date(Date.UTC(2026, 0, 1) + i * 60_000) : null,
    owner: { email: `rep${i % 40}@example.com` },
    competitor: `Competitor ${i % 7}`,
    notes: 'Notes from the last call. '.repeat(12),
  };
}

/** Pairs of updates to one document sent at the same moment from two connections. */
async function racePairs(a: Collection<DealDoc>, b: Collection<DealDoc>, pairs: number): Promise<{ lostOne: number; bothConditional: number }> {
  let lostOne = 0;
  let bothConditional = 0;
  for (let i = 0; i < pairs; i++) {
    const _id = `race-${i}`;
    await a.insertOne({ ...deal(i), _id, externalId: `R-${i}`, log: [], state: 'invited' });
    await Promise.all([a.updateOne({ _id }, { $push: { log: 1 } }), b.updateOne({ _id }, { $push: { log: 2 } })]);
    if (((await a.findOne({ _id }))?.log ?? []).length !== 2) lostOne++;
    const [x, y] = await Promise.all([
      a.updateOne({ _id, state: 'invited' }, { $set: { state: 'completed' } }),
      b.updateOne({ _id, state: 'invited' }, { $set: { state: 'reminded' } }),
    ]);
    if (x.modifiedCount + y.modifiedCount > 1) bothConditional++;
  }
  return { lostOne, bothConditional };
}

const figures = new Map<string, Map<string, string>>();
const note = (engine: string, figure: string, value: number | string) => {
  if (!figures.has(figure)) figures.set(figure, new Map());
  figures.get(figure)!.set(engine, String(value));
  if (typeof value === 'number') console.log(`engines.${engine}.${figure} ${value}`);
};

const running: { name: string; dir: string; uri: string; child: ChildProcess; client: MongoClient; deals: Collection<DealDoc> }[] = [];
try {
  for (const c of candidates) {
    const dir = join(root, c.name);
    const { uri, child } = await c.start(dir);
    const client = await MongoClient.connect(uri);
    const deals = client.db('bench').collection<DealDoc>('deals');
    await deals.createIndex({ source: 1, externalId: 1 }, { unique: true });
    await deals.createIndex({ status: 1, lostAt: -1 });
    const t = performance.now();
    for (let i = 0; i < dealCount; i += 1000) await deals.insertMany(Array.from({ length: Math.min(1000, dealCount - i) }, (_, k) => deal(i + k)));
    note(c.name, 'load_deals_per_s', Math.round(dealCount / ((performance.now() - t) / 1000)));
    running.push({ name: c.name, dir, uri, child, client, deals });
    console.log(`${c.name}: ${dealCount} deals loaded`);
  }

  const workloads: [string, (d: Collection<DealDoc>, round: number) => Promise<unknown>][] = [
    ['find_by_id_ms', (d, r) => d.findOne({ _id: `deal-${(r * 7919) % dealCount}` })],
    ['find_by_source_and_id_ms', (d, r) => d.findOne({ source: 'crm', externalId: `D-${(r * 7919) % dealCount}` })],
    ['lost_sorted_page_ms', (d) => d.find({ status: 'lost' }).sort({ lostAt: -1 }).limit(25).toArray()],
    ['count_lost_ms', (d) => d.countDocuments({ status: 'lost' })],
    ['conditional_update_ms', (d, r) => d.updateOne({ _id: `deal-${(r * 3) % dealCount}`, status: 'lost' }, { $push: { log: r } })],
    ['lost_by_competitor_ms', (d) => d.aggregate([{ $match: { status: 'lost' } }, { $group: { _id: '$competitor', n: { $sum: 1 } } }]).toArray()],
  ];
  const samples = new Map<string, number[]>();
  for (let round = 0; round < runs; round++) {
    for (const [figure, run] of workloads) {
      for (const r of round % 2 ? [...running].reverse() : running) {
        const key = `${r.name}/${figure}`;
        samples.set(key, [...(samples.get(key) ?? []), await timed(() => run(r.deals, round))]);
      }
    }
  }
  for (const [key, xs] of samples) {
    const [name, figure] = key.split('/') as [string, string];
    note(name, figure, Number(median(xs).toFixed(1)));
  }

  for (const r of running) {
    const second = await MongoClient.connect(r.uri);
    const race = await racePairs(r.client.db('bench').collection('races'), second.db('bench').collection('races'), 100);
    await second.close();
    note(r.name, 'concurrent_pairs_losing_one_of_100', race.lostOne);
    note(r.name, 'conditional_pairs_both_applied_of_100', race.bothConditional);
    note(r.name, 'rss_mb_loaded', rssMb(r.child.pid!));

    // Durability: 50 acknowledged inserts and an update, then kill -9, then count on a restart.
    const kept = r.client.db('bench').collection<{ _id: string; n: number }>('durable');
    await Promise.all(Array.from({ length: 50 }, (_, i) => kept.insertOne({ _id: `k${i}`, n: 0 })));
    await kept.updateOne({ _id: 'k0' }, { $set: { n: 1 } });
    await r.client.close(true);
    r.child.kill('SIGKILL');
    await new Promise((resolve) => r.child.once('exit', resolve));
    const t = performance.now();
    const again = await candidates.find((c) => c.name === r.name)!.start(r.dir);
    const client = await MongoClient.connect(again.uri);
    await client.db('bench').collection('deals').findOne({ status: 'lost' });
    note(r.name, 'restart_and_first_query_ms', Math.round(performance.now() - t));
    const durable = client.db('bench').collection<{ _id: string; n: number }>('durable');
    note(r.name, 'acknowledged_inserts_kept_of_50', await durable.countDocuments());
    note(r.name, 'acknowledged_update_kept', (await durable.findOne({ _id: 'k0' }))?.n === 1 ? 1 : 0);
    await client.close();
    again.child.kill('SIGKILL');
  }

  const names = running.map((r) => r.name);
  console.log(`\n| at ${dealCount} deals (median of ${runs}) | ${names.join(' | ')} |\n| --- | ${names.map(() => '---').join(' | ')} |`);
  for (const [figure, byEngine] of figures) console.log(`| ${figure} | ${names.map((n) => byEngine.get(n) ?? '').join(' | ')} |`);
} finally {
  for (const r of running) r.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
}
process.exit(0);
