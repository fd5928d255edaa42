// Opens the app's database: real MongoDB when MONGODB_URI is set, else the embedded engine under
// DATA_DIR, started for this process or shared with another Debrief process already running on the same
// data folder (so `npm run web` and `npm run worker` can run side by side without MONGODB_URI).
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { ConnectionString } from 'mongodb-connection-string-url';
import type { Config } from '../config.ts';
import { startEngine, type Engine } from './engine.ts';
import type { Logger } from './logger.ts';
import { claimPidLock } from './pidlock.ts';

export const defaultDbName = 'debrief';

/**
 * For writes whose loss in a crash costs nothing (a rate-limit count, a cache's change mark): acknowledged
 * before the journal has them, as MongoDB's j: false, so the caller does not wait for a disk sync.
 */
export const unjournaled = { writeConcern: { w: 1, j: false } } as const;

// Queries cannot be steered by input: operator objects in filters ({ $ne: null }) are neutralised, and
// filter keys the schema does not know are refused instead of silently dropped.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', 'throw');

export interface Database {
  readonly kind: 'mongodb' | 'embedded';
  /** The connection string, with credentials; never log it, log `description`. */
  readonly uri: string;
  /** Where the data is, without credentials: for logs and the settings page. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * True for the error a unique index raises on a duplicate insert (E11000). Idempotency rests on it: on
 * both MongoDB and the embedded engine, the second insert of a unique key fails with this code.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}

/** The URI with the given database name when it names none. */
export function withDatabaseName(uri: string, name: string): string {
  const cs = new ConnectionString(uri);
  if (!cs.pathname || cs.pathname === '/') cs.pathname = `/${name}`;
  return cs.toString();
}

/** host list and database name, credentials removed. */
export function describeUri(uri: string): string {
  const cs = new ConnectionString(uri);
  return `${cs.protocol}//${cs.hosts.join(',')}${cs.pathname}`;
}

interface EngineLockInfo {
  uri?: string;
}

/** Where the embedded engine keeps its file (data from the earlier FerretDB engine was in `engine/`). */
export function engineDir(dataDir: string): string {
  return join(dataDir, 'db');
}

/**
 * Debrief ran on FerretDB/SQLite before: its data sits in DATA_DIR/engine/*.sqlite. Starting on an empty
 * new engine beside it would look like lost data, so start-up stops and says how to move it.
 */
export function refuseFerretDbFolder(dataDir: string): void {
  const old = join(dataDir, 'engine');
  if (existsSync(join(engineDir(dataDir), 'debrief.mv.db')) || !existsSync(old)) return;
  if (!readdirSync(old).some((f) => f.endsWith('.sqlite'))) return;
  throw new Error(
    `${old} holds data from Debrief's earlier embedded engine (FerretDB/SQLite), which this version no longer runs. ` +
      'Move it to the new engine with `npm run cli -- migrate-ferretdb` (it needs Go; see the README, "Moving from the FerretDB engine"), ' +
      `or rename that folder to start afresh.`,
  );
}

async function embeddedUri(config: Config, logger: Logger): Promise<{ uri: string; stop: () => Promise<void>; note: string }> {
  mkdirSync(config.dataDir, { recursive: true });
  const lockPath = join(config.dataDir, 'engine.lock');
  const deadline = Date.now() + 30000;
  for (;;) {
    const claim = claimPidLock<EngineLockInfo>(lockPath, {});
    if (claim.claimed) {
      let engine: Engine;
      try {
        refuseFerretDbFolder(config.dataDir);
        engine = await startEngine({ dataDir: engineDir(config.dataDir), heapMb: config.engineHeapMb, logger });
      } catch (err) {
        claim.lock.release();
        throw err;
      }
      claim.lock.update({ uri: engine.uri });
      return {
        uri: engine.uri,
        note: `started here (pid ${engine.pid})`,
        stop: async () => {
          await engine.stop();
          claim.lock.release();
        },
      };
    }
    if (claim.holder.info.uri) {
      return { uri: claim.holder.info.uri, note: `shared with Debrief process ${claim.holder.pid}`, stop: async () => {} };
    }
    if (Date.now() > deadline) throw new Error(`Process ${claim.holder.pid} holds ${lockPath} but its engine never came up.`);
    await sleep(250); // the holder is still starting its engine
  }
}

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let uri: string;
  let kind: Database['kind'];
  let stopEngine = async () => {};
  let note = '';
  if (config.mongodbUri) {
    uri = withDatabaseName(config.mongodbUri, defaultDbName);
    kind = 'mongodb';
  } else {
    const embedded = await embeddedUri(config, logger);
    uri = withDatabaseName(embedded.uri, defaultDbName);
    kind = 'embedded';
    stopEngine = embedded.stop;
    note = embedded.note;
  }
  try {
    await mongoose.connect(uri, { serverSelectionTimeoutMS: 10000 });
  } catch (err) {
    await stopEngine();
    throw err;
  }
  const description =
    kind === 'mongodb' ? `MongoDB at ${describeUri(uri)}` : `the embedded engine (mongo-java-server/H2) in ${engineDir(config.dataDir)}, ${note}`;
  logger.info({ database: kind }, `database: ${description}`);
  return {
    kind,
    uri,
    description,
    close: async () => {
      await mongoose.disconnect();
      await stopEngine();
    },
  };
}
