// A lock file holding the pid of the process that owns something in DATA_DIR (the embedded engine, the
// single job worker). A lock left behind by a dead process is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export interface PidLock<T> {
  readonly path: string;
  release(): void;
  update(info: T): void;
}

export type ClaimResult<T> = { claimed: true; lock: PidLock<T> } | { claimed: false; holder: { pid: number; info: T } };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function write(path: string, flag: 'wx' | 'w', info: unknown): void {
  const fd = openSync(path, flag, 0o600);
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, info }));
  } finally {
    closeSync(fd);
  }
}

export function claimPidLock<T>(path: string, info: T): ClaimResult<T> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      write(path, 'wx', info);
      const lock: PidLock<T> = {
        path,
        release: () => rmSync(path, { force: true }),
        update: (next) => write(path, 'w', next),
      };
      return { claimed: true, lock };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: { pid: number; info: T } | undefined;
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as { pid: number; info: T };
    } catch {
      holder = undefined; // half-written or unreadable: treat as stale
    }
    if (holder && holder.pid !== process.pid && alive(holder.pid)) return { claimed: false, holder };
    rmSync(path, { force: true });
  }
  throw new Error(`Could not claim the lock file ${path}`);
}
