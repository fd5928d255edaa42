// The password rule (12 to 128 characters, not a common password) and argon2id hashing, in one place.
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const passwordLimits = { min: 12, max: 128 } as const;

// The ~50,000 most common passwords, shipped in @zxcvbn-ts/language-common (no download).
const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** Why a password is refused, or null when it is fine. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < passwordLimits.min) return `Use at least ${passwordLimits.min} characters.`;
  if (password.length > passwordLimits.max) return `Use at most ${passwordLimits.max} characters.`;
  const lower = password.toLowerCase();
  // "password2024!" is as guessable as "password": strip what people tack on before checking.
  const core = lower.replace(/[\d\W_]+$/, '').replace(/^[\d\W_]+/, '');
  if (common.has(lower) || (core.length >= 4 && common.has(core)) || /^(.)\1+$/.test(password)) {
    return 'That password is too common. Pick something harder to guess, such as a few unrelated words.';
  }
  if (email && lower.includes(email.toLowerCase().split('@')[0]!) && email.split('@')[0]!.length >= 4) {
    return 'Do not use your email address in your password.';
  }
  return null;
}

// argon2id with the library's defaults (19 MiB, t=2, p=1: OWASP's minimum recommendation).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the email is unknown keeps the answer time the same either way.
let dummyHash: Promise<string> | undefined;
export async function verifyDummy(password: string): Promise<void> {
  dummyHash ??= hash('not a real password, only for timing');
  await verifyPassword(await dummyHash, password);
}
