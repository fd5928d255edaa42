// zod at the suppression list's edges: the staff form, the list's search, the buyer's unsubscribe link
// and the one-click POST (RFC 8058). Also the one normalisation of an address or a domain, so that what
// staff type, what a buyer's link adds and what the sender checks are the same key.
import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { suppressionKinds } from './model.ts';

/** What the staff form says when something is wrong, kept together. */
export const messages = {
  kind: 'Choose one address or a whole domain.',
  value: 'Enter an address or a domain.',
  address: 'Enter an email address such as ada@example.com.',
  domain: 'Enter a domain such as example.com.',
  domainIsAddress: 'That is one address: choose “One address”, or enter only the part after the @.',
  note: 'Use at most 500 characters for the note.',
  entry: 'Not an entry of the list.',
} as const;

/** The domain as stored: lower-case, in its ASCII (punycode) form, without a trailing dot. */
export function normaliseDomain(domain: string): string {
  const lower = domain.trim().toLowerCase().replace(/\.$/, '');
  // domainToASCII answers '' for what is not a domain name: keep the input, the caller's check refuses it.
  return /^[\x00-\x7f]*$/.test(lower) ? lower : domainToASCII(lower) || lower;
}

/** An address as stored and looked up: trimmed, lower-case, its domain in ASCII. */
export function normaliseAddress(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed;
  return `${trimmed.slice(0, at)}@${normaliseDomain(trimmed.slice(at + 1))}`;
}

const hostname = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export const emailAddress = z
  .string({ error: messages.address })
  .trim()
  .toLowerCase()
  .max(320, messages.address)
  .pipe(z.email({ error: messages.address }))
  .transform(normaliseAddress);

/** A domain as typed: "example.com" or "@example.com"; stored and answered as "example.com". */
export const domainName = z
  .string({ error: messages.domain })
  .trim()
  .max(260, messages.domain)
  .refine((v) => !/^[^@]+@/.test(v), messages.domainIsAddress)
  .transform((v) => normaliseDomain(v.replace(/^@/, '')))
  .pipe(z.string().regex(hostname, messages.domain));

const note = z
  .string()
  .trim()
  .max(500, messages.note)
  .optional()
  .transform((v) => (v ? v : undefined));

/** The staff form: one address or a whole domain, with an optional note. Errors land on kind, value or note. */
export const addSuppressionBody = z
  .object({
    _csrf: z.string().optional(),
    kind: z.enum(suppressionKinds, { error: messages.kind }),
    value: z.string({ error: messages.value }).max(400, messages.value),
    note,
  })
  .strict()
  .transform((body, ctx) => {
    if (body.value.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: body.kind === 'address' ? messages.address : messages.domain });
      return z.NEVER;
    }
    const parsed = (body.kind === 'address' ? emailAddress : domainName).safeParse(body.value);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: parsed.error.issues[0]?.message ?? messages.value });
      return z.NEVER;
    }
    return { kind: body.kind, value: parsed.data, note: body.note };
  });
export type AddSuppression = z.output<typeof addSuppressionBody>;

/** Taking an entry off: its key as the list shows it ("ada@example.com" or "@example.com"). */
export const removeSuppressionBody = z
  .object({ _csrf: z.string().optional(), entry: z.string({ error: messages.entry }).trim().toLowerCase().min(1, messages.entry).max(330, messages.entry) })
  .strict();

export const listSuppressionsQuery = z.object({
  q: z.string().trim().max(200).default(''),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

/** The interview id and its signature, as the buyer's link carries them: /u/<interviewId>.<sig>. */
export const unsubscribeParams = z.object({
  token: z.string().regex(/^[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/),
});

/**
 * The POST a mail client sends for one-click unsubscribe (RFC 8058 section 3.1), and the one the
 * confirm page's button sends, which says so in `from`.
 */
export const oneClickBody = z.object({
  'List-Unsubscribe': z.literal('One-Click'),
  from: z.literal('page').optional(),
});
