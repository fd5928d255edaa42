import { z } from 'zod';
import { dealStatuses, lossTypes } from './model.ts';

export const pageNumber = z.coerce.number().int().min(1).max(10_000).default(1);

export const listDealsQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    status: z
      .enum(dealStatuses)
      .optional()
      .or(z.literal('').transform(() => undefined)),
    page: pageNumber,
  })
  .strict();
export type ListDealsQuery = z.infer<typeof listDealsQuery>;

// --- one deal, as every way in (pages, API, webhooks, CSV) describes it ---

const text = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : undefined));

export const contactInput = z
  .object({
    name: text(200).min(1, 'Enter the contact’s name.'),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(320)
      .pipe(z.email({ error: 'Enter an email address such as name@company.com.' })),
    role: optionalText(200),
    timeZone: optionalText(64),
    primary: z.boolean().optional(),
  })
  .strict();

export const dealInput = z
  .object({
    source: z
      .string()
      .trim()
      .min(1, 'Say where the deal comes from, such as hubspot or manual.')
      .max(40)
      .regex(/^[a-z0-9_-]+$/i, 'Use letters, digits, - and _ only.')
      .transform((s) => s.toLowerCase()),
    externalId: text(200).min(1, 'Enter the deal’s id in its source.'),
    name: text(300).min(1, 'Enter the deal’s name.'),
    buyerCompany: text(300).min(1, 'Enter the buyer’s company.'),
    amount: z.number({ error: 'Enter an amount as a number.' }).min(0, 'The amount cannot be negative.').max(1e12).optional(),
    currency: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, 'Use a three-letter currency code such as USD.')
      .transform((c) => c.toUpperCase())
      .optional(),
    segment: optionalText(100),
    productLine: optionalText(100),
    region: optionalText(100),
    ownerEmail: z
      .string()
      .trim()
      .toLowerCase()
      .max(320)
      .pipe(z.email({ error: 'Enter the owner’s email address.' }))
      .optional(),
    ownerName: optionalText(200),
    contacts: z.array(contactInput).max(20, 'At most 20 contacts.').default([]),
  })
  .strict()
  .refine((d) => d.contacts.filter((c) => c.primary).length <= 1, { path: ['contacts'], message: 'Mark at most one contact as primary.' });
export type DealInput = z.infer<typeof dealInput>;

export const lossInput = z
  .object({
    lostAt: z.coerce.date({ error: 'Enter the date the deal was lost.' }).optional(),
    lossType: z.enum(lossTypes, { error: 'Choose how the deal was lost.' }),
    reasonCode: z.string().trim().min(1, 'Choose the main reason.').max(100),
    reasonNote: optionalText(5000),
    competitor: optionalText(200),
  })
  .strict()
  .refine((l) => l.lossType !== 'competitor' || Boolean(l.competitor), { path: ['competitor'], message: 'Name the competitor the buyer chose.' });
export type LossInput = z.infer<typeof lossInput>;

export { dealStatuses, lossTypes } from './model.ts';
