// zod at the HTTP edge: parse a query or body against a schema, or fail with a ValidationError that
// names each field.
import type { z } from 'zod';
import { ValidationError } from '../errors.ts';

export type FieldErrors = Record<string, string[]>;

/**
 * An empty record of messages by field. Field names come from requests, so it has no prototype: a field
 * called "constructor", "toString" or "__proto__" is a key like any other, never Object.prototype's.
 * Every collection of field errors starts here.
 */
export function fieldErrorRecord(): FieldErrors {
  return Object.create(null) as FieldErrors;
}

/** Adds messages under a field (made if new). */
export function addFieldError(out: FieldErrors, field: string, ...messages: string[]): void {
  (out[field] ??= []).push(...messages);
}

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out = fieldErrorRecord();
  for (const issue of error.issues) addFieldError(out, issue.path.join('.') || '_', issue.message);
  return out;
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  return parsed.data;
}
