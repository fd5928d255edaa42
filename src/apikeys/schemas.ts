import { z } from 'zod';
import { apiKeyScopes, keyMarker, prefixLength, type ApiKeyScope } from './model.ts';

const known = new Set<string>(apiKeyScopes);

export const apiKeyName = z.string().trim().min(1, 'Enter a name, such as the program that will use the key.').max(100, 'Use at most 100 characters.');

/** One or more known scopes, without repeats, in the order of apiKeyScopes. */
export const apiKeyScopeList = z
  .array(z.string().trim(), { error: 'Pick at least one scope.' })
  .min(1, 'Pick at least one scope.')
  .max(10)
  .refine((list) => list.every((s) => known.has(s)), { error: `Unknown scope: use ${apiKeyScopes.join(', ')}.` })
  .transform((list): ApiKeyScope[] => apiKeyScopes.filter((s) => list.includes(s)));

export const newApiKeyInput = z.object({ name: apiKeyName, scopes: apiKeyScopeList }).strict();
export type NewApiKey = z.input<typeof newApiKeyInput>;

/** A checkbox group arrives as nothing, one string or a list of strings. */
const checkboxes = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), apiKeyScopeList);

export const createApiKeyBody = z.object({ _csrf: z.string().optional(), name: apiKeyName, scopes: checkboxes }).strict();

export const apiKeyIdParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'Not an API key id.') });

/** The public prefix, with or without the dbk_ marker in front. */
export const apiKeyPrefix = z
  .string()
  .trim()
  .transform((v) => (v.startsWith(keyMarker) ? v.slice(keyMarker.length) : v))
  .pipe(
    z
      .string()
      .regex(new RegExp(`^[A-Za-z0-9_-]{${prefixLength}}$`), `A prefix is the ${prefixLength} characters after ${keyMarker}, as \`api-key list\` shows them.`),
  );

export { apiKeyScopes, type ApiKeyScope } from './model.ts';
