import { expect } from 'chai';
import { Deal } from '../../src/deals/model.ts';
import { buildDemoData, seedDemoWorkspace } from '../../src/demo/seed.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

describe('the demo workspace', () => {
  useTestDatabase('seed');
  const logger = createLogger('silent');
  beforeEach(clearCollections);

  it('fills an empty database with a few dozen lost deals, interviews and buyer answers, all marked demo', async () => {
    expect(await seedDemoWorkspace(true, logger)).to.equal('seeded');
    expect(await Deal.countDocuments({ status: 'lost' })).to.be.within(24, 60);
    expect(await InterviewResponse.countDocuments()).to.be.at.least(12);
    expect(await Deal.countDocuments({ demo: false })).to.equal(0);
    const states = await Interview.distinct('state');
    expect(states).to.include.members(['completed', 'invited', 'declined', 'planned']);
  });

  it('is seeded once: a second start neither duplicates it nor brings deleted demo data back', async () => {
    expect(await seedDemoWorkspace(true, logger)).to.equal('seeded');
    const count = await Deal.countDocuments();
    expect(await seedDemoWorkspace(true, logger)).to.equal('not_empty');
    expect(await Deal.countDocuments()).to.equal(count);
    await Deal.deleteMany({});
    expect(await seedDemoWorkspace(true, logger)).to.equal('already_seeded');
    expect(await Deal.countDocuments()).to.equal(0);
  });

  it('dates nothing in the future', () => {
    const now = new Date('2026-11-23T09:00:00Z');
    const data = buildDemoData(now);
    const dates = [...data.deals.map((d) => d.lostAt), ...data.responses.map((r) => r.submittedAt)].filter(Boolean) as Date[];
    expect(dates.length).to.be.greaterThan(40);
    for (const d of dates) expect(d.getTime()).to.be.at.most(now.getTime());
  });

  it('is not seeded when DEMO_DATA is off', async () => {
    expect(await seedDemoWorkspace(false, logger)).to.equal('off');
    expect(await Deal.countDocuments()).to.equal(0);
  });

  it('is the same every time for the same day, so screenshots and tests can rely on it', () => {
    const now = new Date('2026-11-23T09:00:00Z');
    const strip = (d: ReturnType<typeof buildDemoData>) => d.deals.map(({ _id, ...rest }) => rest);
    expect(strip(buildDemoData(now))).to.deep.equal(strip(buildDemoData(now)));
  });
});
