import { z } from 'zod';
import { dealStatuses } from '../deals/model.ts';
import { pageNumber } from '../deals/schemas.ts';
import { interviewStates } from '../interviews/model.ts';

/** An empty filter (`?status=`) means no filter, as on the pages. */
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `Use one of: ${values.join(', ')}.` }).optional().or(z.literal('').transform(() => undefined));

export const apiDealsQuery = z.object({ status: optionalEnum(dealStatuses), page: pageNumber }).strict();
export const apiInterviewsQuery = z.object({ state: optionalEnum(interviewStates), page: pageNumber }).strict();
