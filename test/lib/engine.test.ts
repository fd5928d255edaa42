// The embedded engine's own promises, on an engine of this file's own that is really killed with -9 and
// started again: what it acknowledged is still there, and the indexes it keeps in memory (rebuilt at
// start) answer exactly what a scan answers, before and after a restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { Double, Long, MongoClient, type Collection, type Filter } from 'mongodb';
import { engineArgs } from '../../src/lib/engine.ts';
import { freePort } from '../helpers/process.ts';

interface Doc {
  _id: number;
  state: string;
  n: number | string;
  tags: string[];
  owner?: { email: string };
  at?: Date;
}

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000);

async function startOwnEngine(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn('java', engineArgs({ dataDir, port }), { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('ready ') && resolve());
    child.once('exit', (code) => reject(new Error(`the engine exited (${code})`)));
  });
  return child;
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('the embedded engine', function () {
  this.timeout(60_000);
  let dataDir: string;
  let port: number;
  let engine: ChildProcess | undefined;
  let client: MongoClient | undefined;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'debrief-engine-'));
    port = await freePort();
  });
  after(async () => {
    await client?.close(true);
    if (engine && engine.exitCode === null) await killHard(engine);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const connect = async () => {
    client = new MongoClient(`mongodb://127.0.0.1:${port}/`, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    return client.db('promises').collection<Doc>('docs');
  };

  // Every query twice: as asked (served by an index where one applies) and as a scan would answer it
  // (the same filter under $and, which no index serves), compared as sorted id lists.
  async function expectIndexAgreesWithScan(docs: Collection<Doc>) {
    // Typed loosely: some lists hold BSON doubles and longs, to match numbers by value as MongoDB does.
    const filters: Filter<Doc>[] = [
      { state: 'lost' },
      { state: { $in: ['lost', 'open'] } },
      { state: 'lost', n: { $gte: 10 } },
      { n: 3 },
      { n: 3.0 },
      { n: '3' },
      { tags: 'b' },
      { 'owner.email': 'rep1@x.test' },
      { _id: 7, state: 'lost' },
      { _id: { $in: [1, 2, 3] }, state: 'open' },
      { state: { $eq: 'won' } },
      // Long $in lists are matched through a hash set (numbers by value, arrays element by element).
      { _id: { $in: [...Array.from({ length: 40 }, (_, i) => i * 2), new Double(5), Long.fromNumber(7)] as unknown as number[] } },
      { n: { $in: [new Double(4), '3', ...Array.from({ length: 20 }, (_, i) => 1000 + i)] as unknown as number[] } },
      { tags: { $in: ['b', ...Array.from({ length: 20 }, (_, i) => `t${i}`)] } },
      { state: { $in: ['lost', ...Array.from({ length: 20 }, (_, i) => `s${i}`)] }, n: { $gte: 2 } },
      { missing: { $in: Array.from({ length: 20 }, (_, i) => i) } },
      // Ranges on an index's first field, ascending and descending, open and closed, across types.
      { n: { $gt: 1, $lte: 4 } },
      { n: { $gte: 3 } },
      { n: { $lt: '3' } },
      { n: { $gte: 2 }, state: 'open' },
      { at: { $gte: at(20) } },
      { at: { $gt: at(10), $lt: at(30) } },
      { at: { $lte: at(5) } },
    ];
    for (const filter of filters) {
      const viaIndex = (await docs.find(filter).toArray()).map((d) => d._id).sort((a, b) => a - b);
      const viaScan = (await docs.find({ $and: [filter] }).toArray()).map((d) => d._id).sort((a, b) => a - b);
      expect(viaIndex, JSON.stringify(filter)).to.deep.equal(viaScan);
      const counted = await docs.countDocuments(filter);
      expect(counted, `count ${JSON.stringify(filter)}`).to.equal(viaScan.length);
    }
    // Sorted pages read in an index's order (either direction) match a scan sorted here, in MongoDB's
    // order for these values (numbers before strings).
    const rank = (v: number | string) => (typeof v === 'number' ? [0, v] : [1, v]) as [number, number | string];
    const byN = (dir: 1 | -1) => (a: Doc, b: Doc) => {
      const [ta, va] = rank(a.n);
      const [tb, vb] = rank(b.n);
      return dir * (ta - tb || (va < vb ? -1 : va > vb ? 1 : 0));
    };
    const sorts: [Record<string, unknown>, Record<string, 1 | -1>, number][] = [
      [{ state: 'lost' }, { n: -1 }, 5],
      [{ state: 'lost' }, { n: 1 }, 0],
      [{ state: 'open', tags: 'c' }, { n: -1 }, 3],
      [{}, { n: 1 }, 10],
      [{}, { n: -1 }, 0],
    ];
    for (const [filter, sort, limit] of sorts) {
      const viaIndex = await docs.find(filter).sort(sort).limit(limit).toArray();
      const all = (await docs.find({ $and: [filter] }).toArray()).sort(byN(sort.n!));
      const viaScan = limit ? all.slice(0, limit) : all;
      const label = `${JSON.stringify(filter)} sorted ${JSON.stringify(sort)} limit ${limit}`;
      expect(
        viaIndex.map((d) => d.n),
        label,
      ).to.deep.equal(viaScan.map((d) => d.n));
      // The same page as a pipeline ($match, $sort, $skip, $limit), as list pages ask with a $lookup after.
      const pipeline: object[] = [{ $match: filter }, { $sort: sort }, { $skip: limit ? 1 : 0 }, ...(limit ? [{ $limit: limit }] : [])];
      const viaPipeline = await docs.aggregate<Doc>(pipeline).toArray();
      const expected = limit ? all.slice(1, 1 + limit) : all.slice(0);
      expect(
        viaPipeline.map((d) => d.n),
        `pipeline: ${label}`,
      ).to.deep.equal(expected.map((d) => d.n));
      if (!limit) expect(viaIndex.map((d) => d._id).sort(), label).to.deep.equal(viaScan.map((d) => d._id).sort());
    }
  }

  it('keeps every acknowledged write across a kill -9, and its indexes answer as a scan does before and after', async () => {
    engine = await startOwnEngine(dataDir, port);
    let docs = await connect();
    await docs.createIndex({ state: 1, n: -1 });
    await docs.createIndex({ n: 1 });
    await docs.createIndex({ tags: 1 });
    await docs.createIndex({ 'owner.email': 1 });
    await docs.createIndex({ at: -1 });
    const states = ['lost', 'open', 'won'];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        docs.insertOne({
          _id: i,
          state: states[i % 3]!,
          n: i % 7 === 0 ? String(i % 5) : i % 5,
          tags: i % 2 ? ['a', 'b'] : ['c'],
          ...(i % 6 ? { at: at(i) } : {}),
          ...(i % 4 ? { owner: { email: `rep${i % 3}@x.test` } } : {}),
        }),
      ),
    );
    // Moves between indexed values, removals and an update that adds a field: the indexes follow each.
    await docs.updateMany({ _id: { $in: [1, 2, 3, 4] } }, { $set: { state: 'lost', tags: ['b'] } });
    await docs.updateOne({ _id: 8 }, { $set: { owner: { email: 'rep1@x.test' } } });
    await docs.deleteMany({ _id: { $in: [9, 10, 11] } });
    await docs.findOneAndUpdate({ _id: 12, state: 'lost' }, { $set: { state: 'won' } });
    await expectIndexAgreesWithScan(docs);
    // The last writes before the kill, acknowledged one by one; a write sent unjournaled (j: false, as
    // rate-limit counts are) reaches the disk with the next journaled one.
    await docs.updateOne({ _id: 21 }, { $set: { n: 77 } }, { writeConcern: { w: 1, j: false } });
    await docs.updateOne({ _id: 20 }, { $set: { n: 99 }, $push: { tags: 'z' } });
    await docs.insertOne({ _id: 100, state: 'lost', n: 1, tags: [] });

    await client!.close(true);
    await killHard(engine);
    engine = await startOwnEngine(dataDir, port);
    docs = await connect();
    expect(await docs.countDocuments()).to.equal(58);
    expect(await docs.findOne({ _id: 20 }))
      .to.deep.include({ n: 99 })
      .and.have.property('tags')
      .that.includes('z');
    expect(await docs.findOne({ _id: 100 })).to.deep.include({ state: 'lost' });
    expect(await docs.findOne({ _id: 21 })).to.deep.include({ n: 77 });
    expect((await docs.findOne({ _id: 1 }))?.state).to.equal('lost');
    await expectIndexAgreesWithScan(docs);
  });
});
