// Helpers for server-rendered forms: re-rendering a form with what was typed and the errors next to their
// fields (never the raw request body as the template's data object). Who is acting: accounts/actor.ts.
import type { Response } from 'express';

/** Picks the named string fields from a form body, as typed (for re-display; never passwords). */
export function typed(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, typeof source[f] === 'string' ? (source[f] as string).slice(0, 1000) : '']));
}

export interface FormState {
  values: Record<string, string>;
  errors?: Record<string, string[]>;
  formError?: string;
}

export function renderForm(res: Response, status: number, view: string, title: string, state: FormState, extra: Record<string, unknown> = {}): void {
  res.status(status).render(view, { title, errors: {}, formError: undefined, ...extra, ...state });
}
