// What the import pages accept, as zod schemas (the mapping form's schema sits with the fields it maps).
import { z } from 'zod';
import { dealInput } from '../deals/schemas.ts';

export const importIdParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'Not an import id.') });

/** The upload form's text fields: where the deals come from (the source half of their key). */
export const uploadFields = z
  .object({
    source: z
      .string()
      .optional()
      .transform((s) => (s?.trim() ? s : 'csv'))
      .pipe(dealInput.shape.source),
  })
  .strip();
export type UploadFields = z.infer<typeof uploadFields>;
