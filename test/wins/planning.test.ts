// Planning won deals' interviews, from every way a deal arrives (the deal page, the API, the generic,
// HubSpot and Salesforce webhooks, a CSV import), all through the one lifecycle: a won deal cancels a
// pending loss interview and, when the program samples it in, plans one win interview, once, however
// often the same deal is sent again. Sampling: 0 % asks no one, 100 % everyone, a rate in between the
// same deals every time (a hash of the deal's source and id), on replay and in a fresh workspace.
import { expect } from 'chai';
import { changeOutcome, markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Deal } from '../../src/deals/model.ts';
import type { Types } from 'mongoose';
import { Interview } from '../../src/interviews/model.ts';
import type { StoredInterview } from '../../src/interviews/planner.ts';
import { defaultProgram, saveProgram, type Program } from '../../src/program/model.ts';
import { winDraw } from '../../src/program/win-sampling.ts';
import { apiClient } from '../api/client.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { uploadAndPreview, waitForRun } from '../imports/helpers.ts';
import { hubspotSigned, send, settled, signed, waitFor, webhookEnv } from '../webhooks/helpers.ts';
import { WebhookDelivery } from '../../src/webhooks/model.ts';

const actor = { type: 'system' as const, email: 'test' };
const enterpriseWins = (percent: number, rest: Partial<Program> = {}): Program => ({
  ...defaultProgram,
  winPercentBySegment: [{ segment: 'Enterprise', percent }],
  ...rest,
});
const winInterviews = async (dealId: Types.ObjectId) => Interview.find({ dealId, outcome: 'won' }).lean<StoredInterview[]>();

describe('won deals: planned the same way from every way in', () => {
  useTestDatabase('wins_planning');
  const app = useTestApp({ env: webhookEnv, worker: true });
  beforeEach(async () => {
    await clearCollections();
    await buildUser('admin');
    await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    await saveProgram(enterpriseWins(100));
  });
  afterEach(async () => {
    await waitFor(async () => (await WebhookDelivery.countDocuments({ status: 'received' })) === 0);
  });

  it('the API: a retried “won” plans nothing new; reopened and won again, a second win interview', async () => {
    const api = await apiClient(app.url, ['read', 'write']);
    await api.put('/api/v1/deals/crm/W-1', { name: 'W', buyerCompany: 'W Co', segment: 'Enterprise', contacts: [{ name: 'Wes', email: 'wes@w.example' }] });
    const first = await api.post('/api/v1/deals/crm/W-1/won');
    expect(first.json.data.interview).to.include({ outcome: 'planned' });
    const retry = await api.post('/api/v1/deals/crm/W-1/won');
    expect(retry.status).to.equal(200);
    expect(retry.json.data.interview).to.equal(null);
    const deal = await Deal.findOne({ externalId: 'W-1' }).lean();
    expect(await winInterviews(deal!._id)).to.have.length(1);
    // Reopened: the pending win interview is cancelled.
    const reopened = await api.post('/api/v1/deals/crm/W-1/reopen');
    expect(reopened.json.data.cancelledInterviews).to.equal(1);
    // Won again: a second win (the first was never sent, so no contact cool-down holds it back).
    const again = await api.post('/api/v1/deals/crm/W-1/won');
    expect(again.json.data.interview.outcome).to.equal('planned');
    expect((await winInterviews(deal!._id)).map((i) => i.state).sort()).to.deep.equal(['cancelled', 'planned']);
    const read = await api.get('/api/v1/deals/crm/W-1');
    expect(read.json.data.interviews.map((i: { outcome: string }) => i.outcome)).to.deep.equal(['won', 'won']);
  });

  it('the generic webhook: deal.won plans the win interview, and the same event sent again plans nothing new', async () => {
    const event = {
      event: 'deal.won',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      deal: { externalId: 'G-W1', name: 'Generic win', buyerCompany: 'Gen Co', segment: 'Enterprise', contacts: [{ name: 'Gil', email: 'gil@gen.example' }] },
    };
    const body = JSON.stringify(event);
    const first = await send(app.url, '/webhooks/generic', body, signed(body));
    expect(first.status).to.equal(202);
    expect((await settled(first.body.deliveryId)).outcome).to.equal('won, win interview planned');
    // A replay: the same event at a later time (another delivery), and again unchanged.
    const replayBody = JSON.stringify({ ...event, occurredAt: new Date().toISOString() });
    const replay = await send(app.url, '/webhooks/generic', replayBody, signed(replayBody));
    expect((await settled(replay.body.deliveryId)).outcome).to.equal('unchanged');
    const deal = await Deal.findOne({ externalId: 'G-W1' }).lean();
    expect(deal?.wonAt?.toISOString(), 'won when the CRM says').to.equal(event.occurredAt);
    expect(await winInterviews(deal!._id)).to.have.length(1);
  });

  it('HubSpot: a closedwon deal plans the win interview', async () => {
    const body = JSON.stringify({
      hs_object_id: '4242',
      dealname: 'Hub win',
      dealstage: 'closedwon',
      buyer_company: 'Hub Co',
      segment: 'Enterprise',
      contact_email: 'hana@hub.example',
      contact_firstname: 'Hana',
      hs_lastmodifieddate: String(Date.now()),
    });
    const res = await send(app.url, '/webhooks/hubspot', body, hubspotSigned(body, '/webhooks/hubspot'));
    expect(res.status).to.equal(202);
    expect((await settled(res.body.deliveryId)).outcome).to.equal('won, win interview planned');
    const deal = await Deal.findOne({ source: 'hubspot', externalId: '4242' }).lean();
    expect(deal?.status).to.equal('won');
    expect((await winInterviews(deal!._id)).map((i) => i.state)).to.deep.equal(['planned']);
  });

  it('Salesforce: a Closed Won opportunity plans the win interview', async () => {
    const body = JSON.stringify({
      Id: '006W',
      Name: 'Sales win',
      StageName: 'Closed Won',
      IsWon: true,
      AccountName: 'Force Co',
      Segment__c: 'Enterprise',
      Contact_Email__c: 'fay@force.example',
      Contact_Name__c: 'Fay',
      LastModifiedDate: new Date().toISOString().replace('Z', '+0000'),
    });
    const res = await send(app.url, '/webhooks/salesforce', body, signed(body));
    expect(res.status).to.equal(202);
    expect((await settled(res.body.deliveryId)).outcome).to.equal('won, win interview planned');
    const deal = await Deal.findOne({ source: 'salesforce', externalId: '006W' }).lean();
    expect((await winInterviews(deal!._id)).map((i) => i.state)).to.deep.equal(['planned']);
  });
});

