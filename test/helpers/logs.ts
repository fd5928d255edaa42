// Captures what a logger writes, to check that nothing secret reaches the logs.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/lib/logger.ts';

export interface CapturedLogs {
  logger: Logger;
  text(): string;
  clear(): void;
}

export function captureLogs(level = 'debug'): CapturedLogs {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger(level, stream), text: () => lines.join(''), clear: () => void (lines.length = 0) };
}
