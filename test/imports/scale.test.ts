// Big files: a 50,000-row upload and its preview keep the web process answering, and a 5,000-row file runs
// through the worker chunk by chunk with the right counts. (A first import of 50,000 new deals is measured
// by scripts/bench-import.ts, not here: on the embedded engine it takes far longer than a test may.)
import { expect } from 'chai';
import { Deal } from '../../src/deals/model.ts';
import { ImportRun } from '../../src/imports/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { uploadAndPreview, waitForRun } from './helpers.ts';

function bigCsv(rows: number, opts: { badEvery?: number; changedEvery?: number } = {}): string {
  const lines = ['Deal ID,Deal Name,Account Name,Amount,Stage,Contact Name,Contact Email,Segment'];
  for (let i = 1; i <= rows; i += 1) {
    const bad = opts.badEvery && i % opts.badEvery === 0;
    const changed = opts.changedEvery && i % opts.changedEvery === 0;
    lines.push(
      [
        `BIG-${i}`,
        `Deal ${i}`,
        `Company ${i}`,
        changed ? '99000' : String(1000 + (i % 50) * 500),
        'Negotiation',
        `Buyer ${i}`,
        bad ? `buyer${i}-at-example` : `buyer${i}@company${i}.example`,
        'Mid-market',
      ].join(','),
    );
  }
  return lines.join('\r\n');
}

/** Asks /healthz every 50 ms until stopped; returns the slowest answer, in ms. */
function probe(url: string): { stop(): Promise<{ max: number; count: number }> } {
  let running = true;
  let max = 0;
  let count = 0;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.text());
      max = Math.max(max, performance.now() - t);
      count += 1;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { max, count };
    },
  };
}

describe('CSV import at scale', function () {
  this.timeout(120_000);
  useTestDatabase('import_scale');
  const app = useTestApp({ worker: true });
  let c: Client;
  beforeEach(async () => {
    await clearCollections();
    await saveProgram(defaultProgram);
    await buildUser('admin');
    const user = await buildUser('marketer');
    c = new Client(app.url);
    await c.signIn(user.email, testPassword);
  });

  it('a 50,000-row file uploads and is checked row by row while the web process keeps answering', async () => {
    const file = bigCsv(50_000, { badEvery: 100 });
    const health = probe(app.url);
    const t = performance.now();
    const { id, preview } = await uploadAndPreview(c, file, { source: 'big' });
    const took = performance.now() - t;
    const { max, count } = await health.stop();

    expect(preview.body).to.match(/49,500<\/span> <span class="stat-label">rows ready to import/);
    expect(preview.body).to.match(/500<\/span> <span class="stat-label">rows with errors/);
    expect(preview.body).to.contain('row 101: contact email: Enter an email address such as name@company.com.');
    expect(preview.body.match(/<li>row \d+: /g)).to.have.length(100); // the first 100 errors
    const run = await ImportRun.findById(id).lean();
    expect(run).to.deep.include({ rowCount: 50_000, chunkCount: 50, status: 'mapped' });
    expect(took, `upload and preview took ${Math.round(took)} ms`).to.be.below(20_000);
    expect(count).to.be.greaterThan(5);
    expect(max, `the slowest /healthz answer took ${Math.round(max)} ms`).to.be.below(500);
  });

  it('a 5,000-row file runs through the worker chunk by chunk with the right counts', async () => {
    // The deals as an earlier import of the same export left them (made directly: quick to arrange).
    await Deal.insertMany(
      Array.from({ length: 5000 }, (_, k) => {
        const i = k + 1;
        return {
          source: 'big',
          externalId: `BIG-${i}`,
          name: `Deal ${i}`,
          buyerCompany: `Company ${i}`,
          amount: 1000 + (i % 50) * 500,
          currency: 'USD',
          segment: 'Mid-market',
          status: 'open',
          contacts: [{ name: `Buyer ${i}`, email: `buyer${i}@company${i}.example`, primary: true }],
        };
      }),
    );
    const { id } = await uploadAndPreview(c, bigCsv(5000, { badEvery: 500, changedEvery: 499 }), { source: 'big' });
    const started = await c.submit(`/imports/${id}/preview`, `/imports/${id}/start`, {});
    expect(started.status).to.equal(303);
    const run = await waitForRun(id, 100_000);
    expect(run.status).to.equal('done');
    expect(run.processedChunks).to.equal(5);
    expect(run.counters).to.deep.include({ processed: 5000, created: 0, updated: 10, unchanged: 4980, failed: 10 });
    expect(run.rowErrors).to.have.length(10);
    expect((await Deal.findOne({ externalId: 'BIG-499' }).lean())?.amount).to.equal(99000);
    expect(await Deal.countDocuments()).to.equal(5000);
  });
});
