// HubSpot workflow webhooks and Salesforce Flow callouts, as those systems send them: signed their way,
// in their shapes, mapped onto Debrief's deal, with errors that name the CRM's own field names.
import { expect } from 'chai';
import { Deal } from '../../src/deals/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { WebhookDelivery } from '../../src/webhooks/model.ts';
import { useTestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { appUrl, hubspotSigned, send, settled, signed, waitFor, webhookEnv } from './helpers.ts';

/** Salesforce's date-time format: 2026-11-23T16:05:00.000+0000. */
const salesforceTime = (d: Date) => d.toISOString().replace('Z', '+0000');

describe('HubSpot and Salesforce webhooks', () => {
  useTestDatabase('webhooks_crm');
  const app = useTestApp({ env: webhookEnv, worker: true });
  beforeEach(async () => {
    await clearCollections();
  });
  afterEach(async () => {
    await waitFor(async () => (await WebhookDelivery.countDocuments({ status: 'received' })) === 0);
  });

  describe('HubSpot (workflow "Send a webhook", signature v3)', () => {
    const path = '/webhooks/hubspot';
    const hubspot = (body: unknown, p = path, headers?: Record<string, string>) => {
      const text = JSON.stringify(body);
      return send(app.url, p, text, headers ?? hubspotSigned(text, p));
    };

    /** "Include all deal properties": every property nested as {"value": ...}. */
    function nestedDeal(id: number, props: Record<string, string>) {
      const now = Date.now();
      return {
        objectId: id,
        portalId: 62515,
        isDeleted: false,
        properties: Object.fromEntries(
          Object.entries(props).map(([k, v]) => [k, { value: v, timestamp: now, source: 'CRM_UI', versions: [{ name: k, value: v, timestamp: now }] }]),
        ),
      };
    }

    it('a nested closed-lost deal is marked lost, with the reason mapped onto the taxonomy', async () => {
      const body = nestedDeal(9876543210, {
        dealname: 'Globex renewal',
        amount: '18500',
        deal_currency_code: 'EUR',
        dealstage: 'closedlost',
        closedate: String(Date.now() - 3_600_000),
        hubspot_owner_id: '10420865',
        closed_lost_reason: 'Price or commercial terms',
        competitor: 'Clearpath',
        buyer_company: 'Globex',
        buyer_email: 'Gina@Globex.example',
        buyer_name: 'Gina Buyer',
        owner_email: 'rep@debrief.test',
        hs_lastmodifieddate: String(Date.now()),
      });
      const res = await hubspot(body);
      expect(res.status).to.equal(202);
      expect((await settled(res.body.deliveryId)).outcome).to.equal('planned');
      const deal = await Deal.findOne({ source: 'hubspot', externalId: '9876543210' }).lean();
      expect(deal).to.include({
        status: 'lost',
        name: 'Globex renewal',
        buyerCompany: 'Globex',
        amount: 18500,
        currency: 'EUR',
        lossType: 'competitor',
        competitor: 'Clearpath',
        ownerEmail: 'rep@debrief.test',
      });
      expect(deal?.repReason).to.deep.include({ code: 'price', note: 'Price or commercial terms' });
      expect(deal?.contacts.map((c) => [c.name, c.email, c.primary])).to.deep.equal([['Gina Buyer', 'gina@globex.example', true]]);
      expect(await Interview.countDocuments({ dealId: deal!._id })).to.equal(1);
    });

    it('a flat custom body is read the same way; a reason outside the taxonomy is kept as a note under "other"', async () => {
      const res = await hubspot({
        hs_object_id: '555',
        dealname: 'Initech seats',
        amount: '12000.50',
        dealstage: 'closedlost',
        closed_lost_reason: 'Went with a spreadsheet',
        buyer_company: 'Initech',
        contact_email: 'peter@initech.example',
        contact_firstname: 'Peter',
        contact_lastname: 'Gibbons',
        hs_lastmodifieddate: new Date().toISOString(),
      });
      expect(res.status).to.equal(202);
      expect((await settled(res.body.deliveryId)).status).to.equal('applied');
      const deal = await Deal.findOne({ source: 'hubspot', externalId: '555' }).lean();
      expect(deal).to.include({ status: 'lost', amount: 12000.5, lossType: 'other' });
      expect(deal?.repReason).to.deep.include({ code: 'other', note: 'Went with a spreadsheet' });
      expect(deal?.contacts[0]?.name).to.equal('Peter Gibbons');
      expect(await Interview.countDocuments({ dealId: deal!._id })).to.equal(1);
    });

    it('closedwon after closedlost wins the deal and cancels the interview', async () => {
      const base = { hs_object_id: '777', dealname: 'Hooli', buyer_company: 'Hooli', buyer_email: 'gavin@hooli.example', buyer_name: 'Gavin' };
      const lost = await hubspot({ ...base, dealstage: 'closedlost', hs_lastmodifieddate: String(Date.now() - 10_000) });
      await settled(lost.body.deliveryId);
      const won = await hubspot({ ...base, dealstage: 'closedwon', hs_lastmodifieddate: String(Date.now()) });
      expect((await settled(won.body.deliveryId)).outcome).to.equal('won, 1 interview(s) cancelled');
      expect((await Deal.findOne({ externalId: '777' }).lean())?.status).to.equal('won');
      expect((await Interview.findOne().lean())?.state).to.equal('cancelled');
    });

    it('verifies against APP_URL and the path and query HubSpot called, with its URL decoding', async () => {
      const body = JSON.stringify({ hs_object_id: '1', dealname: 'D', buyer_company: 'B', dealstage: 'closedlost', hs_lastmodifieddate: String(Date.now()) });
      const p = `${path}?portal=62515&next=a%3Ab`;
      // HubSpot signs the URI with %3A decoded.
      const ok = await send(app.url, p, body, hubspotSigned(body, `${path}?portal=62515&next=a:b`));
      expect(ok.status).to.equal(202);
      // Signed for the address this test reaches, not the public one: refused.
      const wrongBase = await send(app.url, path, body, hubspotSigned(body, path, Date.now(), app.url));
      expect(wrongBase.status).to.equal(401);
      expect(wrongBase.body.error?.message).to.contain('APP_URL');
    });

    it('refuses a missing or stale v3 signature and stores nothing', async () => {
      const body = JSON.stringify({ hs_object_id: '2', dealname: 'D', buyer_company: 'B', dealstage: 'closedlost', hs_lastmodifieddate: String(Date.now()) });
      const unsigned = await send(app.url, path, body, { 'X-HubSpot-Signature': 'v1-signature-is-not-enough' });
      expect(unsigned.status).to.equal(401);
      const stale = await send(app.url, path, body, hubspotSigned(body, path, Date.now() - 6 * 60_000));
      expect(stale.status).to.equal(401);
      expect(stale.body.error?.code).to.equal('stale_timestamp');
      // Debrief's own scheme does not open the HubSpot endpoint.
      const ours = await send(app.url, path, body, signed(body));
      expect(ours.status).to.equal(401);
      expect(await WebhookDelivery.countDocuments()).to.equal(0);
      expect(await Deal.countDocuments()).to.equal(0);
    });

    it('names HubSpot’s properties in its errors', async () => {
      const missing = await hubspot({ hs_object_id: '3', dealstage: 'closedlost', buyer_email: 'x@y.example', amount: 'lots' });
      expect(missing.status).to.equal(400);
      expect(missing.body.error?.details).to.have.keys(['dealname', 'buyer_company', 'buyer_name', 'amount', 'hs_lastmodifieddate']);
      expect(missing.body.error?.details?.amount).to.deep.equal(['Enter an amount as a number.']);
      const closed = await hubspot({
        hs_object_id: '3',
        dealstage: '1234567',
        hs_is_closed: 'true',
        dealname: 'D',
        buyer_company: 'B',
        hs_lastmodifieddate: String(Date.now()),
      });
      expect(closed.status).to.equal(400);
      expect(closed.body.error?.details).to.have.keys(['hs_is_closed_won']);
      const array = await hubspot([{ objectId: 1 }]);
      expect(array.status).to.equal(400);
      expect(await WebhookDelivery.countDocuments()).to.equal(0);
    });

    it('custom pipelines: hs_is_closed_lost marks lost, another stage reopens', async () => {
      const base = { hs_object_id: '888', dealname: 'Pied Piper', buyer_company: 'Pied Piper' };
      const lost = await hubspot({ ...base, dealstage: '99887766', hs_is_closed_lost: 'true', hs_lastmodifieddate: String(Date.now() - 5000) });
      expect((await settled(lost.body.deliveryId)).status).to.equal('applied');
      expect((await Deal.findOne({ externalId: '888' }).lean())?.status).to.equal('lost');
      const open = await hubspot({ ...base, dealstage: '11223344', hs_is_closed: 'false', hs_lastmodifieddate: String(Date.now()) });
      expect((await settled(open.body.deliveryId)).outcome).to.match(/^reopened/);
      expect((await Deal.findOne({ externalId: '888' }).lean())?.status).to.equal('open');
    });
  });

  describe('Salesforce (Flow HTTP callout, Debrief signature)', () => {
    const path = '/webhooks/salesforce';
    const salesforce = (body: unknown, headers?: Record<string, string>) => {
      const text = JSON.stringify(body);
      return send(app.url, path, text, headers ?? signed(text));
    };

    it('a Closed Lost opportunity is marked lost, with account, contact and owner mapped', async () => {
      const res = await salesforce({
        attributes: { type: 'Opportunity', url: '/services/data/v62.0/sobjects/Opportunity/0065g00000AbCdEAAZ' },
        Id: '0065g00000AbCdEAAZ',
        Name: 'Umbrella expansion',
        StageName: 'Closed Lost',
        IsClosed: true,
        IsWon: false,
        Amount: 75000,
        CurrencyIsoCode: 'GBP',
        CloseDate: new Date().toISOString().slice(0, 10),
        Account: { Name: 'Umbrella Corp' },
        Loss_Reason__c: 'Integrations',
        Competitor__c: null,
        Contact_Email__c: 'alice@umbrella.example',
        Contact_Name__c: 'Alice Abernathy',
        Contact_Role__c: 'CTO',
        Owner: { Email: 'Olly.Owner@Debrief.test', Name: 'Olly Owner' },
        LastModifiedDate: salesforceTime(new Date()),
      });
      expect(res.status).to.equal(202);
      expect((await settled(res.body.deliveryId)).outcome).to.equal('planned');
      const deal = await Deal.findOne({ source: 'salesforce', externalId: '0065g00000AbCdEAAZ' }).lean();
      expect(deal).to.include({
        status: 'lost',
        name: 'Umbrella expansion',
        buyerCompany: 'Umbrella Corp',
        amount: 75000,
        currency: 'GBP',
        ownerEmail: 'olly.owner@debrief.test',
        ownerName: 'Olly Owner',
        lossType: 'other',
      });
      expect(deal?.repReason).to.deep.include({ code: 'integrations', note: 'Integrations' });
      expect(deal?.contacts.map((c) => [c.name, c.email, c.role])).to.deep.equal([['Alice Abernathy', 'alice@umbrella.example', 'CTO']]);
      expect(await Interview.countDocuments({ dealId: deal!._id })).to.equal(1);
    });

    it('reads flat AccountName and OwnerEmail, and a named competitor makes it a competitive loss', async () => {
      const res = await salesforce({
        Id: '006B',
        Name: 'Stark renewal',
        StageName: 'Closed Lost',
        AccountName: 'Stark Industries',
        OwnerEmail: 'rep@debrief.test',
        Competitor__c: 'Hammer Tech',
        Contact_Email__c: 'pepper@stark.example',
        Contact_Name__c: 'Pepper',
        LastModifiedDate: salesforceTime(new Date()),
      });
      expect((await settled(res.body.deliveryId)).status).to.equal('applied');
      const deal = await Deal.findOne({ source: 'salesforce', externalId: '006B' }).lean();
      expect(deal).to.include({ buyerCompany: 'Stark Industries', ownerEmail: 'rep@debrief.test', lossType: 'competitor', competitor: 'Hammer Tech' });
    });

    it('names Salesforce’s fields in its errors and stores nothing', async () => {
      const res = await salesforce({ Name: 'No id', StageName: 'Closed Lost', Account: {}, Contact_Email__c: 'nope' });
      expect(res.status).to.equal(400);
      expect(res.body.error?.details).to.have.keys(['Id', 'Account.Name', 'Contact_Email__c', 'Contact_Name__c', 'LastModifiedDate']);
      const closed = await salesforce({
        Id: '006C',
        Name: 'N',
        AccountName: 'A',
        StageName: 'Lost to budget',
        IsClosed: true,
        LastModifiedDate: salesforceTime(new Date()),
      });
      expect(closed.status).to.equal(400);
      expect(closed.body.error?.details).to.have.keys(['IsWon']);
      expect(await WebhookDelivery.countDocuments()).to.equal(0);
    });

    it('refuses an unsigned callout', async () => {
      const res = await send(app.url, path, JSON.stringify({ Id: '006D' }), {});
      expect(res.status).to.equal(401);
      expect(await WebhookDelivery.countDocuments()).to.equal(0);
    });
  });

  it('the same deal id from two CRMs is two deals', async () => {
    const hs = JSON.stringify({
      hs_object_id: 'X1',
      dealname: 'Same id',
      buyer_company: 'B',
      dealstage: 'closedlost',
      hs_lastmodifieddate: String(Date.now()),
    });
    const sf = JSON.stringify({ Id: 'X1', Name: 'Same id', AccountName: 'B', StageName: 'Closed Lost', LastModifiedDate: salesforceTime(new Date()) });
    await settled((await send(app.url, '/webhooks/hubspot', hs, hubspotSigned(hs, '/webhooks/hubspot'))).body.deliveryId);
    await settled((await send(app.url, '/webhooks/salesforce', sf, signed(sf))).body.deliveryId);
    expect((await Deal.find({ externalId: 'X1' }).lean()).map((d) => d.source).sort()).to.deep.equal(['hubspot', 'salesforce']);
  });

  it('uses APP_URL from the configuration', () => {
    expect(app.config.appUrl).to.equal(appUrl);
  });
});
