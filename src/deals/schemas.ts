import { z } from 'zod';
import { dealStatuses } from './model.ts';

export const pageNumber = z.coerce.number().int().min(1).max(10_000).default(1);

export const listDealsQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    status: z.enum(dealStatuses).optional().or(z.literal('').transform(() => undefined)),
    page: pageNumber,
  })
  .strict();
export type ListDealsQuery = z.infer<typeof listDealsQuery>;
