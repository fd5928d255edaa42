// Benchmark: invitations delivered per second through the job queue (outbox records, agenda, the send
// job) to the local SMTP catcher, and in the same run plain nodemailer sending the same messages to the
// same catcher. Prints figures, asserts nothing. Usage: npm run bench:email [-- --count N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { jobs } from '../jobs/index.ts';
import { loadConfig } from '../src/config.ts';
import { Deal } from '../src/deals/model.ts';
import { Interview } from '../src/interviews/model.ts';
import { withDatabaseName } from '../src/lib/db.ts';
import { startEngine } from '../src/lib/engine.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createMailer, type Mailer, type OutgoingMail } from '../src/lib/mailer.ts';
import { createQueue } from '../src/lib/queue.ts';
import { startCatcher } from '../src/mail/catcher.ts';
import { CaughtMail } from '../src/mail/model.ts';
import { kinds, loadSendContext } from '../src/outbox/kinds.ts';
import { MailSend } from '../src/outbox/model.ts';
import { batchingSchedulerFor } from '../src/outbox/schedule.ts';
import { sendKey } from '../src/outbox/model.ts';
import { ensureIndexes, jobServices } from '../src/server.ts';

const countArg = process.argv.indexOf('--count');
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 300;
const logger = createLogger('warn');
const dataDir = mkdtempSync(join(tmpdir(), 'debrief-bench-email-'));
const engine = await startEngine({ dataDir });
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', MONGODB_URI: 'mongodb://127.0.0.1:1/unused', MAIL_RATE_PER_DOMAIN: '100000' });

async function freshDatabase(name: string): Promise<void> {
  if (mongoose.connection.readyState === 1) await mongoose.disconnect();
  await mongoose.connect(withDatabaseName(engine.uri, name));
  await ensureIndexes();
}

async function seed(): Promise<void> {
  const deals = await Deal.insertMany(
    Array.from({ length: count }, (_, i) => ({
      source: 'bench',
      externalId: `B-${i}`,
      name: `Bench deal ${i}`,
      buyerCompany: `Bench Co ${i}`,
      status: 'lost',
      lostAt: new Date(),
    })),
  );
  await Interview.insertMany(
    deals.map((d, i) => ({
      dealId: d._id,
      planKey: `${String(d._id)}#1`,
      buyerCompany: d.buyerCompany,
      contact: { name: `Buyer ${i}`, email: `buyer${i}@bench${i % 50}.example` },
      interviewer: { name: 'Mia Marketer', email: 'mia@debrief.test' },
      state: 'planned',
      plannedFor: new Date(),
      repNotifiedAt: new Date(),
      timeline: [],
    })),
  );
}

// 1. Through the job queue.
await freshDatabase('bench_queue');
await seed();
const catcher = await startCatcher({ port: 0, logger });
const mailer = createMailer({ smtpUrl: catcher.url, from: config.mailFrom, logger });
const scheduling = createQueue({ db: mongoose.connection.db!, jobs, logger, pollMs: 60_000, inProcessNotifications: false });
// As the dispatcher plans them: invitations due together share a send job.
const schedule = batchingSchedulerFor(scheduling);
const invited = await Interview.find().select({ _id: 1 }).lean();
for (const i of invited) await schedule('invitation', i._id, 0, new Date());
await schedule.flush();
// Timed until the catcher has accepted every invitation, counted as the worker's mailer hears its 250:
// polling the database (a count of sent records reads the whole outbox) would load the very engine
// being measured. Then every record must say sent.
let accepted = 0;
let allAccepted!: () => void;
const delivered = new Promise<void>((resolve) => (allAccepted = resolve));
const counting: Mailer = {
  ...mailer,
  async send(msg) {
    const result = await mailer.send(msg);
    if (++accepted === count) allAccepted();
    return result;
  },
};
const worker = createQueue({ db: mongoose.connection.db!, jobs, logger, pollMs: 500, inProcessNotifications: false });
const queueStart = performance.now();
await worker.start(jobServices(config, counting));
await delivered;
const queueSeconds = (performance.now() - queueStart) / 1000;
for (const key of invited.map((i) => sendKey('invitation', i._id))) {
  while ((await MailSend.findById(key).select({ state: 1 }).lean())?.state !== 'sent') await sleep(100);
}
await worker.stop(5_000);
const caughtViaQueue = await CaughtMail.countDocuments();

// 2. Plain nodemailer: the same messages, composed beforehand, sent over the same pooled transport.
const secrets = jobServices(config, mailer).secrets;
const messages: OutgoingMail[] = [];
for (const i of await Interview.find().select({ _id: 1 }).lean()) {
  const ctx = (await loadSendContext(i._id, 0, config.appUrl, secrets))!;
  messages.push({ ...(await kinds.invitation.compose(ctx)), to: ctx.interview.contact!.email });
}
await CaughtMail.deleteMany({});
const plainStart = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 5 }, async () => {
    while (next < messages.length) await mailer.send(messages[next++]!);
  }),
);
const plainSeconds = (performance.now() - plainStart) / 1000;

await mailer.close();
await catcher.stop();
await mongoose.disconnect();
await engine.stop();
rmSync(dataDir, { recursive: true, force: true });

const queueRate = count / queueSeconds;
const plainRate = count / plainSeconds;
console.log(`Invitations to the local SMTP catcher (${count} messages, embedded engine):`);
console.log(`  through the job queue:  ${queueRate.toFixed(1)}/s (${queueSeconds.toFixed(1)} s, ${caughtViaQueue} caught)`);
console.log(`  plain nodemailer:       ${plainRate.toFixed(1)}/s (${plainSeconds.toFixed(1)} s)`);
console.log(`  ratio:                  ${(queueRate / plainRate).toFixed(2)} (goal: at least 0.5)`);
console.log(`email.queue.per_s ${queueRate.toFixed(1)}`);
console.log(`email.nodemailer.per_s ${plainRate.toFixed(1)}`);
console.log(`email.ratio ${(queueRate / plainRate).toFixed(2)}`);
process.exit(0);
