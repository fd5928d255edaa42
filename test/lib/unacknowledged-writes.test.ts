// Unacknowledged writes (w: 0) go out with OP_MSG's moreToCome flag: the server must not answer, and
// the driver reads no answer. FerretDB, the previous embedded engine, answered anyway; the stray answer
// then stood first in line on that connection, so the next command there read it: a page's find got a
// delete's answer ("BSON element 'cursor' is missing", a 500 on /themes) and the command after that got
// the find's (agenda: "job interviews.dispatch cannot be updated"). The one such write Debrief made was
// connect-mongo's expired-session sweep, every 10 minutes. Here a relay in front of the test engine
// answers such writes as FerretDB did: the first test shows the crossed replies, the second that
// Debrief's sessions send no unacknowledged write at all (the sweep is the retention job's, acknowledged).
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mock } from 'node:test';
import { expect } from 'chai';
import { BSON, MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { pruneExpiredSessions, sessionMiddleware } from '../../src/accounts/session.ts';
import { withDatabaseName } from '../../src/lib/db.ts';
import { ensureIndexes } from '../../src/server.ts';
import { testConfig } from '../helpers/app.ts';
import { engineUri } from '../helpers/engine-uri.ts';

const opMsg = 2013;
const moreToCome = 1 << 1;

/** Splits a byte stream into whole wire messages. */
function messages(socket: Socket, onMessage: (msg: Buffer) => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
      const length = pending.readInt32LE(0);
      onMessage(pending.subarray(0, length));
      pending = pending.subarray(length);
    }
  });
}

/** The answer FerretDB gave an unacknowledged delete: { n, ok: 1 }, to the request's id. */
function strayAnswer(request: Buffer): Buffer {
  const body = Buffer.from(BSON.serialize({ n: 0, ok: 1 }));
  const msg = Buffer.alloc(16 + 4 + 1 + body.length);
  msg.writeInt32LE(msg.length, 0);
  msg.writeInt32LE(999_999, 4);
  msg.writeInt32LE(request.readInt32LE(4), 8); // responseTo
  msg.writeInt32LE(opMsg, 12);
  msg.writeUInt32LE(0, 16);
  msg.writeUInt8(0, 20);
  body.copy(msg, 21);
  return msg;
}

/** A relay to the test engine that answers unacknowledged writes, as FerretDB did; counts them. */
async function answeringRelay(): Promise<{ uri: (db: string) => string; unacknowledged: () => number; close(): Promise<void> }> {
  const target = new URL(engineUri());
  let unacknowledged = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const engine = connect(Number(target.port), target.hostname);
    sockets.add(client).add(engine);
    messages(client, (msg) => {
      engine.write(msg);
      if (msg.readInt32LE(12) === opMsg && (msg.readUInt32LE(16) & moreToCome) !== 0) {
        unacknowledged += 1;
        client.write(strayAnswer(msg));
      }
    });
    messages(engine, (msg) => client.write(msg));
    const end = () => {
      client.destroy();
      engine.destroy();
    };
    client.on('close', end).on('error', end);
    engine.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: (db) => withDatabaseName(`mongodb://127.0.0.1:${port}/`, db),
    unacknowledged: () => unacknowledged,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('unacknowledged writes, on an engine that answers them', () => {
  let relay: Awaited<ReturnType<typeof answeringRelay>>;
  before(async () => {
    relay = await answeringRelay();
  });
  after(async () => {
    await relay.close();
  });

  it('cross the replies on their connection: the errors seen on /themes and in agenda', async () => {
    // connect-mongo's sweep as it was configured (autoRemove: 'interval'), then what came next on that connection.
    async function afterTheSweep<T>(next: (jobs: ReturnType<ReturnType<MongoClient['db']>['collection']>) => Promise<T>): Promise<T | Error> {
      const client = new MongoClient(relay.uri('t_unacknowledged_crossed'), { maxPoolSize: 1 });
      try {
        const db = client.db();
        await db.collection('jobs').updateOne({ _id: 'dispatch' as never }, { $set: { name: 'interviews.dispatch' } }, { upsert: true });
        await db.collection('sessions').deleteMany({ expires: { $lt: new Date() } }, { writeConcern: { w: 0 } });
        return await next(db.collection('jobs')).catch((err: Error) => err);
      } finally {
        await client.close();
      }
    }
    const page = await afterTheSweep((jobs) => jobs.find({}).toArray());
    expect(String(page)).to.match(/BSON element .cursor. is missing/);
    const lock = await afterTheSweep((jobs) => jobs.updateOne({ _id: 'dispatch' as never, name: 'interviews.dispatch' }, { $set: { lockedAt: new Date() } }));
    expect(lock, 'agenda: "job interviews.dispatch cannot be updated in the database"').to.include({ matchedCount: 0 });
  });

  it('Debrief’s session store sends none: expired sessions are swept by an acknowledged delete', async () => {
    await mongoose.connect(relay.uri('t_unacknowledged_sessions'));
    await ensureIndexes(); // before the database is dropped at the end
    try {
      const sessions = mongoose.connection.db!.collection<{ _id: string; expires: Date; session: string }>('sessions');
      await sessions.insertMany([
        { _id: 'expired', expires: new Date(Date.now() - 60_000), session: '{}' },
        { _id: 'live', expires: new Date(Date.now() + 60_000), session: '{}' },
      ]);
      const before = relay.unacknowledged();
      // The store's own timers, brought forward an hour: whatever it would sweep in that time, it sweeps now.
      mock.timers.enable({ apis: ['setInterval'] });
      try {
        sessionMiddleware(testConfig());
        await new Promise((r) => setTimeout(r, 300)); // the store sets its timers once it has its collection
        mock.timers.tick(60 * 60_000);
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        mock.timers.reset();
      }
      expect(relay.unacknowledged() - before, 'unacknowledged writes sent').to.equal(0);
      expect(await pruneExpiredSessions()).to.equal(1);
      expect((await sessions.find({}).toArray()).map((s) => s._id)).to.deep.equal(['live']);
    } finally {
      await mongoose.connection.dropDatabase();
      await mongoose.disconnect();
    }
  });
});
