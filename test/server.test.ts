// Debrief as a newcomer runs it: a real process on the embedded engine, stopped and started again.
import { companies } from '../src/demo/content.ts';
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from './helpers/client.ts';
import { freePort, startAppProcess, waitUntilDead, type AppProcess } from './helpers/process.ts';

const admin = { name: 'Ada Admin', email: 'ada@debrief.test', password: 'plum orchard telescope 42' };

function enginePid(dataDir: string): number {
  return (JSON.parse(readFileSync(join(dataDir, 'engine.lock'), 'utf8')) as { pid: number; info: { uri: string } }).pid;
}

async function engineChildPid(app: AppProcess): Promise<number> {
  const line = await app.waitForLog(/^database: /);
  const m = /pid (\d+)\)/.exec(String(line.msg));
  expect(m, String(line.msg)).to.not.equal(null);
  return Number(m![1]);
}

describe('running Debrief (npm start) on the embedded engine', function () {
  this.timeout(90000);
  let dataDir: string;
  let port: number;
  const running: AppProcess[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'debrief-run-'));
    port = await freePort();
  });
  afterEach(async () => {
    for (const app of running.splice(0)) {
      if (app.child.exitCode === null) {
        app.child.kill('SIGKILL');
        await app.exited;
      }
    }
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const env = () => ({ DATA_DIR: dataDir, PORT: String(port) });
  const start = (role: 'all' | 'web' | 'worker', extra: Record<string, string> = {}) => {
    const app = startAppProcess(role, { ...env(), ...extra });
    running.push(app);
    return app;
  };

  it('starts, says which database it uses, seeds the demo workspace, asks for the first admin and shows the demo', async () => {
    const app = start('all');
    const dbLine = await app.waitForLog(/^database: /);
    expect(String(dbLine.msg)).to.contain('the embedded engine (mongo-java-server/H2)').and.contain(dataDir);
    await app.waitForLog(/^seeded the demo workspace$/);
    await app.waitForLog(/^Debrief is listening on/);
    const client = new Client(`http://127.0.0.1:${port}`);
    expect((await client.get('/')).location).to.equal('/sign-in?next=%2F');
    expect((await client.get('/sign-in')).location).to.equal('/setup');
    const setup = await client.submit('/setup', '/setup', { ...admin, confirm: admin.password });
    expect(setup.status).to.equal(303);
    const home = await client.get('/');
    expect(home.status).to.equal(200);
    expect(home.body).to.contain('Demo workspace');

    const engine = enginePid(dataDir);
    app.child.kill('SIGTERM');
    expect(await app.exited).to.equal(0);
    expect(await waitUntilDead(engine), 'the engine outlived the app').to.equal(true);
    expect(existsSync(join(dataDir, 'engine.lock'))).to.equal(false);
  });

  it('keeps its data across a restart and does not seed twice', async () => {
    const app = start('all');
    await app.waitForLog(/^Debrief is listening on/);
    expect(app.logs.some((l) => l.msg === 'seeded the demo workspace')).to.equal(false);
    const client = new Client(`http://127.0.0.1:${port}`);
    await client.signIn(admin.email, admin.password);
    expect((await client.get('/deals')).body).to.contain(`${companies.length} deals`); // one demo deal per company
    expect((await client.get('/setup')).status).to.equal(404);
    app.child.kill('SIGINT');
    expect(await app.exited).to.equal(0);
  });

  it('leaves no engine process behind when the app is killed with -9', async () => {
    const app = start('all');
    const engine = await engineChildPid(app);
    await app.waitForLog(/^Debrief is listening on/);
    app.child.kill('SIGKILL');
    await app.exited;
    expect(await waitUntilDead(engine), 'the engine outlived a killed app').to.equal(true);
    // ...and the next start takes over the stale lock files.
    const again = start('all');
    await again.waitForLog(/^Debrief is listening on/);
    again.child.kill('SIGTERM');
    expect(await again.exited).to.equal(0);
  });

  it('runs web and two workers as separate processes on one data folder (the jobs are shared through agenda’s locks)', async () => {
    const web = start('web');
    await web.waitForLog(/^Debrief is listening on/);
    const worker = start('worker');
    const dbLine = await worker.waitForLog(/^database: /);
    expect(String(dbLine.msg)).to.contain('shared with Debrief process');
    await worker.waitForLog(/^job worker started$/);
    const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { status: string };
    expect(ready.status).to.equal('ready');

    const second = start('worker');
    await second.waitForLog(/^job worker started$/);
    second.child.kill('SIGTERM');
    expect(await second.exited).to.equal(0);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).to.equal(0);
    web.child.kill('SIGTERM');
    expect(await web.exited).to.equal(0);
  });

  it('stops at start-up on a data folder of the earlier FerretDB engine and says how to move it', async () => {
    const oldDir = mkdtempSync(join(tmpdir(), 'debrief-ferretdb-'));
    try {
      mkdirSync(join(oldDir, 'engine'));
      writeFileSync(join(oldDir, 'engine', 'debrief.sqlite'), '');
      const app = start('all', { DATA_DIR: oldDir });
      expect(await app.exited).to.equal(1);
      const said = app.logs.map((l) => String(l.msg)).join('\n') + app.stderr.join('\n');
      expect(said).to.contain('npm run cli -- migrate-ferretdb').and.contain(join(oldDir, 'engine'));
      expect(existsSync(join(oldDir, 'db')), 'no empty new database beside the old one').to.equal(false);
    } finally {
      rmSync(oldDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a bad configuration with a readable list of what is wrong', async () => {
    const app = start('all', { PORT: 'eighty', MONGODB_URI: 'http://nope' });
    expect(await app.exited).to.equal(1);
    const text = app.stderr.join('\n');
    expect(text).to.contain('the configuration has 2 problem(s)');
    expect(text).to.contain('PORT: must be a whole number');
    expect(text).to.contain('MONGODB_URI: must be a MongoDB connection string');
  });
});
