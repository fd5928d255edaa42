// What the emails page and its preview take from a request.
import { z } from 'zod';
import { editableEmails } from './texts.ts';

/** The emails form's button: save, or preview one of the emails. */
export const emailsAction = z.enum(['save', ...editableEmails.map((k) => `preview-${k}`)] as [string, ...string[]]);
export const previewParams = z.object({ kind: z.enum(editableEmails) }).strict();
// v: a fresh value per preview, so that the browser loads the frame again.
export const previewQuery = z
  .object({
    v: z
      .string()
      .regex(/^[a-z0-9]{1,20}$/)
      .optional(),
  })
  .strict();
