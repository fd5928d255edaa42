// The contract of the outbox's send job: its name and payload, which the scheduler enqueues by. How it
// runs is jobs/send-email.ts.
import { z } from 'zod';
import { defineJobContract } from '../lib/queue.ts';
import { maxBatchSize } from './send.ts';

const sendKey = z.string().regex(/^[a-z_]+:[\w.:-]{1,200}$/);

/** One email ({ key }: "send now", a thank-you, a staff email) or a batch ({ keys }: due together). */
export const sendEmailContract = defineJobContract({
  name: 'email.send',
  // { key } is also what jobs stored before batches carry.
  payload: z.union([z.object({ key: sendKey }).strict(), z.object({ keys: z.array(sendKey).min(1).max(maxBatchSize) }).strict()]),
});
