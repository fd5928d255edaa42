import { expect } from 'chai';
import mongoose from 'mongoose';
import { Deal } from '../../src/deals/model.ts';
import { describeUri, isDuplicateKeyError, withDatabaseName } from '../../src/lib/db.ts';
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

const buildDealInput = (o: { externalId: string }) => ({ ...lostDeal, ...o });

describe('the database (the embedded engine in tests, MongoDB in production)', () => {
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
    const found = await Deal.find(fromInput)
      .lean()
      .catch((err: Error) => err);
    // Either no match or a cast error: never every deal.
    if (Array.isArray(found)) expect(found).to.have.length(0);
    else expect(found).to.be.instanceOf(Error);
  });

  it('refuses filter keys the schema does not know instead of ignoring them', async () => {
    const err = await Deal.find({ notAField: 'x' })
      .lean()
      .catch((e: Error) => e);
    expect(err).to.be.instanceOf(mongoose.Error);
  });

  it('refuses an update that would give two deals the same source and external id', async () => {
    const [a, b] = await Deal.insertMany([buildDealInput({ externalId: 'U-1' }), buildDealInput({ externalId: 'U-2' })]);
    const err = await Deal.updateOne({ _id: b!._id }, { $set: { externalId: a!.externalId } }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(err), String(err)).to.equal(true);
    expect((await Deal.findById(b!._id).lean())?.externalId).to.equal('U-2');
  });

  it('answers the queries the app is written with: $lookup, $facet, a projected findOneAndUpdate, a positional update', async () => {
    const db = mongoose.connection.db!;
    const parents = db.collection<{ _id: string; name: string; items: { k: string; v: number }[] }>('lookup_parents');
    const children = db.collection<{ _id: string; parent: string; n: number }>('lookup_children');
    await parents.insertMany([
      {
        _id: 'p1',
        name: 'one',
        items: [
          { k: 'a', v: 1 },
          { k: 'b', v: 2 },
        ],
      },
      { _id: 'p2', name: 'two', items: [] },
    ]);
    await children.insertMany([
      { _id: 'c1', parent: 'p1', n: 3 },
      { _id: 'c2', parent: 'p1', n: 5 },
      { _id: 'c3', parent: 'p2', n: 7 },
    ]);
    const joined = await children
      .aggregate<{ _id: string; total: number; name: string }>([
        { $group: { _id: '$parent', total: { $sum: '$n' } } },
        { $lookup: { from: 'lookup_parents', localField: '_id', foreignField: '_id', as: 'p' } },
        { $project: { total: 1, name: { $arrayElemAt: ['$p.name', 0] } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(joined).to.deep.equal([
      { _id: 'p1', total: 8, name: 'one' },
      { _id: 'p2', total: 7, name: 'two' },
    ]);
    const [faceted] = await children
      .aggregate<{ count: { n: number }[]; avg: { a: number }[] }>([
        { $facet: { count: [{ $count: 'n' }], avg: [{ $group: { _id: null, a: { $avg: '$n' } } }] } },
      ])
      .toArray();
    expect(faceted).to.deep.equal({ count: [{ n: 3 }], avg: [{ _id: null, a: 5 }] });
    const before = await parents.findOneAndUpdate({ _id: 'p1' }, { $set: { name: 'uno' } }, { projection: { name: 1 } });
    expect(before).to.deep.equal({ _id: 'p1', name: 'one' });
    await parents.updateOne({ _id: 'p1', 'items.k': 'b' }, { $set: { 'items.$.v': 20 } });
    expect((await parents.findOne({ _id: 'p1' }))?.items).to.deep.equal([
      { k: 'a', v: 1 },
      { k: 'b', v: 20 },
    ]);
  });

  it('applies two updates of one document made at the same moment, and only one of two conditional ones', async () => {
    const docs = mongoose.connection.db!.collection<{ _id: string; x?: number; y?: number; log: string[]; state?: string }>('atomic_updates');
    for (let i = 0; i < 20; i++) {
      const _id = `doc-${i}`;
      await docs.insertOne({ _id, log: [], state: 'invited' });
      await Promise.all([docs.updateOne({ _id }, { $set: { x: 1 }, $push: { log: 'a' } }), docs.updateOne({ _id }, { $set: { y: 1 }, $push: { log: 'b' } })]);
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
