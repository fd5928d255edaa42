// The import job in the worker: safe to run twice, resumes after its last finished chunk, stops cleanly
// on an error, and uploads nobody started are cleared away.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { csvImportJob } from '../../jobs/csv-import.ts';
import { Deal } from '../../src/deals/model.ts';
import { guessMapping } from '../../src/imports/fields.ts';
import { chunkId, ImportChunk, ImportRun, type ImportRunDoc } from '../../src/imports/model.ts';
import { createImport, expireStaleImports, getImport, saveMapping, startImport } from '../../src/imports/service.ts';
import { idleTestQueue, testJobContext } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const uploader = { id: new mongoose.Types.ObjectId().toHexString(), email: 'mia@debrief.test', name: 'Mia Marketer' };

function csvOf(rows: number): string {
  const lines = ['Deal ID,Deal Name,Company,Status'];
  for (let i = 1; i <= rows; i += 1) lines.push(`R-${i},Deal ${i},Company ${i},Open`);
  return lines.join('\n');
}

async function mappedRun(rows: number): Promise<ImportRunDoc> {
  const run = await createImport({ buffer: Buffer.from(csvOf(rows)), filename: 'deals.csv' }, 'crm', uploader);
  await saveMapping(String(run._id), guessMapping(run.headers));
  return getImport(String(run._id));
}

describe('the CSV import job', () => {
  useTestDatabase('import_runner');
  const jobContext = () => testJobContext(idleTestQueue());
  beforeEach(clearCollections);

  it('run twice, imports once', async () => {
    const run = await mappedRun(3);
    expect(await startImport(String(run._id), async () => {})).to.equal(true);
    expect(await startImport(String(run._id), async () => {})).to.equal(false); // a second click
    await csvImportJob.run({ runId: String(run._id) }, jobContext());
    await csvImportJob.run({ runId: String(run._id) }, jobContext());
    const after = await getImport(String(run._id));
    expect(after.status).to.equal('done');
    expect(after.counters).to.deep.include({ processed: 3, created: 3 });
    expect(await Deal.countDocuments()).to.equal(3);
  });

  it('resumes after the last finished chunk when a worker stopped mid-run', async () => {
    const run = await mappedRun(1003); // two chunks: rows 2–1001 and 1002–1004
    expect(run.chunkCount).to.equal(2);
    // As a worker that died after the first chunk left it.
    await ImportRun.updateOne({ _id: run._id }, { $set: { status: 'running', processedChunks: 1, 'counters.processed': 1000, 'counters.created': 1000 } });
    await csvImportJob.run({ runId: String(run._id) }, jobContext());
    const after = await getImport(String(run._id));
    expect(after.status).to.equal('done');
    expect(after.processedChunks).to.equal(2);
    expect(after.counters).to.deep.include({ processed: 1003, created: 1003 });
    expect((await Deal.find().lean()).map((d) => d.externalId).sort()).to.deep.equal(['R-1001', 'R-1002', 'R-1003']);
  });

  it('stops on an error, keeps what it imported, and can be resumed', async () => {
    const run = await mappedRun(1002);
    await startImport(String(run._id), async () => {});
    const second = await ImportChunk.findById(chunkId(run._id, 1)).lean();
    await ImportChunk.deleteOne({ _id: chunkId(run._id, 1) });
    // The first chunk's 1,000 rows are new deals: import them as existing ones would be slow on the test engine.
    await Deal.insertMany(
      Array.from({ length: 1000 }, (_, i) => ({
        source: 'crm',
        externalId: `R-${i + 1}`,
        name: `Deal ${i + 1}`,
        buyerCompany: `Company ${i + 1}`,
        status: 'open',
      })),
    );

    let thrown: unknown;
    await csvImportJob.run({ runId: String(run._id) }, jobContext()).catch((err: unknown) => (thrown = err));
    expect(thrown).to.be.instanceOf(Error);
    const failed = await getImport(String(run._id));
    expect(failed.status).to.equal('failed');
    expect(failed.failure).to.contain('resume to continue');
    expect(failed.processedChunks).to.equal(1);
    expect(failed.counters).to.deep.include({ processed: 1000, unchanged: 1000 });

    await ImportChunk.create(second!);
    expect(await startImport(String(run._id), (runId) => csvImportJob.run({ runId }, jobContext()))).to.equal(true);
    const done = await getImport(String(run._id));
    expect(done.status).to.equal('done');
    expect(done.counters).to.deep.include({ processed: 1002, unchanged: 1000, created: 2 });
  });

  it('clears away uploads nobody started, and stopped imports nobody resumed, within two days', async () => {
    const stale = await mappedRun(2);
    const fresh = await mappedRun(2);
    const stopped = await mappedRun(2);
    const longAgo = new Date(Date.now() - 49 * 3600_000);
    await mongoose.connection.collection('importruns').updateOne({ _id: stale._id }, { $set: { createdAt: longAgo } });
    await mongoose.connection
      .collection('importruns')
      .updateOne({ _id: stopped._id }, { $set: { status: 'failed', failure: 'The import stopped', updatedAt: longAgo } });
    expect(await expireStaleImports()).to.equal(2);
    const notResumed = await getImport(String(stopped._id));
    expect(notResumed).to.deep.include({ status: 'failed', rowsDropped: true });
    expect(notResumed.failure).to.contain('not resumed within 48 hours');
    const expired = await getImport(String(stale._id));
    expect(expired.status).to.equal('failed');
    expect(expired.failure).to.contain('Not started within 48 hours');
    expect(await ImportChunk.findById(chunkId(stale._id, 0)).lean()).to.equal(null);
    expect(await ImportChunk.findById(chunkId(fresh._id, 0)).lean()).to.not.equal(null);
    let refused: unknown;
    await startImport(String(stale._id), async () => {}).catch((err: unknown) => (refused = err));
    expect((refused as { status?: number }).status).to.equal(409);
  });
});
