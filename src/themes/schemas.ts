// zod schemas for every themes request: the page queries, the route parameters and each curation form.
import { z } from 'zod';
import { pageNumber } from '../deals/schemas.ts';
import { messages } from './messages.ts';
import { themeSets } from './model.ts';

const themeIdPattern = /^[a-z0-9_.-]{1,200}$/;

export const setQuery = z.object({ set: z.enum(themeSets).default('reasons') }).strict();
export const setParams = z.object({ set: z.enum(themeSets) });
export const themeParams = z.object({ set: z.enum(themeSets), themeId: z.string().regex(themeIdPattern) });
export const membersQuery = z.object({ page: pageNumber }).strict();

export const renameForm = z.object({
  label: z.string({ error: messages.errors.labelRequired }).trim().min(1, messages.errors.labelRequired).max(80, messages.errors.labelTooLong),
});

export const mergeForm = z.object({
  mergeInto: z
    .string({ error: messages.errors.intoRequired })
    .min(1, { error: messages.errors.intoRequired, abort: true })
    .regex(themeIdPattern, messages.errors.intoUnknown),
});

const responseId = z.string({ error: messages.errors.answerUnknown }).regex(/^[0-9a-f]{24}$/, messages.errors.answerUnknown);

export const moveForm = z.object({
  responseId,
  moveTo: z
    .string({ error: messages.errors.moveToRequired })
    .min(1, { error: messages.errors.moveToRequired, abort: true })
    .regex(themeIdPattern, messages.errors.intoUnknown),
});

export const quoteForm = z.object({
  responseId,
  action: z.enum(['pin', 'unpin', 'hide', 'unhide'], { error: messages.errors.answerUnknown }),
});

/** Splitting a theme takes nothing but the CSRF token. */
export const splitForm = z.object({});

export type RenameForm = z.infer<typeof renameForm>;
