// The app's one secret and the keys derived from it. SESSION_SECRET in production; in development a
// random one kept in DATA_DIR so sessions and emailed links survive restarts; in tests a random one per
// process. Each use gets its own key (HKDF with a purpose label), so a key leaked from one use does
// not open another.
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';

export type KeyPurpose = 'buyer-link' | 'unsubscribe' | 'webhook-secret';

export interface Secrets {
  /** The secret itself: for express-session's cookie signature. */
  readonly sessionSecret: string;
  /** A 32-byte key for one purpose, the same in every process that shares the secret. */
  key(purpose: KeyPurpose): Buffer;
}

let testSecret: string | undefined;

function appSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  if (config.env === 'test') return (testSecret ??= randomBytes(32).toString('hex'));
  const file = join(config.dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadSecrets(config: Config): Secrets {
  const secret = appSecret(config);
  const keys = new Map<KeyPurpose, Buffer>();
  return {
    sessionSecret: secret,
    key(purpose) {
      let key = keys.get(purpose);
      if (!key) {
        key = Buffer.from(hkdfSync('sha256', secret, 'debrief', `debrief:${purpose}`, 32));
        keys.set(purpose, key);
      }
      return key;
    },
  };
}
