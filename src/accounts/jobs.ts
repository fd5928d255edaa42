// The contract of the password-reset job: its name and payload, which "Forgot your password?" enqueues by.
// How it runs is jobs/accounts-password-reset.ts.
import { z } from 'zod';
import { defineJobContract } from '../lib/queue.ts';

export const passwordResetContract = defineJobContract({
  name: 'accounts.password-reset',
  payload: z.object({ email: z.email().max(320), ip: z.string().max(100).optional() }).strict(),
});
