// Moves a data folder of Debrief's earlier embedded engine (FerretDB 1.24 over SQLite, DATA_DIR/engine)
// into the current one (DATA_DIR/db): builds a small FerretDB server with Go (scripts/ferretdb-export),
// serves the old folder with it on loopback, copies every collection and its indexes, checks the counts,
// and renames the old folder aside (kept, never deleted). Run by `npm run cli -- migrate-ferretdb`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { copyDatabases } from './copy-database.ts';
import { engineDir } from './db.ts';
import { startEngine } from './engine.ts';
import { claimPidLock } from './pidlock.ts';

const exportSources = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'ferretdb-export');

export interface MigrationReport {
  collections: { name: string; documents: number }[];
  keptAt: string;
}

/** Builds scripts/ferretdb-export with Go into a temporary folder; returns the binary's path. */
export function buildExporter(say: (line: string) => void): string {
  const out = join(mkdtempSync(join(tmpdir(), 'debrief-ferretdb-')), 'ferretdb-export');
  say('Building FerretDB 1.24 with Go to read the old folder (from the Go module proxy; a few minutes the first time)...');
  const built = spawnSync('go', ['build', '-o', out, '.'], {
    cwd: exportSources,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false -mod=readonly' },
  });
  if (built.error) throw new Error('Moving the old data needs Go 1.24 or later (Debian: apt-get install golang-go), which was not found.');
  if (built.status !== 0) throw new Error('Building FerretDB failed (see the Go output above).');
  return out;
}

/** Serves a FerretDB/SQLite folder with that binary on a free loopback port. */
export async function serveOldFolder(binary: string, folder: string): Promise<{ uri: string; child: ChildProcess }> {
  const child = spawn(binary, ['-data', folder], { stdio: ['pipe', 'pipe', 'inherit'] });
  const uri = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^ready (mongodb:\/\/\S+)$/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`FerretDB stopped before it served the old folder (exit ${code}).`)));
  });
  return { uri, child };
}

export async function migrateFerretDb(dataDir: string, say: (line: string) => void): Promise<MigrationReport> {
  const old = join(dataDir, 'engine');
  if (!existsSync(old) || !readdirSync(old).some((f) => f.endsWith('.sqlite'))) throw new Error(`${old} holds no FerretDB data: there is nothing to move.`);
  if (existsSync(join(engineDir(dataDir), 'debrief.mv.db'))) {
    throw new Error(`${engineDir(dataDir)} already holds data of the current engine; move it aside first if the old data should replace it.`);
  }
  const lock = claimPidLock(join(dataDir, 'engine.lock'), {});
  if (!lock.claimed) throw new Error(`Debrief (pid ${lock.holder.pid}) is running on ${dataDir}: stop it first.`);
  const cleanups: (() => Promise<void> | void)[] = [() => lock.lock.release()];
  try {
    const binary = buildExporter(say);
    cleanups.push(() => rmSync(dirname(binary), { recursive: true, force: true }));
    const source = await serveOldFolder(binary, old);
    cleanups.push(() => void source.child.kill('SIGTERM'));
    const target = await startEngine({ dataDir: engineDir(dataDir) });
    cleanups.push(() => target.stop());
    const from = await MongoClient.connect(source.uri);
    cleanups.push(() => from.close());
    const to = await MongoClient.connect(target.uri);
    cleanups.push(() => to.close());

    const report: MigrationReport = { collections: await copyDatabases(from, to, say), keptAt: '' };
    for (const c of cleanups.splice(1).reverse()) await c();
    report.keptAt = `${old}.ferretdb-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(old, report.keptAt);
    return report;
  } catch (err) {
    // A half-made new folder would stop the next attempt: the old one is untouched, so start over.
    for (const c of cleanups.splice(1).reverse()) await Promise.resolve(c()).catch(() => {});
    rmSync(engineDir(dataDir), { recursive: true, force: true });
    throw err;
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}
