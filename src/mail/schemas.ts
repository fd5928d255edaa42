import { z } from 'zod';

export const mailboxQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) }).strict();
export const caughtMailParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'Not a message id.') });
export const deleteAllBody = z.object({ _csrf: z.string().optional() }).strict();
