// The deal form as a page sends it (flat fields, three contact rows) turned into the DealInput every
// way in shares, and the errors turned back into field names, so the page shows each next to its field.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { fieldErrors, fieldErrorRecord } from '../lib/http/validate.ts';
import type { StoredDeal } from './lifecycle.ts';
import { dealInput, lossInput, type DealInput, type LossInput } from './schemas.ts';

export const contactRows = [1, 2, 3] as const;
const dealFields = [
  'externalId',
  'name',
  'buyerCompany',
  'amount',
  'currency',
  'segment',
  'productLine',
  'region',
  'ownerEmail',
  'ownerName',
  'primaryContact',
];
const contactFields = ['Name', 'Email', 'Role', 'TimeZone'];
export const dealFormFields = [...dealFields, ...contactRows.flatMap((n) => contactFields.map((f) => `contact${n}${f}`))];

export type FormValues = Record<string, string>;

/** The form's values for an existing deal (to edit it). */
export function dealToForm(deal: StoredDeal): FormValues {
  const values: FormValues = {
    externalId: deal.externalId,
    name: deal.name,
    buyerCompany: deal.buyerCompany,
    amount: deal.amount === undefined || deal.amount === null ? '' : String(deal.amount),
    currency: deal.currency ?? 'USD',
    segment: deal.segment ?? '',
    productLine: deal.productLine ?? '',
    region: deal.region ?? '',
    ownerEmail: deal.ownerEmail ?? '',
    ownerName: deal.ownerName ?? '',
    primaryContact: '1',
  };
  deal.contacts.slice(0, contactRows.length).forEach((c, i) => {
    values[`contact${i + 1}Name`] = c.name;
    values[`contact${i + 1}Email`] = c.email;
    values[`contact${i + 1}Role`] = c.role ?? '';
    values[`contact${i + 1}TimeZone`] = c.timeZone ?? '';
    if (c.primary) values.primaryContact = String(i + 1);
  });
  return values;
}

export function emptyDealForm(owner?: { email: string; name: string }): FormValues {
  return { currency: 'USD', primaryContact: '1', ownerEmail: owner?.email ?? '', ownerName: owner?.name ?? '' };
}

function optional(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}

/** Parses the form into a DealInput for a deal of `source`, or the errors keyed by form field. */
export function parseDealForm(values: FormValues, source: string): { ok: true; input: DealInput } | { ok: false; errors: Record<string, string[]> } {
  const errors = fieldErrorRecord();
  const amountText = optional(values.amount)?.replace(/[,\s]/g, '');
  const amount = amountText === undefined ? undefined : Number(amountText);
  if (amountText !== undefined && !Number.isFinite(amount)) errors.amount = ['Enter an amount as a number, such as 25000.'];
  const rows = contactRows.filter((n) => contactFields.some((f) => optional(values[`contact${n}${f}`])));
  const raw = {
    source,
    externalId: optional(values.externalId) ?? `M-${randomBytes(4).toString('hex').toUpperCase()}`,
    name: values.name ?? '',
    buyerCompany: values.buyerCompany ?? '',
    ...(amount !== undefined && Number.isFinite(amount) ? { amount } : {}),
    currency: optional(values.currency),
    segment: optional(values.segment),
    productLine: optional(values.productLine),
    region: optional(values.region),
    ownerEmail: optional(values.ownerEmail),
    ownerName: optional(values.ownerName),
    contacts: rows.map((n) => ({
      name: values[`contact${n}Name`] ?? '',
      email: values[`contact${n}Email`] ?? '',
      role: optional(values[`contact${n}Role`]),
      timeZone: optional(values[`contact${n}TimeZone`]),
      primary: values.primaryContact === String(n),
    })),
  };
  const parsed = dealInput.safeParse(raw);
  if (!parsed.success) {
    for (const [path, messages] of Object.entries(fieldErrors(parsed.error))) {
      const m = /^contacts\.(\d+)\.(\w+)$/.exec(path);
      const field = m ? `contact${rows[Number(m[1])]}${m[2]![0]!.toUpperCase()}${m[2]!.slice(1)}` : path === 'contacts' ? 'contact1Name' : path;
      (errors[field] ??= []).push(...messages);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, input: parsed.data };
}

export const lossFormFields = ['lossType', 'reasonCode', 'reasonNote', 'competitor', 'lostAt'];

export function parseLossForm(values: FormValues): { ok: true; input: LossInput } | { ok: false; errors: Record<string, string[]> } {
  const parsed = lossInput.safeParse({
    lossType: values.lossType ?? '',
    reasonCode: values.reasonCode ?? '',
    reasonNote: optional(values.reasonNote),
    competitor: optional(values.competitor),
    ...(optional(values.lostAt) ? { lostAt: values.lostAt } : {}),
  });
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}

export const dealIdParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'Not a deal id.') });

// --- the rep's own view of a loss (the staff page and the rep's emailed link alike) ---

const repViewBody = z
  .object({
    _csrf: z.string().optional(),
    reasonCode: z.string().trim().min(1, 'Choose the main reason.').max(100),
    note: z
      .string()
      .trim()
      .max(5000, 'Use at most 5,000 characters.')
      .optional()
      .transform((v) => v || undefined),
  })
  .strict();

export const repViewFormFields = ['reasonCode', 'note'];

export function repViewToForm(deal: StoredDeal): FormValues {
  const view = deal.status === 'won' ? deal.winReason : deal.repReason;
  return { reasonCode: view?.code ?? '', note: view?.note ?? '' };
}

/** The rep's view as posted, checked against the program's reasons (`codes`). */
export function parseRepView(
  body: unknown,
  codes: readonly string[],
): { ok: true; view: { reasonCode: string; note?: string | undefined } } | { ok: false; errors: Record<string, string[]> } {
  const parsed = repViewBody.safeParse(body);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  if (!codes.includes(parsed.data.reasonCode)) return { ok: false, errors: { reasonCode: ['Choose one of the listed reasons.'] } };
  return { ok: true, view: { reasonCode: parsed.data.reasonCode, note: parsed.data.note } };
}
