// The fault drill from the email issue, as a test: 500 invitations due, the worker killed with SIGKILL
// mid-batch and started again, and the SMTP server refusing connections for a while. Afterwards every
// invitation has arrived, none under two Message-IDs, and repeats of one Message-ID are no more than the
// sends in flight at the kill.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { seedDueInvitations, tallyDeliveries } from '../../bench/drill-lib.ts';
import { MailSend } from '../../src/outbox/model.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { startAppProcess, waitUntilDead, type AppProcess } from '../helpers/process.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

const total = 500;

describe('fault drill: killed worker and a mail server that goes away', function () {
  this.timeout(900_000); // a kill, an outage and a restart on a shared 2-core machine: minutes on a bad day (see README, Performance)
  const db = useTestDatabase('outbox_fault');
  let sink: SmtpSink;
  let dataDir: string;
  const workers: AppProcess[] = [];
  before(async () => {
    sink = await startSmtpSink();
    dataDir = mkdtempSync(join(tmpdir(), 'debrief-fault-'));
  });
  after(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await sink.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const startWorker = () => {
    const worker = startAppProcess('worker', {
      NODE_ENV: 'test',
      MONGODB_URI: db.uri(),
      SMTP_URL: sink.url,
      MAIL_RATE_PER_DOMAIN: '100000',
      SESSION_SECRET: 'fault-drill-secret-fault-drill-secret-0123',
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      WORKER_POLL_MS: '1000',
      LOG_LEVEL: 'warn',
    });
    workers.push(worker);
    return worker;
  };

  async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) {
        const logs = workers.flatMap((w) => [...w.logs.slice(-25).map((l) => JSON.stringify(l)), ...w.stderr.slice(-10)]);
        const states = await MailSend.aggregate([{ $group: { _id: '$state', n: { $sum: 1 } } }]);
        const locked = await mongoose.connection.db!.collection('agendaJobs').countDocuments({ lockedAt: { $ne: null } });
        throw new Error(
          `timed out waiting for ${what} (${sink.received.length} arrived; outbox ${JSON.stringify(states)}; ${locked} jobs locked); the workers said:\n${logs.join('\n')}`,
        );
      }
      await sleep(100);
    }
  }

  it('delivers all 500 invitations, each under one Message-ID, with repeats only from the sends cut off by the kill', async () => {
    await seedDueInvitations(total);
    const first = startWorker();
    await waitFor(() => sink.received.length >= Math.min(100, total / 5), 120_000, 'the first invitations');
    first.child.kill('SIGKILL');
    await waitUntilDead(first.child.pid!);
    const atKill = sink.received.length;

    // The mail server goes away; a new worker starts meanwhile and meets refused connections.
    await sink.stop();
    startWorker();
    await sleep(8_000);
    await sink.start();

    await waitFor(async () => (await MailSend.countDocuments({ state: 'sent' })) === total, 780_000, 'every invitation to be sent');
    const tally = tallyDeliveries(sink.received);
    console.log(
      `      ${total} invitations: ${tally.recipients} recipients reached, ${tally.messageIds} Message-IDs, ${tally.repeats} repeats (${atKill} had arrived at the kill; ${sink.connectionErrors.length} connections broke off)`,
    );
    expect(tally.recipients, 'every buyer got their invitation').to.equal(total);
    expect(tally.underTwoIds, 'no buyer got two Message-IDs').to.deep.equal([]);
    // In flight at the kill: at most the job concurrency (10) of sends, each repeated once.
    expect(tally.repeats).to.be.at.most(10);
    expect(await MailSend.countDocuments({ kind: 'invitation', state: mongoose.trusted({ $ne: 'sent' }) })).to.equal(0);
  });
});
