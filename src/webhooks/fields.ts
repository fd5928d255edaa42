// Reading a CRM's payload leniently: take the fields we need under the names the CRM (or its admin) uses,
// ignore everything else, and validate the result with the same deal and loss schemas as every other
// way in. Errors name the CRM's field ("dealname", "Account.Name"), not ours, so an admin can fix the
// workflow that sent it.
import { dealInput, lossInput } from '../deals/schemas.ts';
import { lossTypes } from '../deals/model.ts';
import { ValidationError } from '../lib/errors.ts';
import { addFieldError, fieldErrorRecord, type FieldErrors } from '../lib/http/validate.ts';
import type { ReasonCode } from '../program/index.ts';
import type { WebhookEventName } from './model.ts';
import { checkOccurredAt, messages, payloadErrors, safeParse, type WebhookEvent } from './schemas.ts';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as trimmed text: strings, finite numbers and booleans; blank and anything else is absent. */
export function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

/** Reads named fields through `lookup` and remembers which name fed each of our fields. */
export class FieldReader {
  private readonly origin = new Map<string, string>();
  constructor(private readonly lookup: (name: string) => unknown) {}

  /** The first of `names` that holds a value, as text. */
  text(field: string, ...names: string[]): string | undefined {
    for (const name of names) {
      const value = scalar(this.lookup(name));
      if (value !== undefined) {
        this.origin.set(field, name);
        return value;
      }
    }
    if (!this.origin.has(field)) this.origin.set(field, names[0]!);
    return undefined;
  }

  /** true/false (also "true"/"false", 1/0); undefined when absent; a ValidationError when unreadable. */
  flag(field: string, ...names: string[]): boolean | undefined {
    const value = this.text(field, ...names)?.toLowerCase();
    if (value === undefined) return undefined;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new ValidationError({ [this.nameOf(field)]: ['Use true or false.'] });
  }

  /** The CRM's name for one of our fields (the one read, else the first one looked for). */
  nameOf(field: string): string {
    return this.origin.get(field) ?? field;
  }

  /** Renames error keys from our paths (contacts.0.email) to the CRM's field names. */
  rename(details: FieldErrors): FieldErrors {
    const out = fieldErrorRecord();
    for (const [key, list] of Object.entries(details)) {
      const parts = key.split('.');
      let name = key;
      for (let n = parts.length; n > 0; n -= 1) {
        const known = this.origin.get(parts.slice(0, n).join('.'));
        if (known) {
          name = known;
          break;
        }
      }
      addFieldError(out, name, ...list);
    }
    return out;
  }
}

/** A number as the CRM wrote it ("12000.50"); text that is not a number is passed on for zod to refuse. */
export function amountFrom(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** A time in milliseconds or seconds since 1970, or a date or date-time string; null when unreadable. */
export function timeFrom(text: string | undefined): Date | null | undefined {
  if (text === undefined) return undefined;
  let date: Date;
  if (/^\d{12,14}$/.test(text)) date = new Date(Number(text));
  else if (/^\d{9,11}$/.test(text)) date = new Date(Number(text) * 1000);
  else date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The taxonomy code whose code or label the CRM's reason text names, else "other". */
export function reasonCodeFor(text: string | undefined, reasons: readonly ReasonCode[]): string {
  if (!text) return 'other';
  const wanted = slug(text);
  return reasons.find((r) => slug(r.code) === wanted || slug(r.label) === wanted)?.code ?? 'other';
}

/** The loss type: the one given, else competitor when a competitor is named, no_decision for that reason, else other. */
export function lossTypeFor(given: string | undefined, competitor: string | undefined, reasonCode: string): string {
  if (given) return (lossTypes as readonly string[]).includes(slug(given)) ? slug(given) : given;
  if (competitor) return 'competitor';
  return reasonCode === 'no_decision' ? 'no_decision' : 'other';
}

export interface CrmEventParts {
  event: WebhookEventName;
  occurredAt: string | undefined;
  /** The CRM field names that may carry the event time, for the message when none does. */
  occurredAtNames: string;
  deal: Record<string, unknown>;
  loss?: Record<string, unknown> | undefined;
}

/** Validates what was read into a WebhookEvent, or throws one ValidationError with every field named. */
export function crmEvent(fields: FieldReader, parts: CrmEventParts, now: Date): WebhookEvent {
  const errors = fieldErrorRecord();
  const occurredAt = timeFrom(parts.occurredAt);
  if (!occurredAt) {
    errors[fields.nameOf('occurredAt')] = [
      parts.occurredAt === undefined
        ? `${messages.required} Include ${parts.occurredAtNames} so that Debrief can order events and tell a retry from a new change.`
        : 'Give a date-time (ISO 8601) or milliseconds since 1970.',
    ];
  }
  const deal = safeParse(dealInput, parts.deal);
  if (!deal.success) Object.assign(errors, fields.rename(payloadErrors(deal.error)));
  const loss = parts.loss ? safeParse(lossInput, { ...parts.loss, lostAt: parts.loss.lostAt ?? occurredAt ?? undefined }) : undefined;
  if (loss && !loss.success) Object.assign(errors, fields.rename(payloadErrors(loss.error, ['loss'])));
  if (Object.keys(errors).length > 0 || !occurredAt || !deal.success || (loss && !loss.success)) throw new ValidationError(errors);
  checkOccurredAt(occurredAt, now, fields.nameOf('occurredAt'));
  return { event: parts.event, occurredAt, deal: deal.data, loss: loss?.data };
}

/** A date for the loss: a real Date when readable, else the text itself so that zod names the field. */
export function lostAtFrom(text: string | undefined): Date | string | undefined {
  const t = timeFrom(text);
  return t === null ? text : t;
}
