// The deals API as a CRM uses it: upsert a deal by its source and id, mark it lost (which plans the
// interview), reopen or win it, read it back with its interviews and history. Real app, real database.
import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/model.ts';
import { DealHistory } from '../../src/deals/history.ts';
import { Deal } from '../../src/deals/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { dealDetailResponse, dealResponse, interviewListResponse, lostResponse, outcomeResponse } from '../../src/api/schemas.ts';
import { buildUser } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { apiCall, apiClient, type ApiClient } from './client.ts';

const acmeDeal = {
  name: 'Acme analytics',
  buyerCompany: 'Acme',
  amount: 42000,
  currency: 'eur',
  segment: 'Enterprise',
  ownerEmail: 'rep@debrief.test',
  contacts: [{ name: 'Bea Buyer', email: 'Bea@Acme.example', role: 'CFO', timeZone: 'Europe/Berlin', primary: true }],
};
const competitorLoss = { lossType: 'competitor', reasonCode: 'price', reasonNote: 'Too pricey', competitor: 'Clearpath' };

describe('the deals API', () => {
  useTestDatabase('api_deals');
  const app = useTestApp();
  let writer: ApiClient;
  let reader: ApiClient;
  beforeEach(async () => {
    await clearCollections();
    await saveProgram({ ...defaultProgram, timeZone: 'Europe/Berlin' });
    writer = await apiClient(app.url, ['read', 'write'], 'CRM sync');
    reader = await apiClient(app.url, ['read'], 'Dashboard');
  });

  describe('PUT /api/v1/deals/{source}/{externalId}', () => {
    it('creates the deal (201, with its address), then updates it (200): one deal, every change in its history', async () => {
      const created = await writer.put('/api/v1/deals/hubspot/HS-1', acmeDeal);
      expect(created.status).to.equal(201);
      expect(created.headers.get('location')).to.equal('/api/v1/deals/hubspot/HS-1');
      const deal = dealResponse.parse(created.json).data;
      expect(deal).to.include({ source: 'hubspot', externalId: 'HS-1', name: 'Acme analytics', amount: 42000, currency: 'EUR', status: 'open', lostAt: null });
      expect(deal.contacts).to.deep.equal([{ name: 'Bea Buyer', email: 'bea@acme.example', role: 'CFO', timeZone: 'Europe/Berlin', primary: true }]);

      const again = await writer.put('/api/v1/deals/hubspot/HS-1', acmeDeal);
      expect(again.status).to.equal(200);
      expect(again.json.data.id).to.equal(deal.id);
      const changed = await writer.put('/api/v1/deals/hubspot/HS-1', { ...acmeDeal, amount: 50000 });
      expect(changed.status).to.equal(200);
      expect(changed.json.data.amount).to.equal(50000);

      expect(await Deal.countDocuments()).to.equal(1);
      const history = await DealHistory.find({}).sort({ at: 1 }).lean();
      expect(history.map((h) => [h.event, h.via, h.actor])).to.deep.equal([
        ['created', 'api', 'api key CRM sync'],
        ['updated', 'api', 'api key CRM sync'],
      ]);
      expect(history[1]!.changes).to.deep.equal([{ field: 'amount', from: '42000', to: '50000' }]);
    });

    it('takes the source case-insensitively and an external id with reserved characters, URL-encoded', async () => {
      expect((await writer.put('/api/v1/deals/HubSpot/deal%2F7%20b', acmeDeal)).status).to.equal(201);
      const read = await reader.get('/api/v1/deals/hubspot/deal%2F7%20b');
      expect(read.status).to.equal(200);
      expect(read.json.data).to.include({ source: 'hubspot', externalId: 'deal/7 b' });
    });

    it('refuses unknown fields, naming each, and source or externalId in the body', async () => {
      const res = await writer.put('/api/v1/deals/hubspot/HS-2', {
        ...acmeDeal,
        favouriteColour: 'blue',
        source: 'other',
        contacts: [{ ...acmeDeal.contacts[0], shoeSize: 9 }],
      });
      expect(res.status).to.equal(400);
      expect(res.json.error.code).to.equal('validation_failed');
      expect(res.json.error.details).to.have.keys('favouriteColour', 'source', 'contacts.0.shoeSize');
      expect(res.json.error.details.favouriteColour[0]).to.match(/Unknown field/);
      expect(await Deal.countDocuments()).to.equal(0);
    });

    it('answers 400 naming a field called like an Object property (constructor, __proto__, toString), not 500', async () => {
      for (const field of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        // Raw JSON: an object literal would set the prototype instead of a "__proto__" key.
        const raw = `{"name":"x","buyerCompany":"x","${field}":1}`;
        const res = await apiCall(app.url, 'PUT', '/api/v1/deals/crm/X', writer.key, undefined, raw);
        expect(res.status, field).to.equal(400);
        expect(res.json.error.code, field).to.equal('validation_failed');
        expect(Object.keys(res.json.error.details), field).to.deep.equal([field]);
        expect(res.json.error.details[field][0], field).to.match(/Unknown field/);
      }
      const nested = await apiCall(
        app.url,
        'PUT',
        '/api/v1/deals/crm/X',
        writer.key,
        undefined,
        '{"name":"x","buyerCompany":"x","contacts":[{"name":"A","email":"a@b.example","constructor":1}]}',
      );
      expect(nested.status).to.equal(400);
      expect(Object.keys(nested.json.error.details)).to.deep.equal(['contacts.0.constructor']);
      expect(await Deal.countDocuments()).to.equal(0);
    });

    it('refuses operator objects instead of querying with them', async () => {
      await writer.put('/api/v1/deals/hubspot/HS-3', acmeDeal);
      const res = await writer.put('/api/v1/deals/hubspot/HS-3', { ...acmeDeal, name: { $ne: null } });
      expect(res.status).to.equal(400);
      expect(res.json.error.details).to.have.keys('name');
      const lost = await writer.post('/api/v1/deals/hubspot/HS-3/lost', { lossType: 'other', reasonCode: { $gt: '' } });
      expect(lost.status).to.equal(400);
      expect(lost.json.error.details).to.have.keys('reasonCode');
      const query = await reader.get('/api/v1/deals?status[$ne]=lost');
      expect(query.status).to.equal(400);
      expect((await Deal.findOne().lean())?.name).to.equal('Acme analytics');
    });

    it('names each invalid field, checks the whole deal, and asks for a body when there is none', async () => {
      const res = await writer.put('/api/v1/deals/hub%20spot/HS-4', {
        ...acmeDeal,
        amount: -5,
        contacts: [
          { name: 'A', email: 'not-an-email', primary: true },
          { name: 'B', email: 'b@acme.example', primary: true },
        ],
      });
      expect(res.status).to.equal(400);
      expect(res.json.error.details).to.include.keys('source', 'amount', 'contacts.0.email');
      const twoPrimaries = await writer.put('/api/v1/deals/hubspot/HS-4', {
        ...acmeDeal,
        contacts: [
          { name: 'A', email: 'a@acme.example', primary: true },
          { name: 'B', email: 'b@acme.example', primary: true },
        ],
      });
      expect(twoPrimaries.status).to.equal(400);
      expect(twoPrimaries.json.error.details.contacts[0]).to.equal('Mark at most one contact as primary.');
      const empty = await writer.call('PUT', '/api/v1/deals/hubspot/HS-4');
      expect(empty.status).to.equal(400);
      expect(empty.json.error.message).to.match(/JSON object/);
      const malformed = await apiCall(app.url, 'PUT', '/api/v1/deals/hubspot/HS-4', writer.key, undefined, '{"name": ');
      expect(malformed.status).to.equal(400);
      expect(malformed.json.error.code).to.equal('malformed_body');
      expect(await Deal.countDocuments()).to.equal(0);
    });
  });

  describe('POST …/lost', () => {
    it('marks the deal lost and plans one interview; marking it lost again plans nothing new', async () => {
      await buildUser('marketer', { name: 'Mia Marketer' });
      await writer.put('/api/v1/deals/hubspot/HS-10', acmeDeal);
      const res = await writer.post('/api/v1/deals/hubspot/HS-10/lost', competitorLoss);
      expect(res.status).to.equal(200);
      const { deal, interview } = lostResponse.parse(res.json).data;
      expect(deal).to.include({ status: 'lost', lossType: 'competitor', reasonCode: 'price', reasonNote: 'Too pricey', competitor: 'Clearpath' });
      expect(deal.lostAt).to.be.a('string');
      expect(interview.outcome).to.equal('planned');
      expect(interview.state).to.equal('planned');
      expect(interview.interviewer?.name).to.equal('Mia Marketer');
      expect(interview.reason).to.match(/business day/);
      expect(new Date(interview.plannedFor!).getTime()).to.be.greaterThan(Date.now());

      const again = await writer.post('/api/v1/deals/hubspot/HS-10/lost', { ...competitorLoss, reasonCode: 'product_fit' });
      expect(again.status).to.equal(200);
      const second = lostResponse.parse(again.json).data;
      expect(second.interview).to.include({ outcome: 'already_lost', id: interview.id, state: 'planned', plannedFor: interview.plannedFor });
      expect(second.deal.reasonCode).to.equal('product_fit');
      expect(await Interview.countDocuments()).to.equal(1);
      const audit = await AuditEntry.find({ action: 'deal.lost' }).lean();
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ actorType: 'api_key', actorEmail: 'api key CRM sync', target: 'hubspot:HS-10' });
    });

    it('says why no interview is planned when the program leaves the buyer out', async () => {
      await saveProgram({ ...defaultProgram, timeZone: 'Europe/Berlin', minimumAmount: 100000 });
      await writer.put('/api/v1/deals/hubspot/HS-11', acmeDeal);
      const { interview } = lostResponse.parse((await writer.post('/api/v1/deals/hubspot/HS-11/lost', competitorLoss)).json).data;
      expect(interview).to.include({ outcome: 'excluded', state: 'excluded', plannedFor: null, interviewer: null });
      expect(interview.reason).to.match(/below the program's minimum of 100,000/);
    });

    it('validates the loss like the page does, and answers 404 for an unknown deal', async () => {
      await writer.put('/api/v1/deals/hubspot/HS-12', acmeDeal);
      const noCompetitor = await writer.post('/api/v1/deals/hubspot/HS-12/lost', { lossType: 'competitor', reasonCode: 'price' });
      expect(noCompetitor.status).to.equal(400);
      expect(noCompetitor.json.error.details.competitor[0]).to.equal('Name the competitor the buyer chose.');
      const badType = await writer.post('/api/v1/deals/hubspot/HS-12/lost', { lossType: 'ghosted', reasonCode: 'price', when: 'today' });
      expect(badType.json.error.details).to.have.keys('lossType', 'when');
      expect((await Deal.findOne().lean())?.status).to.equal('open');

      const unknown = await writer.post('/api/v1/deals/hubspot/NOPE/lost', competitorLoss);
      expect(unknown.status).to.equal(404);
      expect(unknown.json.error.code).to.equal('not_found');
      expect(await Deal.countDocuments()).to.equal(1);
    });
  });

  describe('POST …/reopen and …/won', () => {
    it('reopening cancels the interview not yet sent; winning afterwards cancels nothing more', async () => {
      await writer.put('/api/v1/deals/hubspot/HS-20', acmeDeal);
      await writer.post('/api/v1/deals/hubspot/HS-20/lost', competitorLoss);
      const reopened = await writer.post('/api/v1/deals/hubspot/HS-20/reopen');
      expect(reopened.status).to.equal(200);
      const body = outcomeResponse.parse(reopened.json).data;
      expect(body.deal.status).to.equal('open');
      expect(body.cancelledInterviews).to.equal(1);
      expect((await Interview.findOne().lean())?.state).to.equal('cancelled');

      const won = outcomeResponse.parse((await writer.post('/api/v1/deals/hubspot/HS-20/won')).json).data;
      expect(won).to.deep.include({ cancelledInterviews: 0 });
      expect(won.deal.status).to.equal('won');
      expect((await writer.post('/api/v1/deals/hubspot/NOPE/won')).status).to.equal(404);
      const events = (await DealHistory.find({}).sort({ at: 1, _id: 1 }).lean()).map((h) => h.event);
      expect(events).to.deep.equal(['created', 'lost', 'reopened', 'won']);
    });
  });

  describe('GET /api/v1/deals/{source}/{externalId}', () => {
    it('shows the deal with its interviews (state, plan, interviewer, timeline) and its history', async () => {
      await buildUser('marketer', { name: 'Mia Marketer' });
      await writer.put('/api/v1/deals/hubspot/HS-30', acmeDeal);
      await writer.post('/api/v1/deals/hubspot/HS-30/lost', competitorLoss);
      await writer.post('/api/v1/deals/hubspot/HS-30/reopen');
      await writer.post('/api/v1/deals/hubspot/HS-30/lost', { lossType: 'no_decision', reasonCode: 'no_decision' });

      const res = await reader.get('/api/v1/deals/hubspot/HS-30');
      expect(res.status).to.equal(200);
      const deal = dealDetailResponse.parse(res.json).data;
      expect(deal).to.include({ externalId: 'HS-30', status: 'lost', lossType: 'no_decision' });
      expect(deal.interviews.map((i) => i.state)).to.deep.equal(['planned', 'cancelled']);
      const [planned, cancelled] = deal.interviews;
      expect(planned!.interviewer).to.deep.equal({ name: 'Mia Marketer', email: planned!.interviewer!.email });
      expect(planned!.contact).to.deep.equal({ name: 'Bea Buyer', email: 'bea@acme.example', role: 'CFO' });
      expect(planned!.plannedFor).to.be.a('string');
      expect(planned!.exclusionReason).to.equal(null);
      expect(planned!.holdOff).to.equal(null);
      expect(cancelled!.timeline.map((t) => t.state)).to.deep.equal(['planned', 'cancelled']);
      expect(cancelled!.timeline[1]!.note).to.equal('The deal was reopened.');
      expect(deal.history.map((h) => h.event)).to.deep.equal(['lost', 'reopened', 'lost', 'created']);
      expect(deal.history[0]).to.include({ actor: 'api key CRM sync', via: 'api' });
    });

    it('shows a hold-off and an exclusion, keeps the history to the last 50 changes, and 404s an unknown deal', async () => {
      const put = await writer.put('/api/v1/deals/hubspot/HS-31', { ...acmeDeal, contacts: [] });
      await writer.post('/api/v1/deals/hubspot/HS-31/lost', { lossType: 'other', reasonCode: 'price' });
      const dealId = put.json.data.id as string;
      await DealHistory.insertMany(
        Array.from({ length: 60 }, (_, i) => ({ dealId, at: new Date(Date.UTC(2020, 0, 1, 0, i)), actor: 'old', via: 'csv', event: 'updated', changes: [] })),
      );
      const deal = dealDetailResponse.parse((await reader.get('/api/v1/deals/hubspot/HS-31')).json).data;
      expect(deal.interviews[0]).to.include({ state: 'excluded', exclusionReason: 'The deal has no buyer contact to ask.' });
      expect(deal.history).to.have.length(50);
      expect(deal.history[0]!.event).to.equal('lost');

      const contactDeal = await writer.put('/api/v1/deals/hubspot/HS-32', acmeDeal);
      await writer.post('/api/v1/deals/hubspot/HS-32/lost', competitorLoss);
      await Interview.updateOne(
        { dealId: contactDeal.json.data.id },
        { $set: { state: 'held', holdOff: { by: 'rep@debrief.test', reason: 'Renewal talks under way.', at: new Date() } } },
      );
      const held = dealDetailResponse.parse((await reader.get('/api/v1/deals/hubspot/HS-32')).json).data.interviews[0]!;
      expect(held.state).to.equal('held');
      expect(held.holdOff).to.include({ by: 'rep@debrief.test', reason: 'Renewal talks under way.' });

      const missing = await reader.get('/api/v1/deals/hubspot/NOPE');
      expect(missing.status).to.equal(404);
      expect(missing.json.error.code).to.equal('not_found');
    });
  });

  describe('GET /api/v1/interviews', () => {
    it('filters by deal when given its source and external id, together', async () => {
      await writer.put('/api/v1/deals/hubspot/HS-40', acmeDeal);
      await writer.put('/api/v1/deals/hubspot/HS-41', { ...acmeDeal, buyerCompany: 'Globex', contacts: [{ name: 'Gina', email: 'gina@globex.example' }] });
      await writer.post('/api/v1/deals/hubspot/HS-40/lost', competitorLoss);
      await writer.post('/api/v1/deals/hubspot/HS-41/lost', competitorLoss);

      const all = interviewListResponse.parse((await reader.get('/api/v1/interviews')).json);
      expect(all.data).to.have.length(2);
      const one = interviewListResponse.parse((await reader.get('/api/v1/interviews?dealSource=HubSpot&dealExternalId=HS-41')).json);
      expect(one.data.map((i) => [i.company, i.contactName])).to.deep.equal([['Globex', 'Gina']]);
      expect(one.paging).to.include({ total: 1, page: 1 });
      expect((await reader.get('/api/v1/interviews?dealSource=hubspot&dealExternalId=HS-41&state=cancelled')).json.data).to.deep.equal([]);
      expect((await reader.get('/api/v1/interviews?dealSource=hubspot&dealExternalId=NOPE')).json.data).to.deep.equal([]);
      const half = await reader.get('/api/v1/interviews?dealSource=hubspot');
      expect(half.status).to.equal(400);
      expect(half.json.error.details).to.have.keys('dealExternalId');
    });
  });

  describe('scopes', () => {
    it('a read key cannot change deals (403, nothing written); a write-only key cannot read them', async () => {
      const read = await reader.put('/api/v1/deals/hubspot/HS-50', acmeDeal);
      expect(read.status).to.equal(403);
      expect(read.json.error.code).to.equal('insufficient_scope');
      expect(read.json.error.message).to.contain("'write'");
      expect(await Deal.countDocuments()).to.equal(0);

      await writer.put('/api/v1/deals/hubspot/HS-50', acmeDeal);
      for (const action of ['lost', 'reopen', 'won']) {
        expect((await reader.post(`/api/v1/deals/hubspot/HS-50/${action}`, competitorLoss)).status, action).to.equal(403);
      }
      expect((await Deal.findOne().lean())?.status).to.equal('open');

      const writeOnly = await apiClient(app.url, ['write']);
      expect((await writeOnly.get('/api/v1/deals/hubspot/HS-50')).status).to.equal(403);
      expect((await writeOnly.get('/api/v1/interviews')).status).to.equal(403);
      expect((await apiCall(app.url, 'GET', '/api/v1/deals/hubspot/HS-50')).status).to.equal(401);
    });

    it('a wrong method gets 405 with Allow', async () => {
      const res = await writer.call('DELETE', '/api/v1/deals/hubspot/HS-1');
      expect(res.status).to.equal(405);
      expect(res.headers.get('allow')).to.equal('GET, PUT, HEAD');
      expect((await writer.get('/api/v1/deals/hubspot/HS-1/lost')).status).to.equal(405);
    });
  });
});
