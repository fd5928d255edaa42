// Starts and stops the embedded database engine (engine/: FerretDB over SQLite) as a child process bound
// to a free loopback port. The engine watches its standard input and stops when it closes, so it never
// outlives this process, even after a kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from './logger.ts';

export const defaultEngineBinary = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'bin', 'debrief-engine');

export interface Engine {
  /** mongodb://<percent-encoded socket path>/, or mongodb://127.0.0.1:<port>/ when the path is too long */
  readonly uri: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export class EngineError extends Error {
  override name = 'EngineError';
}

export interface StartEngineOptions {
  dataDir: string;
  binary?: string | undefined;
  logger?: Logger | undefined;
  startTimeoutMs?: number;
}

export async function startEngine(opts: StartEngineOptions): Promise<Engine> {
  const binary = opts.binary ?? defaultEngineBinary;
  if (!existsSync(binary)) {
    throw new EngineError(
      `The embedded database engine is not built (${binary} is missing). ` +
        'Install Go 1.24 or later and run `npm run build:engine`, or set MONGODB_URI to a real MongoDB.',
    );
  }
  // Clients connect over a Unix socket in the data folder when its path fits (sockets allow ~100 bytes):
  // a round trip costs both sides about a fifth less CPU than over loopback TCP. TCP stays on for tools.
  const socket = resolve(opts.dataDir, 'engine.sock');
  const useSocket = Buffer.byteLength(socket) <= 100;
  if (useSocket) mkdirSync(opts.dataDir, { recursive: true });
  if (useSocket) rmSync(socket, { force: true }); // left by an engine killed with -9 (the data folder's lock is ours)
  const args = ['-listen', '127.0.0.1:0', '-data', opts.dataDir, '-log-level', 'error', ...(useSocket ? ['-unix', socket] : [])];
  const child = spawn(binary, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    opts.logger?.warn({ engine: line }, 'database engine');
  });

  const tcpUri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EngineError(`The embedded database engine did not start within ${opts.startTimeoutMs ?? 20000} ms.\n${stderrTail.join('\n')}`));
    }, opts.startTimeoutMs ?? 20000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new EngineError(`The embedded database engine could not be started: ${err.message}`));
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

  const uri = useSocket ? `mongodb://${encodeURIComponent(socket)}/` : tcpUri;

  child.on('exit', (code, signal) => {
    if (!stopping) opts.logger?.error({ code, signal }, 'the embedded database engine stopped unexpectedly');
  });
  let stopping = false;
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
