// A second process for the transition conflict test: as the job worker does, it sends reminders (the
// follow-up's change to `reminded`) to the even interviews over and over, and expires the odd ones at
// random moments, until its standard input closes; then it prints what it changed as one JSON line.
// Run: tsx test/helpers/transition-worker.ts <database uri> <comma-separated interview ids>
import { setImmediate as yieldNow } from 'node:timers/promises';
import mongoose from 'mongoose';
import { expireInterview } from '../../src/interviews/expiry.ts';
import { transition } from '../../src/interviews/index.ts';

const [uri, idList] = process.argv.slice(2);
await mongoose.connect(uri!);
const ids = idList!.split(',').map((id) => new mongoose.Types.ObjectId(id));
let stop = false;
process.stdin.on('data', () => {}).on('end', () => (stop = true));

const reminded = new Set<string>();
const expired = new Set<string>();
console.log('ready');
while (!stop) {
  await Promise.all(
    ids.map(async (interviewId, i) => {
      if (i % 2 === 0) {
        if (await transition(interviewId, { from: ['invited', 'reminded'], to: 'reminded', note: 'Reminder 1 sent', at: new Date() }))
          reminded.add(String(interviewId));
      } else if (!expired.has(String(interviewId)) && Math.random() < 0.05) {
        if (await expireInterview(interviewId)) expired.add(String(interviewId));
      }
    }),
  );
  await yieldNow();
}
console.log(JSON.stringify({ reminded: [...reminded], expired: [...expired] }));
await mongoose.disconnect();
