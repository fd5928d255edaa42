// Sends a password-reset link after "Forgot your password?" has been answered. Finding the account,
// making the link and planning the email take time, and an answer that waited for them would tell which
// addresses have an account: the request only enqueues this job, the same way for every address.
import { passwordResetContract } from '../src/accounts/jobs.ts';
import { sendPasswordReset } from '../src/accounts/service.ts';
import { defineJob } from '../src/lib/queue.ts';
import { sendStaffEmail } from '../src/outbox/staff.ts';

export const passwordResetJob = defineJob({
  ...passwordResetContract,
  retry: { attempts: 3, firstDelayMs: 5_000 },
  run: async ({ email, ip }, { services }) => {
    await sendPasswordReset((message) => sendStaffEmail(services.queue, message), services.appUrl, email, { type: 'anonymous', ...(ip ? { ip } : {}) });
  },
});
