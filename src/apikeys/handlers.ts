// Request handlers for the API keys page: list, create (the new key is shown once, in the answer to the
// POST, never kept in the session), revoke.
import type { Request, Response } from 'express';
import { ValidationError } from '../lib/errors.ts';
import { actorOf } from '../accounts/index.ts';
import { renderForm, typed, type FormState } from '../lib/http/forms.ts';
import { fieldErrors, parseOrThrow } from '../lib/http/validate.ts';
import { apiKeyScopeLabels, apiKeyScopes, keyMarker } from './model.ts';
import { apiKeyIdParam, createApiKeyBody } from './schemas.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './service.ts';
import { takeNotice } from '../lib/http/notice.ts';

const view = 'apikeys/index';
const title = 'API keys';

/** The scope boxes that were ticked, as typed (for re-display). */
function tickedScopes(body: unknown): string[] {
  const raw = (body && typeof body === 'object' ? (body as Record<string, unknown>).scopes : undefined) ?? [];
  return (Array.isArray(raw) ? raw : [raw]).filter((s): s is string => typeof s === 'string');
}

async function renderPage(res: Response, status: number, state: FormState, extra: Record<string, unknown> = {}): Promise<void> {
  renderForm(res, status, view, title, state, {
    keys: await listApiKeys(),
    scopes: apiKeyScopes,
    scopeLabels: apiKeyScopeLabels,
    keyMarker,
    created: undefined,
    notice: undefined,
    ...extra,
  });
}

export async function showApiKeys(req: Request, res: Response): Promise<void> {
  const notice = takeNotice(req);
  await renderPage(res, 200, { values: { name: '', scopes: 'read' } }, { notice });
}

export async function createKey(req: Request, res: Response): Promise<void> {
  const values = { ...typed(req.body, ['name']), scopes: tickedScopes(req.body).join(',') };
  const parsed = createApiKeyBody.safeParse(req.body);
  if (!parsed.success) return renderPage(res, 400, { values, errors: fieldErrors(parsed.error) });
  try {
    const { key, record } = await createApiKey({ name: parsed.data.name, scopes: parsed.data.scopes }, actorOf(req));
    // The one time the key is shown: keep it out of every cache.
    res.set('Cache-Control', 'no-store');
    await renderPage(res, 201, { values: { name: '', scopes: 'read' } }, { created: { key, name: record.name, prefix: record.prefix, scopes: record.scopes } });
  } catch (err) {
    if (err instanceof ValidationError) return renderPage(res, 400, { values, errors: err.details ?? {} });
    throw err;
  }
}

export async function revokeKey(req: Request, res: Response): Promise<void> {
  const { id } = parseOrThrow(apiKeyIdParam, req.params);
  const key = await revokeApiKey(id, actorOf(req));
  req.session.notice = `Revoked ${key.name} (${keyMarker}${key.prefix}…). Programs using it are refused from now on.`;
  res.redirect(303, '/admin/api-keys');
}
