// What the buyer's form may post, before its steps read it (src/buyer/steps.ts).
import { z } from 'zod';

/** A buyer's form post (urlencoded, not extended): text fields, repeated for checkboxes. */
export const postedFields = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
