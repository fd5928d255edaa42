// What a webhook means once understood: one event about one deal, whichever CRM sent it. The generic
// shape is ours and strict; HubSpot's and Salesforce's are read leniently (hubspot.ts, salesforce.ts) and
// end up in the same WebhookEvent, validated by the same deal and loss schemas as every other way in.
import { z } from 'zod';
import { dealInput, lossInput, type DealInput, type LossInput } from '../deals/schemas.ts';
import { ValidationError } from '../lib/errors.ts';
import { addFieldError, fieldErrorRecord, type FieldErrors } from '../lib/http/validate.ts';
import { webhookEvents, type WebhookEventName } from './model.ts';

export interface WebhookEvent {
  event: WebhookEventName;
  /** When the change happened in the CRM: orders events for the same deal. */
  occurredAt: Date;
  deal: DealInput;
  /** Only with deal.lost. */
  loss?: LossInput | undefined;
}

export const deliveryIdHeader = 'X-Debrief-Delivery';
const deliveryId = /^[A-Za-z0-9._:-]{1,200}$/;

/** The sender's own id for this delivery (the same on its retries), if it sends one. */
export function parseDeliveryId(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (!deliveryId.test(v)) throw new ValidationError({ [deliveryIdHeader]: ['Use 1 to 200 letters, digits, dots, colons, dashes or underscores.'] });
  return v;
}

/** Parses the raw body as JSON; anything else is a 400 before any field is looked at. */
export function parseJsonBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError({ _: ['The body is not valid JSON.'] }, 'The request body is not valid JSON.');
  }
}

export const messages = {
  required: 'This field is required.',
  unknownField: 'This field is not part of the payload: remove it or check its spelling.',
  lossRequired: 'Say why the deal was lost: loss is required with deal.lost.',
  lossOnlyWhenLost: 'Send loss only with deal.lost.',
  futureTime: 'This time is in the future: check the sending system’s clock.',
  notAnObject: 'Send one JSON object per request.',
} as const;

/** Per-field messages from a zod error, with each unknown field named on its own. */
export function payloadErrors(error: z.ZodError, prefix: string[] = []): FieldErrors {
  const out = fieldErrorRecord();
  const add = (path: PropertyKey[], message: string) => addFieldError(out, [...prefix, ...path.map(String)].join('.') || '_', message);
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], messages.unknownField);
    else if (issue.code === 'invalid_type' && issue.input === undefined) add(issue.path, messages.required);
    else add(issue.path, issue.message);
  }
  return out;
}

/** Parses with reportInput on, so that a missing field says "required" (see payloadErrors). */
export function safeParse<S extends z.ZodType>(schema: S, input: unknown) {
  return schema.safeParse(input, { reportInput: true });
}

const maxFutureMs = 5 * 60_000;

/** An event time well ahead of our clock would block every later event for the deal: refuse it. */
export function checkOccurredAt(occurredAt: Date, now: Date, field: string): void {
  if (occurredAt.getTime() > now.getTime() + maxFutureMs) throw new ValidationError({ [field]: [messages.futureTime] });
}

const isoTime = z
  .string({ error: 'Give the time as an ISO 8601 date-time such as 2026-11-20T14:05:00Z.' })
  .pipe(z.iso.datetime({ offset: true, error: 'Give the time as an ISO 8601 date-time such as 2026-11-20T14:05:00Z.' }))
  .transform((s) => new Date(s));

/** The generic endpoint's deal: a deal as the API describes it, its source defaulting to "generic". */
const genericDeal = z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) && !('source' in v) ? { ...v, source: 'generic' } : v), dealInput);

export const genericPayload = z
  .object({
    event: z.enum(webhookEvents, { error: 'Use deal.lost, deal.reopened, deal.won or deal.updated.' }),
    occurredAt: isoTime,
    deal: genericDeal,
    loss: lossInput.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.event === 'deal.lost' && !p.loss) ctx.addIssue({ code: 'custom', path: ['loss'], message: messages.lossRequired });
    if (p.event !== 'deal.lost' && p.loss) ctx.addIssue({ code: 'custom', path: ['loss'], message: messages.lossOnlyWhenLost });
  });

/** The generic endpoint's body as a WebhookEvent, or a ValidationError naming each field. */
export function genericEvent(body: unknown, now: Date): WebhookEvent {
  const parsed = safeParse(genericPayload, body);
  if (!parsed.success) throw new ValidationError(payloadErrors(parsed.error));
  const p = parsed.data;
  checkOccurredAt(p.occurredAt, now, 'occurredAt');
  return { event: p.event, occurredAt: p.occurredAt, deal: p.deal, loss: p.loss ? { ...p.loss, lostAt: p.loss.lostAt ?? p.occurredAt } : undefined };
}
