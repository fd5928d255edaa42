// Measures the CSV import against the embedded engine (or MONGODB_URI when set): upload parse and store,
// the preview's validation of every row, the import job (rows/s, chunk by chunk), and a re-import of the
// same file. Run: node --import tsx scripts/bench-import.ts [--rows 50000] [--lost 0.2] [--max-seconds 600]
// --max-seconds stops the first import after that long and prints the rate so far (a first import on the
// embedded engine slows as the deals collection grows: see the README's CSV import section).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { createUser } from '../src/accounts/service.ts';
import { Deal } from '../src/deals/model.ts';
import { guessMapping } from '../src/imports/fields.ts';
import { ImportRun, type ImportRunDoc } from '../src/imports/model.ts';
import { runImport } from '../src/imports/runner.ts';
import { createImport, getImport, saveMapping, startImport } from '../src/imports/service.ts';
import { startEngine, type Engine } from '../src/lib/engine.ts';
import { createLogger } from '../src/lib/logger.ts';
import { ensureIndexes } from '../src/server.ts';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '50000' }, lost: { type: 'string', default: '0.2' }, 'max-seconds': { type: 'string', default: '0' } } });
const rows = Number(args.rows);
const lostShare = Number(args.lost);
const maxSeconds = Number(args['max-seconds']);

function csv(n: number): Buffer {
  const lines = ['Opportunity ID,Opportunity Name,Account Name,Amount,Currency,Stage,Close Date,Loss Reason,Competitor,Contact Name,Contact Email,Segment'];
  const lostEvery = lostShare > 0 ? Math.round(1 / lostShare) : 0;
  for (let i = 1; i <= n; i += 1) {
    const lost = lostEvery > 0 && i % lostEvery === 0;
    lines.push([`OPP-${i}`, `Deal ${i}`, `Company ${i}`, String(1000 + (i % 90) * 1000), 'USD', lost ? 'Closed Lost' : 'Negotiation', lost ? '2024-03-15' : '', lost ? 'Price' : '', lost ? 'Clearpath' : '', `Buyer ${i}`, `buyer${i}@company${i}.example`, 'Mid-market'].join(','));
  }
  return Buffer.from(lines.join('\n'));
}

const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(2);
const rate = (n: number, from: number) => Math.round(n / ((performance.now() - from) / 1000));

async function importOnce(label: string, file: Buffer, by: { id: string; email: string }): Promise<ImportRunDoc> {
  let t = performance.now();
  const run = await createImport({ buffer: file, filename: 'bench.csv' }, 'bench', by);
  console.log(`${label}: upload parse + store of ${run.rowCount} rows (${(file.length / 1024 / 1024).toFixed(1)} MB, ${run.chunkCount} chunks): ${seconds(t)} s`);
  t = performance.now();
  const report = await saveMapping(String(run._id), guessMapping(run.headers));
  console.log(`${label}: preview validation of every row: ${seconds(t)} s (${report.valid} valid, ${report.invalid} invalid)`);
  await startImport(String(run._id), async () => {});
  t = performance.now();
  let stopped = false;
  const job = runImport(String(run._id), { logger: createLogger('silent'), touch: async () => {} }).finally(() => (stopped = true));
  job.catch(() => {}); // a run cut short by --max-seconds fails as the connection closes
  let lastChunks = 0;
  let chunkStart = performance.now();
  while (!stopped) {
    await sleep(500);
    const now = await ImportRun.findById(run._id).select({ processedChunks: 1, counters: 1 }).lean<ImportRunDoc>();
    if (now && now.processedChunks !== lastChunks) {
      const done = now.processedChunks - lastChunks;
      console.log(`${label}: ${now.counters.processed} rows in ${seconds(t)} s; last ${done} chunk(s) at ${rate(done * 1000, chunkStart)} rows/s (deals stored: ${await Deal.estimatedDocumentCount()})`);
      lastChunks = now.processedChunks;
      chunkStart = performance.now();
    }
    if (maxSeconds > 0 && (performance.now() - t) / 1000 > maxSeconds) {
      const now2 = await ImportRun.findById(run._id).lean<ImportRunDoc>();
      console.log(`${label}: stopped after ${seconds(t)} s with ${now2?.counters.processed ?? 0} rows counted (counted per finished chunk of 1,000); deals stored: ${await Deal.estimatedDocumentCount()}`);
      return now2!;
    }
  }
  await job;
  const done = await getImport(String(run._id));
  console.log(`${label}: import job ${seconds(t)} s, ${rate(done.rowCount, t)} rows/s overall; counters ${JSON.stringify(done.counters)}`);
  return done;
}

let engine: Engine | undefined;
let dir: string | undefined;
const uri = process.env.MONGODB_URI;
if (uri) await mongoose.connect(uri);
else {
  dir = mkdtempSync(join(tmpdir(), 'debrief-bench-'));
  engine = await startEngine({ dataDir: dir });
  await mongoose.connect(`${engine.uri}bench_import`);
}
try {
  await ensureIndexes();
  const marketer = await createUser({ email: `bench-${Date.now()}@debrief.test`, name: 'Bench Marketer', role: 'marketer', password: 'correct horse battery staple' }, { type: 'system' });
  const file = csv(rows);
  const by = { id: String(marketer._id), email: marketer.email };
  const first = await importOnce('first import', file, by);
  if (first.status === 'done') await importOnce('same file again', file, by);
} finally {
  if (!uri) await mongoose.connection.dropDatabase();
  await mongoose.disconnect();
  await engine?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
