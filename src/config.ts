// The one place that reads process.env: a zod schema over the environment, parsed once at start-up
// into a frozen, typed Config. A wrong value stops start-up with a readable list of what is wrong.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const positiveMs = z.coerce.number({ error: 'must be a number of milliseconds' }).int().positive();

const mongoUri = z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a MongoDB connection string (mongodb:// or mongodb+srv://)');

// A shared secret that signs webhooks (HMAC-SHA256): long enough not to be guessed.
const webhookSecret = z.string().min(16, 'must be at least 16 characters');

const smtpUrl = z.string().regex(/^smtps?:\/\/\S+$/, 'must be an SMTP URL (smtp:// or smtps://)');

// "addr@example.com", or a display name and the address in angle brackets: "Debrief <addr@example.com>"
// (the name may be quoted). Plausible, not RFC 5322: what mail servers and people actually use.
const mailAddress = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+$/;
const mailFrom = z
  .string()
  .trim()
  .max(320)
  .refine((value) => {
    const named = /^(?:"[^"\r\n]*"|[^"<>,;\r\n]*)\s*<([^<>\s]+)>$/.exec(value);
    return mailAddress.test(named ? named[1]! : value);
  }, 'must be an email address, or a name and an address such as Debrief <debrief@example.com>');

// The proxies whose X-Forwarded-For is believed: addresses, subnets (CIDR) or express's names for
// address ranges. Anyone else could write any client address there, and rate limits and the audit log
// go by it.
const proxyNames = ['loopback', 'linklocal', 'uniquelocal'] as const;
const trustedProxy = z.string().refine(
  (entry) => {
    if ((proxyNames as readonly string[]).includes(entry)) return true;
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    if (!family || extra !== undefined) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  },
  `must be a comma-separated list of addresses or subnets (10.0.0.5, 10.0.0.0/8, ::1) or ${proxyNames.join(', ')}`,
);
const trustedProxies = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(trustedProxy));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(3000),
    APP_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://debrief.example.com' }).optional(),
    MONGODB_URI: mongoUri.optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    SMTP_URL: smtpUrl.optional(),
    SMTP_CATCHER: flag.default(false),
    MAIL_FROM: mailFrom.default('Debrief <debrief@localhost>'),
    SMTP_CATCHER_PORT: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 (any free port) and 65535')
      .max(65535, 'must be between 0 (any free port) and 65535')
      .default(0),
    MAIL_RATE_PER_DOMAIN: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1 (messages per minute to one domain)')
      .max(100000, 'must be at most 100000')
      .default(60),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DEMO_DATA: flag.optional(),
    WORKER_POLL_MS: positiveMs.default(2000),
    SHUTDOWN_TIMEOUT_MS: positiveMs.default(10000),
    ENGINE_HEAP_MB: z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(64, 'must be at least 64 (MB)')
      .max(65536, 'must be at most 65536 (MB)')
      .default(1024),
    WEBHOOK_SECRET: webhookSecret.optional(),
    HUBSPOT_CLIENT_SECRET: webhookSecret.optional(),
    TRUSTED_PROXIES: trustedProxies.default([]),
    // The first retry of a failed outgoing webhook delivery; each next one waits 4 times longer (src/hooks/deliver.ts).
    OUTGOING_WEBHOOK_FIRST_RETRY_MS: z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number')
      .min(100, 'must be at least 100 (ms)')
      .max(3_600_000, 'must be at most 3600000 (an hour)')
      .default(30_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production (32 characters or more)' });
    }
    if (env.NODE_ENV === 'production' && !env.SMTP_URL && !env.SMTP_CATCHER) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'is required in production (without it no email reaches anyone); set SMTP_CATCHER=true to keep all mail on this machine on purpose',
      });
    }
    if (env.NODE_ENV === 'production' && !env.APP_URL) {
      ctx.addIssue({ code: 'custom', path: ['APP_URL'], message: 'is required in production (the address buyers open links on)' });
    }
  });

export type Role = 'all' | 'web' | 'worker';

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly appUrl: string;
  /** Set when the app runs on a real MongoDB; unset means the embedded engine. */
  readonly mongodbUri: string | undefined;
  readonly dataDir: string;
  /** Outgoing mail server; unset means mail goes to the SMTP catcher (see /dev/mailbox). */
  readonly smtpUrl: string | undefined;
  /** The From of every email: an address, or "Name <address>". */
  readonly mailFrom: string;
  /** Production without SMTP_URL: the catcher is wanted (SMTP_CATCHER=true), else start-up is refused. */
  readonly smtpCatcher: boolean;
  /** Loopback port of the SMTP catcher when SMTP_URL is unset; 0 means any free port. */
  readonly smtpCatcherPort: number;
  /** Messages per minute to one recipient domain, to protect the sender's reputation. */
  readonly mailPerDomainPerMinute: number;
  readonly sessionSecret: string | undefined;
  readonly logLevel: string;
  readonly demoData: boolean;
  readonly workerPollMs: number;
  readonly shutdownTimeoutMs: number;
  /** The embedded engine's Java heap ceiling, in MB. */
  readonly engineHeapMb: number;
  /** Signs /webhooks/generic and /webhooks/salesforce; unset turns those endpoints off (503). */
  readonly webhookSecret: string | undefined;
  /** The HubSpot app's client secret, for /webhooks/hubspot (signature v3); unset turns it off (503). */
  readonly hubspotClientSecret: string | undefined;
  /** Proxies whose X-Forwarded-For gives the client's address; empty: the connection's address counts. */
  readonly trustedProxies: readonly string[];
  /** The first retry of a failed outgoing webhook delivery, in ms; later ones back off from it. */
  readonly outgoingWebhookFirstRetryMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Debrief cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default) into a frozen Config, or throws a ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    // Values are not echoed: some of them are secrets.
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    mongodbUri: e.MONGODB_URI,
    dataDir: resolve(e.DATA_DIR),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    smtpCatcher: e.SMTP_CATCHER,
    smtpCatcherPort: e.SMTP_CATCHER_PORT,
    mailPerDomainPerMinute: e.MAIL_RATE_PER_DOMAIN,
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    // A demo is for trying Debrief: on by default, except in production.
    demoData: e.DEMO_DATA ?? e.NODE_ENV !== 'production',
    workerPollMs: e.WORKER_POLL_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    engineHeapMb: e.ENGINE_HEAP_MB,
    webhookSecret: e.WEBHOOK_SECRET,
    hubspotClientSecret: e.HUBSPOT_CLIENT_SECRET,
    trustedProxies: Object.freeze([...e.TRUSTED_PROXIES]),
    outgoingWebhookFirstRetryMs: e.OUTGOING_WEBHOOK_FIRST_RETRY_MS,
  });
}
