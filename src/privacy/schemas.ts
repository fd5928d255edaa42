import { z } from 'zod';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email({ error: 'Enter the buyer’s email address.' }));

export const exportBody = z.object({ _csrf: z.string().optional(), email }).strict();
export const eraseBody = z
  .object({ _csrf: z.string().optional(), email, confirm: z.literal('yes', { error: 'Tick the box to confirm: erasing cannot be undone.' }) })
  .strict();
export const retentionBody = z
  .object({
    _csrf: z.string().optional(),
    months: z
      .string()
      .trim()
      .refine((v) => v === '' || /^\d{1,4}$/.test(v), 'Enter a number of months, or leave it empty to keep answers.')
      .transform((v) => (v === '' ? null : Number(v)))
      .refine((v) => v === null || (v >= 1 && v <= 240), 'Use between 1 and 240 months.'),
  })
  .strict();

/** The API's forms of the same requests (JSON, no CSRF). */
export const apiEraseBody = z.object({ email, confirm: z.literal(true, { error: 'Send "confirm": true: erasing cannot be undone.' }) }).strict();
export const apiExportQuery = z.object({ email }).strict();
