// An endpoint's signing secret: random, shown to the admin once, and kept sealed (AES-256-GCM under a
// key derived from the app's secret, src/lib/secrets.ts). Sealed, not hashed like API keys: Debrief must
// read it back to sign each delivery. A database copy alone does not give it away; changing
// SESSION_SECRET makes the sealed secrets unreadable, and each endpoint then needs a new secret.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Secrets } from '../lib/secrets.ts';

export const secretMarker = 'whsec_';

export function newSigningSecret(): string {
  return secretMarker + randomBytes(32).toString('base64url');
}

/** What the page shows after the secret itself is gone: its first characters. */
export function secretHint(secret: string): string {
  return `${secret.slice(0, secretMarker.length + 4)}…`;
}

export function sealSecret(secret: string, secrets: Secrets): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secrets.key('webhook-secret'), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

export class UnreadableSecretError extends Error {
  override name = 'UnreadableSecretError';
  constructor() {
    super('The endpoint’s signing secret cannot be read: SESSION_SECRET changed since it was made. Give the endpoint a new secret.');
  }
}

export function openSecret(sealed: string, secrets: Secrets): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new UnreadableSecretError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', secrets.key('webhook-secret'), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new UnreadableSecretError();
  }
}
