// A fresh database for each test file on the run's engine, dropped afterwards.
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { withDatabaseName } from '../../src/lib/db.ts';
import { ensureIndexes } from '../../src/server.ts';
import { engineUri } from './engine-uri.ts';

export function testDatabaseUri(label: string): string {
  const name = `t_${label.replace(/[^a-z0-9]+/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  return withDatabaseName(engineUri(), name);
}

/** Connects mongoose to a new database before the file's tests and drops it after them. */
export function useTestDatabase(label: string): { uri: () => string } {
  let uri = '';
  before(async () => {
    uri = testDatabaseUri(label);
    await mongoose.connect(uri);
    await ensureIndexes();
  });
  after(async () => {
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
  });
  return { uri: () => uri };
}

/** Empties every collection (between tests that need a clean slate). */
export async function clearCollections(): Promise<void> {
  const db = mongoose.connection.db!;
  for (const c of await db.collections()) await c.deleteMany({});
}