describe('won deals: planned from the pages (the deal page, a CSV import)', () => {
  useTestDatabase('wins_planning_pages');
  const app = useTestApp({ worker: true });
  let marketer: Awaited<ReturnType<typeof buildUser>>;
  beforeEach(async () => {
    await clearCollections();
    await buildUser('admin');
    marketer = await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    await saveProgram(enterpriseWins(100));
  });

  it('the deal page: “Mark won” cancels the planned loss interview and plans the win interview, signed by an interviewer', async () => {
    const { deal } = await upsertDeal(dealInputFor({ segment: 'Enterprise' }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    const res = await c.submit(`/deals/${String(deal._id)}`, `/deals/${String(deal._id)}/won`, {});
    expect(res.status).to.equal(303);
    const page = await c.get(`/deals/${String(deal._id)}`);
    expect(page.body).to.contain('Marked won. The planned interview was cancelled. Win interview planned');
    const interviews = await Interview.find({ dealId: deal._id }).sort({ createdAt: 1 }).lean();
    expect(interviews.map((i) => [i.outcome ?? 'lost', i.state])).to.deep.equal([
      ['lost', 'cancelled'],
      ['won', 'planned'],
    ]);
    expect(interviews[1]!.interviewer?.email).to.equal('mia@debrief.test');
    expect(interviews[1]!.plannedFor!.getTime()).to.be.greaterThan(Date.now());
    expect((await Deal.findById(deal._id).lean())?.wonAt).to.be.instanceOf(Date);
  });

  it('a CSV import: won rows are planned once (imported twice, once), and a win closed last year asks no one', async () => {
    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    const today = new Date().toISOString().slice(0, 10);
    const csv = [
      'Deal ID,Deal Name,Company,Segment,Contact Name,Contact Email,Status,Close Date',
      `C-1,Fresh win,Alpha,Enterprise,Al,al@alpha.example,Closed Won,${today}`,
      'C-2,Old win,Beta,Enterprise,Bo,bo@beta.example,Won,2020-01-15',
      `C-3,Mid win,Gamma,Mid-market,Gus,gus@gamma.example,Won,${today}`,
    ].join('\n');
    for (const round of [1, 2]) {
      const { id } = await uploadAndPreview(c, csv);
      const started = await c.submit(`/imports/${id}/preview`, `/imports/${id}/start`, {});
      expect(started.status, `round ${round}`).to.equal(303);
      const run = await waitForRun(id);
      expect(run.status).to.equal('done');
      expect(run.counters.interviews, `round ${round}: interviews planned`).to.equal(round === 1 ? 1 : 0);
    }
    const byId = async (externalId: string) => winInterviews((await Deal.findOne({ externalId }).lean())!._id);
    expect((await byId('C-1')).map((i) => i.state)).to.deep.equal(['planned']);
    const old = await byId('C-2');
    expect(old.map((i) => i.state)).to.deep.equal(['excluded']);
    expect(old[0]!.exclusionReason).to.contain('The deal was won on 15 Jan 2020');
    expect(await byId('C-3'), 'Mid-market: 0 %').to.have.length(0);
  });
});

describe('won deals: sampling', () => {
  useTestDatabase('wins_sampling');
  beforeEach(async () => {
    await clearCollections();
    await buildUser('marketer', { name: 'Mia Marketer' });
  });

  async function winAll(keys: string[]): Promise<string[]> {
    const planned: string[] = [];
    for (const key of keys) {
      const { deal } = await upsertDeal(
        dealInputFor({
          source: 'crm',
          externalId: key,
          segment: 'Enterprise',
          contacts: [{ name: 'B', email: `b@${key.toLowerCase()}.example`, primary: true }],
        }),
        actor,
        'api',
      );
      const { plan } = await changeOutcome(deal._id, 'won', actor, 'api');
      if (plan?.outcome === 'planned') planned.push(key);
    }
    return planned;
  }
  const keys = Array.from({ length: 40 }, (_, i) => `S-${i + 1}`);

  it('0 % (the default) plans no win interview, for any segment', async () => {
    await saveProgram(defaultProgram);
    expect(await winAll(keys.slice(0, 5))).to.deep.equal([]);
    expect(await Interview.countDocuments()).to.equal(0);
    // And says why: the program interviews no won deals there.
    const { deal } = await upsertDeal(dealInputFor({ segment: 'Enterprise' }), actor, 'api');
    const { plan } = await changeOutcome(deal._id, 'won', actor, 'api');
    expect(plan).to.deep.equal({ outcome: 'off', reason: 'The program interviews no won deals in the Enterprise segment.' });
  });

  it('100 % plans one for every won deal of the segment; the program-wide share covers the others', async () => {
    await saveProgram(enterpriseWins(100));
    expect(await winAll(keys.slice(0, 5))).to.deep.equal(keys.slice(0, 5));
    await saveProgram({ ...defaultProgram, winPercent: 100, winPercentBySegment: [{ segment: 'enterprise', percent: 0 }] });
    expect(await winAll(['T-1']), 'the segment’s own 0 % wins over the program’s 100 %').to.deep.equal([]);
  });

  it('a rate in between picks the same deals every time: on replay, and in a fresh workspace', async () => {
    await saveProgram(enterpriseWins(30));
    const first = await winAll(keys);
    expect(first.length, 'some, not all').to.be.within(4, 20);
    expect(first).to.deep.equal(keys.filter((k) => winDraw({ source: 'crm', externalId: k }) < 30));
    // Replayed: every deal won again, nothing new.
    expect(await winAll(keys)).to.deep.equal([]);
    expect(await Interview.countDocuments({ outcome: 'won' })).to.equal(first.length);
    // A fresh workspace importing the same deals samples the same ones.
    await clearCollections();
    await buildUser('marketer', { name: 'Mia Marketer' });
    await saveProgram(enterpriseWins(30));
    expect(await winAll(keys)).to.deep.equal(first);
  });
});
