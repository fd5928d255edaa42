// What a rep's link takes in a post.
import { z } from 'zod';
import { holdOffReason } from '../interviews/schemas.ts';

/** Holding off the interview from the link: the same reason staff give on the deal. */
export const repHoldOffBody = z.object({ reason: holdOffReason }).strict();
