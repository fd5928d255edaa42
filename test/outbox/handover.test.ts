// Handing new interviews to the outbox: the dispatcher finds them by the mark the planner writes with each
// interview (not by reading every interview), each exactly once; an interview written without the mark is
// found by the sweep.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Interview } from '../../src/interviews/model.ts';
import { waitingHandovers } from '../../src/interviews/handover.ts';
import { dispatchNewInterviews, sweepUnmarkedInterviews } from '../../src/outbox/dispatch.ts';
import { MailSend } from '../../src/outbox/model.ts';
import { schedulerFor } from '../../src/outbox/schedule.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };

describe('handing new interviews to the outbox', () => {
  useTestDatabase('handover');
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await clearCollections();
    await buildUser('admin');
    await buildUser('marketer', { name: 'Mia Marketer' });
  });

  async function plannedInterview(name: string) {
    const { deal } = await upsertDeal(dealInputFor({ name, ownerEmail: 'rita@debrief.test' }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    return (await Interview.findOne({ dealId: deal._id }).lean())!;
  }

  const keysOf = async (interviewId: Types.ObjectId) => (await MailSend.find({ interviewId }).lean()).map((r) => String(r._id).split(':')[0]).sort();

  it('dispatches each planned interview once, through its mark', async () => {
    const first = await plannedInterview('Acme renewal');
    const second = await plannedInterview('Globex expansion');
    expect((await waitingHandovers(10)).map((i) => String(i._id)).sort()).to.deep.equal([String(first._id), String(second._id)].sort());

    expect(await dispatchNewInterviews(schedulerFor(app.queue))).to.equal(2);
    expect(await keysOf(first._id)).to.deep.equal(['invitation', 'rep_plan']);
    expect((await Interview.findById(second._id).lean())!.repNotifiedAt).to.be.instanceOf(Date);
    expect(await waitingHandovers(10)).to.deep.equal([]);
    expect((await Interview.findById(first._id).lean())!.awaitingHandover).to.equal(undefined);

    expect(await dispatchNewInterviews(schedulerFor(app.queue))).to.equal(0);
    expect(await MailSend.countDocuments({})).to.equal(4);
  });

  it('finds an interview written without the mark by the sweep, and only then', async () => {
    const planned = await plannedInterview('Initech');
    await Interview.updateMany({}, { $unset: { awaitingHandover: 1 } });
    expect(await dispatchNewInterviews(schedulerFor(app.queue))).to.equal(0);

    expect(await sweepUnmarkedInterviews()).to.equal(1);
    expect(await dispatchNewInterviews(schedulerFor(app.queue))).to.equal(1);
    expect(await keysOf(planned._id)).to.deep.equal(['invitation', 'rep_plan']);
    expect(await sweepUnmarkedInterviews()).to.equal(0);
  });
});
