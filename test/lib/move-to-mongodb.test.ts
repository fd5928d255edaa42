// `npm run cli -- move-to-mongodb`: the embedded engine's data copied into another MongoDB-speaking
// server (here a second engine stands in for MongoDB), documents and indexes, and refused while
// Debrief runs or into a database that already holds data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { engineDir } from '../../src/lib/db.ts';
import { startEngine, type Engine } from '../../src/lib/engine.ts';
import { runCli } from '../helpers/process.ts';

describe('npm run cli -- move-to-mongodb', function () {
  this.timeout(90_000);
  let dataDir: string;
  let targetDir: string;
  let target: Engine;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'debrief-move-'));
    targetDir = mkdtempSync(join(tmpdir(), 'debrief-move-target-'));
    const source = await startEngine({ dataDir: engineDir(dataDir) });
    const client = await MongoClient.connect(source.uri);
    const deals = client.db('debrief').collection('deals');
    await deals.insertMany(Array.from({ length: 2500 }, (_, i) => ({ source: 'crm', externalId: `D-${i}`, status: i % 3 ? 'open' : 'lost' })));
    await deals.createIndex({ source: 1, externalId: 1 }, { unique: true });
    await client.db('debrief').collection('users').insertOne({ email: 'ada@debrief.test' });
    await client.close();
    await source.stop();
    target = await startEngine({ dataDir: targetDir });
  });
  after(async () => {
    await target?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(targetDir, { recursive: true, force: true });
  });

  it('copies every collection with its documents and indexes, and will not copy over data', async () => {
    const run = await runCli(['move-to-mongodb', '--uri', target.uri], { DATA_DIR: dataDir });
    expect(run.code, run.err).to.equal(0);
    expect(run.out).to.contain('Copied 2501 documents in 2 collections');
    const client = await MongoClient.connect(target.uri);
    try {
      const deals = client.db('debrief').collection('deals');
      expect(await deals.countDocuments({ status: 'lost' })).to.equal(834);
      const err = await deals.insertOne({ source: 'crm', externalId: 'D-7' }).catch((e: unknown) => e);
      expect((err as { code?: number }).code, 'the unique index came along').to.equal(11000);
    } finally {
      await client.close();
    }
    const again = await runCli(['move-to-mongodb', '--uri', target.uri], { DATA_DIR: dataDir });
    expect(again.code).to.equal(1);
    expect(again.err).to.contain('already holds documents');
  });
});
