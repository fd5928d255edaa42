// The central error handler: an HTML page for people, JSON for the API and for clients that ask for it.
// Expected errors (AppError) show their own message; anything else is logged and hidden behind a 500.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { AppError, NotFoundError, UnavailableError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError());
};

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof mongoose.Error.MongooseServerSelectionError) return new UnavailableError();
  const e = err as { type?: string; status?: number; statusCode?: number; code?: string };
  if (e.code === 'EBADCSRFTOKEN') {
    return new AppError(403, 'csrf_failed', 'This form has expired or came from somewhere else. Go back, reload the page and try again.');
  }
  // body-parser's errors: too large, malformed JSON and the like.
  if (e.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'That is more than we accept in one request.');
  if (e.type === 'entity.parse.failed') return new AppError(400, 'malformed_body', 'The request body is not valid JSON.');
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError(status, 'bad_request', 'The request could not be understood.');
  return undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = toAppError(err);
    const status = known?.status ?? 500;
    if (!known) (req.log ?? logger).error({ err }, 'unhandled error');
    else if (status >= 500) (req.log ?? logger).warn({ err }, known.message);
    const body = {
      code: known?.code ?? 'internal_error',
      message: known?.message ?? 'Something went wrong on our side. It has been logged; please try again.',
      ...(known?.details ? { details: known.details } : {}),
      requestId: String(req.id ?? ''),
    };
    res.status(status);
    if (wantsJson(req)) {
      res.json({ error: body });
      return;
    }
    res.render('errors/error', { title: status === 404 ? 'Not found' : 'Something went wrong', status, error: body });
  };
}
