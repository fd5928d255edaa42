// One embedded database engine for the whole test run, in a throw-away folder. If it cannot start the
// run fails here, loudly: no test is skipped for want of a database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../../src/lib/engine.ts';
import { setEngineUri } from './engine-uri.ts';

let engine: Engine | undefined;
let dataDir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'debrief-test-engine-'));
  engine = await startEngine({ dataDir });
  setEngineUri(engine.uri);
}

export async function mochaGlobalTeardown(): Promise<void> {
  await engine?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
