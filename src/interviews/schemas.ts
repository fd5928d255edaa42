import { z } from 'zod';
import { pageNumber } from '../deals/schemas.ts';
import { interviewStates } from './model.ts';

export const listInterviewsQuery = z
  .object({
    state: z.enum(interviewStates).optional().or(z.literal('').transform(() => undefined)),
    page: pageNumber,
  })
  .strict();
export type ListInterviewsQuery = z.infer<typeof listInterviewsQuery>;
