// Structured logs (pino). Secrets never reach a log line: cookies, authorization headers and set-cookie
// are redacted here, in one place, for every logger the app makes.
import { pino, type Logger } from 'pino';

export type { Logger };

export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { pid: process.pid } }, destination);
}
