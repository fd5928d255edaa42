// The rows every report view starts from are kept in the process and brought up to date by reading only
// what was written since (src/reports/dataset.ts): a change of any kind shows on the next read, as if
// everything had been read again. Each step below is checked against a fresh read of everything.
import { expect } from 'chai';
import { Deal } from '../../src/deals/model.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { loadDataset, rowTimings, type Dataset } from '../../src/reports/dataset.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { seedReportData } from './seed.ts';

/** What a view shows, in a form to compare: deals with their segment, interviews with their state, answers with their reason. */
const shape = (d: Dataset) => ({
  deals: d.deals.map((x) => `${x.id}:${x.segment}:${x.repReason}`).sort(),
  interviews: d.interviews.map((x) => `${x.id}:${x.state}`).sort(),
  responses: d.responses.map((x) => `${x.id}:${x.primaryReason}`).sort(),
});

describe('the report rows kept between reads', function () {
  this.timeout(60_000);
  useTestDatabase('reports_rows');
  beforeEach(clearCollections);
  const full = rowTimings.fullEveryMs;
  after(() => {
    rowTimings.fullEveryMs = full;
  });

  /** The view as kept, then as a full read gives it: they must agree. */
  async function expectCurrent(): Promise<ReturnType<typeof shape>> {
    const kept = shape(await loadDataset({}));
    rowTimings.fullEveryMs = 0; // the next read is a full one
    await Deal.updateOne({ name: '__none__' }, { $set: { name: '__none__' } }); // moves the token
    const fresh = shape(await loadDataset({}));
    rowTimings.fullEveryMs = full;
    expect(kept).to.deep.equal(fresh);
    return kept;
  }

  it('shows updates, reopened deals, new answers and deletions on the next read', async () => {
    await seedReportData();
    const first = await expectCurrent();
    expect(first.deals).to.have.length(12);

    const [a, b] = await Deal.find({ status: 'lost' }).sort({ lostAt: 1 }).limit(2);
    await Deal.updateOne({ _id: a!._id }, { $set: { segment: 'Mid-market', 'repReason.code': 'timing' } });
    expect((await expectCurrent()).deals.some((d) => d === `${a!._id}:Mid-market:timing`)).to.equal(true);

    await Deal.updateOne({ _id: b!._id }, { $set: { status: 'open' } });
    const reopened = await expectCurrent();
    expect(reopened.deals).to.have.length(11);
    expect(reopened.responses.length).to.be.below(first.responses.length);

    const interview = await Interview.findOne({ state: 'held' });
    await Interview.updateOne({ _id: interview!._id }, { $set: { state: 'cancelled' } });
    expect((await expectCurrent()).interviews).to.include(`${interview!._id}:cancelled`);

    const answer = await InterviewResponse.findOne({});
    await InterviewResponse.deleteOne({ _id: answer!._id });
    expect((await expectCurrent()).responses.some((r) => r.startsWith(String(answer!._id)))).to.equal(false);
  });

  it('sees a write stamped by a clock behind this one, within the margin', async () => {
    await seedReportData();
    await loadDataset({});
    const deal = await Deal.findOne({ status: 'lost' });
    // Another process whose clock is a minute behind: its updatedAt is older than this read.
    await Deal.updateOne({ _id: deal!._id }, { $set: { segment: 'Behind', updatedAt: new Date(Date.now() - 60_000) } }, { timestamps: false });
    expect((await loadDataset({})).deals.find((d) => d.id === String(deal!._id))?.segment).to.equal('Behind');
  });

  it('reads everything again after the database was emptied behind its back', async () => {
    await seedReportData();
    expect((await loadDataset({})).deals).to.have.length(12);
    await clearCollections(); // as a restore from a backup would, without a word to the app
    await seedReportData();
    expect((await loadDataset({})).deals).to.have.length(12);
  });
});
