// Who is calling the JSON API: a bearer API key, checked on every request (the API keeps no session and
// sends no cookies). Answers 401 for a missing, unknown or revoked key and 403 for a missing scope, both
// as JSON through the central error handler.
import type { RequestHandler } from 'express';
import type { ApiKeyScope } from '../apikeys/index.ts';
import { authenticateApiKey, type ApiKeyView } from '../apikeys/index.ts';
import { AppError } from '../lib/errors.ts';

declare global {
  namespace Express {
    interface Request {
      /** The API key the request was made with (API routes only, after bearerAuth). */
      apiKey?: ApiKeyView;
    }
  }
}

const messages = {
  missing: 'Send an API key in the Authorization header: "Authorization: Bearer <key>". An admin creates keys under Admin, API keys.',
  invalid: 'This API key is not valid: it may be mistyped or revoked.',
  scope: (scope: ApiKeyScope) => `This API key lacks the '${scope}' scope needed here. An admin can create a key with it.`,
} as const;

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Requires a live API key in `Authorization: Bearer <key>` and puts it on req.apiKey. */
export const bearerAuth: RequestHandler = async (req, res, next) => {
  const header = req.headers.authorization;
  const presented = typeof header === 'string' ? bearer.exec(header)?.[1] : undefined;
  if (!presented) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="debrief"');
    return next(new AppError(401, 'unauthorized', messages.missing));
  }
  const key = await authenticateApiKey(presented);
  if (!key) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="debrief", error="invalid_token"');
    return next(new AppError(401, 'invalid_api_key', messages.invalid));
  }
  req.apiKey = key;
  next();
};

/** The one authorization check of an API route: the key carries this scope. */
export function requireScope(scope: ApiKeyScope): RequestHandler {
  return (req, res, next) => {
    if (!req.apiKey) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="debrief"');
      return next(new AppError(401, 'unauthorized', messages.missing));
    }
    if (!req.apiKey.scopes.includes(scope)) {
      res.setHeader('WWW-Authenticate', `Bearer realm="debrief", error="insufficient_scope", scope="${scope}"`);
      return next(new AppError(403, 'insufficient_scope', messages.scope(scope)));
    }
    next();
  };
}
