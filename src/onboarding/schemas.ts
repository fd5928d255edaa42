import { z } from 'zod';
import { confirmableSteps } from './checklist.ts';

const csrf = { _csrf: z.string().optional() };

export const confirmBody = z.object({ ...csrf, step: z.enum(confirmableSteps) }).strict();
export const dismissBody = z.object({ ...csrf, dismissed: z.enum(['yes', 'no']) }).strict();
export const emptyBody = z.object({ ...csrf }).strict();
