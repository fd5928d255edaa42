// Copies the embedded engine's data (DATA_DIR/db) into a MongoDB, for a team that outgrows one machine:
// `npm run cli -- move-to-mongodb --uri mongodb://…`. Debrief must be stopped; the embedded data is kept.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { copyDatabases, type CopiedCollection } from './copy-database.ts';
import { engineDir } from './db.ts';
import { startEngine } from './engine.ts';
import { claimPidLock } from './pidlock.ts';

export async function moveToMongoDb(dataDir: string, targetUri: string, say: (line: string) => void): Promise<CopiedCollection[]> {
  if (!existsSync(join(engineDir(dataDir), 'debrief.mv.db')))
    throw new Error(`${engineDir(dataDir)} holds no data of the embedded engine: there is nothing to move.`);
  const lock = claimPidLock(join(dataDir, 'engine.lock'), {});
  if (!lock.claimed) throw new Error(`Debrief (pid ${lock.holder.pid}) is running on ${dataDir}: stop it first.`);
  try {
    const engine = await startEngine({ dataDir: engineDir(dataDir) });
    try {
      const [from, to] = await Promise.all([MongoClient.connect(engine.uri), MongoClient.connect(targetUri, { serverSelectionTimeoutMS: 10_000 })]);
      try {
        return await copyDatabases(from, to, say);
      } finally {
        await Promise.all([from.close(), to.close()]);
      }
    } finally {
      await engine.stop();
    }
  } finally {
    lock.lock.release();
  }
}
