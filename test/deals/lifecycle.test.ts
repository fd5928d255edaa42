import { expect } from 'chai';
import { Deal } from '../../src/deals/model.ts';
import { DealHistory } from '../../src/deals/history.ts';
import { changeOutcome, markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Interview } from '../../src/interviews/model.ts';
import { removeFromQueue } from '../../src/interviews/queue.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { buildUser } from '../factories/users.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };
// Monday 23 November 2026, 10:30 in Berlin.
const monday = new Date('2026-11-23T09:30:00Z');

describe('deals and the lost trigger', () => {
  useTestDatabase('lifecycle');
  beforeEach(async () => {
    await clearCollections();
    await saveProgram({ ...defaultProgram, timeZone: 'Europe/Berlin' });
  });

  it('upserting the same source and id twice keeps one deal, and records only real changes', async () => {
    const input = dealInputFor({ externalId: 'HS-1' });
    const first = await upsertDeal(input, actor, 'api');
    const again = await upsertDeal(input, actor, 'webhook');
    const changed = await upsertDeal({ ...input, amount: 30000 }, actor, 'csv');
    expect(first.created).to.equal(true);
    expect(again.created).to.equal(false);
    expect(changed.created).to.equal(false);
    expect(await Deal.countDocuments({ externalId: 'HS-1' })).to.equal(1);
    const history = await DealHistory.find({ dealId: first.deal._id }).sort({ at: 1 }).lean();
    expect(history.map((h) => h.event)).to.deep.equal(['created', 'updated']);
    expect(history[1]!.changes).to.deep.equal([{ field: 'amount', from: '20000', to: '30000' }]);
    expect(history[1]!.via).to.equal('csv');
  });

  it('marking a deal lost plans one interview for the primary contact, with an interviewer and a time', async () => {
    await buildUser('marketer', { name: 'Mia Marketer' });
    const { deal } = await upsertDeal(dealInputFor(), actor, 'page');
    const result = await markLost(deal._id, competitorLoss, actor, 'page', monday);
    expect(result.plan.outcome).to.equal('planned');
    const interviews = await Interview.find({ dealId: deal._id }).lean();
    expect(interviews).to.have.length(1);
    const interview = interviews[0]!;
    expect(interview.state).to.equal('planned');
    expect(interview.contact?.email).to.equal(deal.contacts[0]!.email);
    expect(interview.interviewer?.name).to.equal('Mia Marketer');
    // Three business days later, at the same time of day in the buyer's zone (Berlin).
    expect(interview.plannedFor?.toISOString()).to.equal('2026-11-26T09:30:00.000Z');
    const saved = await Deal.findById(deal._id).lean();
    expect(saved?.status).to.equal('lost');
    expect(saved?.repReason?.code).to.equal('price');
  });

  it('marking lost twice, even at the same moment, never plans a second interview', async () => {
    const { deal } = await upsertDeal(dealInputFor(), actor, 'page');
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => markLost(deal._id, competitorLoss, actor, 'webhook', monday)));
    expect(results.filter((r) => r.plan.outcome === 'planned')).to.have.length.at.most(1);
    expect(await Interview.countDocuments({ dealId: deal._id })).to.equal(1);
    const later = await markLost(deal._id, { ...competitorLoss, reasonCode: 'product_fit' }, actor, 'page', monday);
    expect(later.plan.outcome).to.equal('already_lost');
    expect(await Interview.countDocuments({ dealId: deal._id })).to.equal(1);
    expect((await Deal.findById(deal._id).lean())?.repReason?.code).to.equal('product_fit');
  });

  it('reopening or winning cancels the planned interview; a later loss plans a new one', async () => {
    const { deal } = await upsertDeal(dealInputFor(), actor, 'page');
    await markLost(deal._id, competitorLoss, actor, 'page', monday);
    const reopened = await changeOutcome(deal._id, 'open', actor, 'page', monday);
    expect(reopened.cancelled).to.equal(1);
    expect((await Interview.findOne({ dealId: deal._id }).lean())?.state).to.equal('cancelled');
    // The cancelled interview never reached the buyer, so it does not count against the cool-down.
    const again = await markLost(deal._id, competitorLoss, actor, 'page', new Date('2026-11-24T09:30:00Z'));
    expect(again.plan.outcome).to.equal('planned');
    expect((await Interview.find({ dealId: deal._id }).lean()).map((i) => i.state).sort()).to.deep.equal(['cancelled', 'planned']);
    const won = await changeOutcome(deal._id, 'won', actor, 'page');
    expect(won.deal.status).to.equal('won');
  });

  describe('exclusions are recorded with their reason', () => {
    async function lose(overrides: Parameters<typeof dealInputFor>[0]) {
      const { deal } = await upsertDeal(dealInputFor(overrides), actor, 'page');
      const { plan } = await markLost(deal._id, competitorLoss, actor, 'page', monday);
      const interview = await Interview.findOne({ dealId: deal._id }).lean();
      return { plan, interview };
    }

    it('a deal with no buyer contact', async () => {
      const { plan, interview } = await lose({ contacts: [] });
      expect(plan.outcome).to.equal('excluded');
      expect(interview?.state).to.equal('excluded');
      expect(interview?.exclusionReason).to.equal('The deal has no buyer contact to ask.');
    });

    it('a segment outside the program', async () => {
      await saveProgram({ ...defaultProgram, segments: ['Enterprise'] });
      const { interview } = await lose({ segment: 'SMB' });
      expect(interview?.exclusionReason).to.equal('The SMB segment is not in the program.');
    });

    it('an amount below the minimum', async () => {
      await saveProgram({ ...defaultProgram, minimumAmount: 50000 });
      const { interview } = await lose({ amount: 1000 });
      expect(interview?.exclusionReason).to.match(/below the program's minimum of 50,000/);
    });

    it('a contact asked within the cool-down, across deals', async () => {
      const contact = { name: 'Repeat Buyer', email: 'repeat@acme.example', primary: true };
      await lose({ buyerCompany: 'Acme', contacts: [contact] });
      const { interview } = await lose({ buyerCompany: 'Acme Holding', contacts: [contact] });
      expect(interview?.exclusionReason).to.match(/^Repeat Buyer was already asked about a deal on .*leaves a contact alone for 180 days/);
    });

    it('a loss more than 90 days old (a CSV import of last year, say)', async () => {
      const { deal } = await upsertDeal(dealInputFor({}), actor, 'page');
      await markLost(deal._id, { ...competitorLoss, lostAt: new Date(monday.getTime() - 120 * 86_400_000) }, actor, 'page', monday);
      const interview = await Interview.findOne({ dealId: deal._id }).lean();
      expect(interview?.exclusionReason).to.match(/more than 90 days ago/);
    });

    it('a contact whose interview was cancelled (the deal reopened) counts as not asked', async () => {
      const contact = { name: 'Back Again', email: 'again@initech.example', primary: true };
      const { deal } = await upsertDeal(dealInputFor({ buyerCompany: 'Initech', contacts: [contact] }), actor, 'page');
      await markLost(deal._id, competitorLoss, actor, 'page', monday);
      await changeOutcome(deal._id, 'open', actor, 'page', monday);
      const { interview } = await lose({ buyerCompany: 'Initech', contacts: [contact] });
      expect(interview?.state).to.equal('planned');
    });

    it('an account asked within the cool-down, through another contact', async () => {
      await lose({ buyerCompany: 'Globex', contacts: [{ name: 'First', email: 'first@globex.example', primary: true }] });
      const { interview } = await lose({ buyerCompany: 'Globex', contacts: [{ name: 'Second', email: 'second@globex.example', primary: true }] });
      expect(interview?.exclusionReason).to.match(/^Someone at Globex was already asked/);
    });

    it('an account asked within the cool-down, under another spelling of its name', async () => {
      await lose({ buyerCompany: 'Globex  Corp', contacts: [{ name: 'First', email: 'first@globex.example', primary: true }] });
      const { interview } = await lose({ buyerCompany: 'GLOBEX corp', contacts: [{ name: 'Second', email: 'second@globex.example', primary: true }] });
      expect(interview?.exclusionReason).to.match(/^Someone at GLOBEX corp was already asked/);
    });

    it('a contact whose interview was taken out of the queue, or was demo data, counts as not asked', async () => {
      const contact = { name: 'Taken Out', email: 'out@umbrella.example', primary: true };
      const first = await lose({ buyerCompany: 'Umbrella', contacts: [contact] });
      await removeFromQueue(first.interview!._id, 'asked by phone already', actor);
      await Interview.create({
        dealId: first.interview!.dealId,
        planKey: 'demo#1',
        buyerCompany: 'Hooli',
        accountKey: 'hooli',
        contact: { name: 'Demo', email: 'demo@hooli.example' },
        state: 'invited',
        plannedFor: monday,
        demo: true,
      });
      expect((await lose({ buyerCompany: 'Umbrella', contacts: [contact] })).interview?.state).to.equal('planned');
      expect((await lose({ buyerCompany: 'Hooli', contacts: [{ name: 'Demo', email: 'demo@hooli.example', primary: true }] })).interview?.state).to.equal(
        'planned',
      );
    });
  });

  it('assigns the segment’s named interviewer, else the marketer with the fewest interviews', async () => {
    const mia = await buildUser('marketer', { name: 'Mia' });
    const max = await buildUser('marketer', { name: 'Max' });
    const ent = await buildUser('marketer', { name: 'Ent Lead' });
    await saveProgram({ ...defaultProgram, interviewerBySegment: [{ segment: 'Enterprise', email: ent.email }] });
    const names: string[] = [];
    for (const segment of ['SMB', 'SMB', 'Enterprise', 'SMB']) {
      const { deal } = await upsertDeal(dealInputFor({ segment }), actor, 'page');
      await markLost(deal._id, competitorLoss, actor, 'page', monday);
      names.push((await Interview.findOne({ dealId: deal._id }).lean())!.interviewer!.name!);
    }
    // SMB goes to whoever has the fewest (ties by name); Enterprise to its named interviewer.
    expect(names).to.deep.equal([ent.name, max.name, ent.name, mia.name]);
  });
});
