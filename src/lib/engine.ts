// Starts and stops the embedded database engine (engine/: mongo-java-server over an H2 MVStore file,
// see the README's engine section) as a Java child process bound to a free loopback port. The engine
// watches its standard input and stops when it closes, so it never outlives this process, even after a
// kill -9. Its data lives in one file under dataDir; every acknowledged write is synced to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from './logger.ts';

export const defaultEngineJar = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'target', 'debrief-engine.jar');

export interface Engine {
  /** mongodb://127.0.0.1:<port>/ */
  readonly uri: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export class EngineError extends Error {
  override name = 'EngineError';
}

export interface StartEngineOptions {
  dataDir: string;
  jar?: string | undefined;
  /** The loopback port; 0 or unset: any free one. */
  port?: number | undefined;
  /** The Java heap's ceiling in MB (the engine keeps its working set in it). */
  heapMb?: number | undefined;
  logger?: Logger | undefined;
  startTimeoutMs?: number;
}

/** The `java` arguments that run the engine on dataDir (port 0: any free one, printed when ready). */
export function engineArgs(opts: { dataDir: string; jar?: string | undefined; heapMb?: number | undefined; port?: number | undefined }): string[] {
  const jar = opts.jar ?? defaultEngineJar;
  return [
    `-Xmx${opts.heapMb ?? 1024}m`,
    '-XX:+UseSerialGC', // two cores and a small heap: the least overhead
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    // It logs every command that fails as an error with its stack (a duplicate key, a collection that
    // exists): the client gets those errors, and they are not the engine's own trouble.
    '-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire.MongoWireProtocolHandler=off',
    '-cp',
    `${jar}:${join(dirname(jar), 'lib', '*')}`,
    'debrief.engine.Main',
    '--listen',
    `127.0.0.1:${opts.port ?? 0}`,
    '--data',
    opts.dataDir,
  ];
}

export async function startEngine(opts: StartEngineOptions): Promise<Engine> {
  const jar = opts.jar ?? defaultEngineJar;
  if (!existsSync(jar)) {
    throw new EngineError(
      `The embedded database engine is not built (${jar} is missing). ` +
        'Install Java 17 or later and Maven, and run `npm run build:engine`; or set MONGODB_URI to a real MongoDB.',
    );
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const args = engineArgs({ ...opts, jar });
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    opts.logger?.warn({ engine: line }, 'database engine');
  });

  // It reads every document once to fill its in-memory indexes: at 50,000 deals a few seconds on a quiet
  // machine, over half a minute on a busy one.
  const timeoutMs = opts.startTimeoutMs ?? 180_000;
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EngineError(`The embedded database engine did not start within ${timeoutMs} ms.\n${stderrTail.join('\n')}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new EngineError(`The embedded database engine could not be started (is Java 17+ installed?): ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new EngineError(`The embedded database engine stopped during start-up (${signal ?? `exit ${code}`}).\n${stderrTail.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^ready (mongodb:\/\/\S+)$/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(m[1]);
      }
    });
  });

  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) opts.logger?.error({ code, signal }, 'the embedded database engine stopped unexpectedly');
  });
  return {
    uri,
    pid: child.pid!,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

async function stopChild(child: ChildProcess, graceMs = 10000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
