// Posts JSON out of Debrief (a webhook delivery, the digest's chat post): node's http(s) client, through the address guard unless private addresses
// are allowed, no redirects followed (a 3xx is a failed attempt: a redirect could lead past the guard),
// a time limit, and nothing of the answer kept but its status.
import http from 'node:http';
import https from 'node:https';
import { checkLiteralHost, guardedLookup } from './guard.ts';

export const postTimeoutMs = 10_000;

export interface PostResult {
  /** The receiver's HTTP status; absent when no answer came. */
  status?: number;
  /** Why there was no answer (or what the status means), for the deliveries list. */
  error?: string;
  ms: number;
}

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { allowPrivateAddresses: boolean; timeoutMs?: number; userAgent?: string },
): Promise<PostResult> {
  const started = Date.now();
  const target = new URL(url);
  const ms = () => Date.now() - started;
  try {
    if (!opts.allowPrivateAddresses) checkLiteralHost(target.hostname);
  } catch (err) {
    return { error: (err as Error).message, ms: ms() };
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        // A fresh connection each time, so the lookup (and so the guard) runs for every attempt.
        agent: false,
        ...(opts.allowPrivateAddresses ? {} : { lookup: guardedLookup }),
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
          'User-Agent': opts.userAgent ?? 'Debrief-Webhooks/1',
          ...headers,
        },
        timeout: opts.timeoutMs ?? postTimeoutMs,
      },
      (res) => {
        res.resume(); // the answer's body is not read, only drained
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: ms() }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, ms: ms() }));
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`No answer within ${Math.round((opts.timeoutMs ?? postTimeoutMs) / 1000)} seconds`), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const message = err.code === 'EBLOCKEDADDRESS' || err.code === 'ETIMEDOUT' ? err.message : `${err.code ?? 'error'}: ${err.message}`;
      resolve({ error: message.slice(0, 300), ms: ms() });
    });
    req.end(body);
  });
}
