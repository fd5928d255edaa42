// The themes page under the load it meets in use: viewed again and again while the themes are
// recomputed and the job worker hands out interviews. Seen on the previous engine (FerretDB behind a
// relay): one view in about 150 answered 500 ("BSON element 'cursor' is missing") and agenda could not
// update a job. A regression guard for the engine, the driver and the queue together.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { dispatchJob } from '../../jobs/interviews-dispatch.ts';
import { themesRecomputeJob } from '../../jobs/themes-recompute.ts';
import { seedDemoWorkspace } from '../../src/demo/seed.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { jobsCollection } from '../../src/lib/queue.ts';
import { ThemeRun } from '../../src/themes/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { captureLogs } from '../helpers/logs.ts';

describe('the themes page while themes are recomputed and the worker runs', () => {
  useTestDatabase('themes_load');
  const logs = captureLogs('warn');
  const app = useTestApp({ worker: true, logger: logs.logger });

  it('200 views all answer 200, and neither the worker nor the pages log an error', async function () {
    this.timeout(60_000);
    await seedDemoWorkspace(true, createLogger('silent'));
    await buildUser('admin');
    const viewer = await buildUser('viewer');
    const clients = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const c = new Client(app.url);
        await c.signIn(viewer.email, testPassword);
        return c;
      }),
    );
    await app.queue.agenda.every('2 seconds', dispatchJob.name, {});
    const jobs = mongoose.connection.db!.collection(jobsCollection);
    let viewing = true;
    let runs = 0;
    // Recompute over and over while the pages are viewed, as a marketer pressing the button would.
    const recomputing = (async () => {
      while (viewing) {
        await app.queue.enqueue(themesRecomputeJob, {});
        runs += 1;
        while (viewing && (await jobs.countDocuments({ name: themesRecomputeJob.name })) > 0) await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const statuses: number[] = [];
    try {
      await Promise.all(
        clients.map(async (c) => {
          for (let i = 0; i < 50; i++) {
            const set = (['reasons', 'helped', 'reps'] as const)[i % 3];
            statuses.push((await c.get(`/themes?set=${set}`)).status);
          }
        }),
      );
    } finally {
      viewing = false;
      await recomputing;
      await app.queue.agenda.cancel({ name: dispatchJob.name });
    }
    expect(statuses).to.have.length(200);
    expect(
      statuses.filter((s) => s !== 200),
      'views that did not answer 200',
    ).to.deep.equal([]);
    expect(runs, 'recomputes started while the page was viewed').to.be.at.least(2);
    expect(await ThemeRun.countDocuments({ state: 'failed' }), 'failed theme runs').to.equal(0);
    expect(logs.text(), 'errors logged').not.to.match(/"level":(50|60)/);
  });
});
