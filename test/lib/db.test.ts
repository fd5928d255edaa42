import { expect } from 'chai';
import mongoose from 'mongoose';
import { Deal } from '../../src/deals/model.ts';
import { describeUri, withDatabaseName } from '../../src/lib/db.ts';
import { useTestDatabase } from '../helpers/db.ts';

const lostDeal = {
  source: 'hubspot',
  externalId: 'D-1',
  name: 'Acme renewal',
  buyerCompany: 'Acme',
  amount: 12000,
  status: 'lost' as const,
  lostAt: new Date('2026-10-01T12:00:00Z'),
  contacts: [{ name: 'Ada Buyer', email: 'Ada@Acme.example', primary: true }],
};

describe('the database on the embedded engine', () => {
  useTestDatabase('db');

  it('stores a deal and reads it back as it was written', async () => {
    const created = await Deal.create(lostDeal);
    const found = await Deal.findById(created._id).lean();
    expect(found?.name).to.equal('Acme renewal');
    expect(found?.amount).to.equal(12000);
    expect(found?.lostAt?.toISOString()).to.equal('2026-10-01T12:00:00.000Z');
    expect(found?.contacts[0]?.email).to.equal('ada@acme.example');
    expect(found?.currency).to.equal('USD');
  });

  it('refuses a second deal with the same source and external id (the key idempotency rests on)', async () => {
    await Deal.create({ ...lostDeal, externalId: 'D-2' });
    try {
      await Deal.create({ ...lostDeal, externalId: 'D-2', name: 'again' });
      expect.fail('the duplicate insert should have failed');
    } catch (err) {
      expect((err as { code?: number }).code).to.equal(11000);
    }
    expect(await Deal.countDocuments({ externalId: 'D-2' })).to.equal(1);
    await Deal.create({ ...lostDeal, source: 'salesforce', externalId: 'D-2' });
    expect(await Deal.countDocuments({ externalId: 'D-2' })).to.equal(2);
  });

  it('neutralises operator objects that come from input', async () => {
    await Deal.create({ ...lostDeal, externalId: 'D-3' });
    const fromInput = JSON.parse('{"externalId": {"$ne": null}}') as Record<string, unknown>;
    const found = await Deal.find(fromInput).lean().catch((err: Error) => err);
    // Either no match or a cast error: never every deal.
    if (Array.isArray(found)) expect(found).to.have.length(0);
    else expect(found).to.be.instanceOf(Error);
  });

  it('refuses filter keys the schema does not know instead of ignoring them', async () => {
    const err = await Deal.find({ notAField: 'x' }).lean().catch((e: Error) => e);
    expect(err).to.be.instanceOf(mongoose.Error);
  });

  it('looks documents up by _id through an index on the engine (updates by _id do not scan the collection)', async () => {
    // The engine adds the index FerretDB's SQLite statements can use (engine/idindex.go) shortly after
    // a collection appears. Explain shows SQLite's plan; a find first lets the connection see new indexes.
    const deals = Array.from({ length: 50 }, (_, i) => ({ ...lostDeal, externalId: `IDX-${i}` }));
    const [first] = await Deal.insertMany(deals);
    const plan = async () => {
      await Deal.findById(first!._id).lean();
      const explained = (await Deal.find({ _id: first!._id }).explain()) as unknown as { queryPlanner?: { Plan?: string[] } };
      return (explained.queryPlanner?.Plan ?? []).join('\n');
    };
    let seen = await plan();
    for (let i = 0; i < 30 && !seen.includes('USING INDEX'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await plan();
    }
    expect(seen).to.match(/SEARCH \S+ USING INDEX \S+__debrief_id_path/);
  });

  it('applies two updates of one document made at the same moment, and only one of two conditional ones', async () => {
    // FerretDB alone loses one of the two (it reads, changes and writes back a document with nothing held
    // in between); the engine's relay makes each update atomic, as on MongoDB (engine/relay.go).
    const docs = mongoose.connection.db!.collection<{ _id: string; x?: number; y?: number; log: string[]; state?: string }>('atomic_updates');
    for (let i = 0; i < 20; i++) {
      const _id = `doc-${i}`;
      await docs.insertOne({ _id, log: [], state: 'invited' });
      await Promise.all([
        docs.updateOne({ _id }, { $set: { x: 1 }, $push: { log: 'a' } }),
        docs.updateOne({ _id }, { $set: { y: 1 }, $push: { log: 'b' } }),
      ]);
      const both = await docs.findOne({ _id });
      expect(both, _id).to.deep.include({ x: 1, y: 1 });
      expect([...both!.log].sort(), _id).to.deep.equal(['a', 'b']);
      const [completed, reminded] = await Promise.all([
        docs.updateOne({ _id, state: 'invited' }, { $set: { state: 'completed' } }),
        docs.findOneAndUpdate({ _id, state: 'invited' }, { $set: { state: 'reminded' } }),
      ]);
      expect(completed.modifiedCount + (reminded ? 1 : 0), `${_id}: updates that found it still invited`).to.equal(1);
      expect((await docs.findOne({ _id }))?.state).to.equal(completed.modifiedCount === 1 ? 'completed' : 'reminded');
    }
  });

  it('names the database in the connection string only when the string names none', () => {
    expect(withDatabaseName('mongodb://127.0.0.1:4000/', 'debrief')).to.equal('mongodb://127.0.0.1:4000/debrief');
    expect(withDatabaseName('mongodb://h1,h2/other?replicaSet=rs0', 'debrief')).to.equal('mongodb://h1,h2/other?replicaSet=rs0');
  });

  it('describes a connection string without its credentials', () => {
    expect(describeUri('mongodb://admin:s3cret@db1:27017,db2:27017/debrief?replicaSet=rs0')).to.equal('mongodb://db1:27017,db2:27017/debrief');
  });
});
