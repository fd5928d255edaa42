import { expect } from 'chai';
import mongoose from 'mongoose';
import { retentionJob } from '../../jobs/privacy-retention.ts';
import { themesRecomputeJob } from '../../jobs/themes-recompute.ts';
import { jobsCollection } from '../../src/lib/queue.ts';
import { AuditEntry } from '../../src/audit/model.ts';
import { DealHistory } from '../../src/deals/history.ts';
import { upsertDeal } from '../../src/deals/lifecycle.ts';
import { dealInput } from '../../src/deals/schemas.ts';
import { Deal } from '../../src/deals/model.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { applyRetention, erasedEmail, eraseBuyer, exportBuyer, setRetention } from '../../src/privacy/service.ts';
import { WebhookDelivery } from '../../src/webhooks/model.ts';
import { FormDraft } from '../../src/buyer/model.ts';
import { buyerLinkToken, interviewForToken } from '../../src/interviews/link.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { ThemeSnapshot } from '../../src/themes/model.ts';
import { createApiKey } from '../../src/apikeys/service.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, testConfig, testJobContext, useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const system = { type: 'system' as const };

async function buyerWithAnswer(email: string, submittedAt = new Date()) {
  const deal = await Deal.create({
    source: 'crm',
    externalId: `D-${Math.random()}`,
    name: 'Renewal',
    buyerCompany: 'Acme',
    status: 'lost',
    contacts: [
      { name: 'Bea Buyer', email, role: 'CFO', primary: true },
      { name: 'Other Person', email: 'other@acme.example', primary: false },
    ],
  });
  const interview = await Interview.create({
    dealId: deal._id,
    planKey: `${String(deal._id)}#1`,
    contact: { name: 'Bea Buyer', email, role: 'CFO' },
    state: 'completed',
  });
  await InterviewResponse.create({
    interviewId: interview._id,
    dealId: deal._id,
    primaryReason: 'price',
    ratings: { price: 2 },
    whyText: 'Too expensive for our team, Bea speaking.',
    wouldHaveChangedText: 'A smaller plan.',
    missingInfoText: 'Pricing page.',
    quotePermission: 'named',
    submittedAt,
  });
  return { deal, interview };
}

describe('buyers’ privacy', () => {
  useTestDatabase('privacy');
  beforeEach(clearCollections);

  it('exports everything held about a buyer’s address, whatever its case', async () => {
    await buyerWithAnswer('bea@acme.example');
    const data = await exportBuyer('Bea@ACME.example', system);
    expect(data.deals).to.have.length(1);
    expect(data.deals[0]!.contact).to.include({ name: 'Bea Buyer', email: 'bea@acme.example', role: 'CFO' });
    expect(data.interviews).to.have.length(1);
    expect(data.answers[0]).to.include({ whyText: 'Too expensive for our team, Bea speaking.', primaryReason: 'price' });
    expect(JSON.stringify(data)).not.to.contain('other@acme.example');
  });

  it('erasing removes contact details and free text but keeps the anonymous counts', async () => {
    const { deal } = await buyerWithAnswer('bea@acme.example');
    const result = await eraseBuyer('bea@acme.example', system);
    expect(result).to.deep.equal({ deals: 1, dealHistory: 0, interviews: 1, answers: 1, webhookDeliveries: 0, webhookEvents: 0 });

    const after = await Deal.findById(deal._id).lean();
    expect(JSON.stringify(after)).not.to.contain('bea@acme.example').and.not.to.contain('Bea Buyer').and.not.to.contain('CFO');
    expect(after?.contacts).to.have.length(2);
    expect(after?.contacts[0]).to.deep.equal({ name: 'Erased', email: erasedEmail('bea@acme.example'), primary: true });
    expect(after?.contacts[1]?.email).to.equal('other@acme.example');
    const interview = await Interview.findOne({ dealId: deal._id }).lean();
    expect(interview?.contact?.name).to.equal('Erased');
    expect(interview?.state).to.equal('completed');
    const answer = await InterviewResponse.findOne({ dealId: deal._id }).lean();
    expect(answer?.whyText).to.equal(undefined);
    expect(answer?.missingInfoText).to.equal(undefined);
    expect(answer?.primaryReason).to.equal('price');
    expect(answer?.quotePermission).to.equal('internal');
    expect((await exportBuyer('bea@acme.example', system)).deals).to.have.length(0);
  });

  it('erasing also removes the typed answers, the draft, the personal link and the quotes in theme snapshots', async () => {
    const { deal, interview } = await buyerWithAnswer('bea@acme.example');
    const response = await InterviewResponse.findOne({ dealId: deal._id }).lean();
    await InterviewResponse.updateOne(
      { _id: response!._id },
      { $set: { answers: { why_text: 'Too expensive, Bea speaking.' }, notes: 'Bea said on the call...' } },
    );
    await FormDraft.create({ _id: interview._id, templateId: 'default@1', answers: { why_text: 'draft' }, step: 1 });
    const token = await buyerLinkToken(interview._id, loadSecrets(testConfig()));
    const quote = { responseId: String(response!._id), text: 'Too expensive for our team, Bea speaking.', attribution: 'Bea Buyer, Acme' };
    const theme = { id: 'price', label: 'Price', terms: ['price'], size: 1, share: 1, quotes: [quote], memberIds: [String(response!._id)] };
    await ThemeSnapshot.create({ set: 'reasons', asOf: new Date(), total: 1, raw: [theme], themes: [theme] });

    await eraseBuyer('bea@acme.example', system);
    const answer = await InterviewResponse.findById(response!._id).lean();
    expect(JSON.stringify(answer)).not.to.contain('Bea');
    expect(await FormDraft.countDocuments()).to.equal(0);
    expect(await interviewForToken(token)).to.equal(null);
    const [snapshot] = await ThemeSnapshot.find().lean();
    expect(snapshot!.themes[0]!.quotes).to.deep.equal([]);
    expect(snapshot!.themes[0]!.size).to.equal(1); // the count stays
  });

  it('erasing also takes the buyer out of the deal’s history, where its contact lists were changed', async () => {
    const deal = await upsertDeal(
      dealInput.parse({
        source: 'crm',
        externalId: 'H-1',
        name: 'Renewal',
        buyerCompany: 'Acme',
        contacts: [
          { name: 'Bea Buyer', email: 'bea@acme.example', primary: true },
          { name: 'Other Person', email: 'other@acme.example', primary: false },
        ],
      }),
      system,
      'api',
    );
    await upsertDeal(
      dealInput.parse({
        source: 'crm',
        externalId: 'H-1',
        name: 'Renewal',
        buyerCompany: 'Acme',
        contacts: [{ name: 'Other Person', email: 'other@acme.example', primary: true }],
      }),
      system,
      'api',
    );
    const before = JSON.stringify(await DealHistory.find({ dealId: deal.deal._id }).lean());
    expect(before).to.contain('Bea Buyer <bea@acme.example>');
    expect((await exportBuyer('bea@acme.example', system)).dealHistory).to.have.length(2);

    expect((await eraseBuyer('bea@acme.example', system)).dealHistory).to.equal(2);
    const after = JSON.stringify(await DealHistory.find({ dealId: deal.deal._id }).lean());
    expect(after).not.to.contain('bea@acme.example').and.not.to.contain('Bea Buyer');
    expect(after)
      .to.contain(`Erased <${erasedEmail('bea@acme.example')}>`)
      .and.to.contain('Other Person <other@acme.example>');
  });

  it('erasing also scrubs the buyer from stored CRM webhook deliveries', async () => {
    await buyerWithAnswer('bea@acme.example');
    await WebhookDelivery.create({
      key: 'generic:id:1',
      endpoint: 'generic',
      event: 'deal.lost',
      occurredAt: new Date(),
      receivedAt: new Date(),
      status: 'applied',
      deal: {
        source: 'crm',
        externalId: 'D-9',
        name: 'Renewal',
        buyerCompany: 'Acme',
        contacts: [
          { name: 'Bea Buyer', email: 'bea@acme.example', primary: true },
          { name: 'Other', email: 'other@acme.example' },
        ],
      },
    });
    const result = await eraseBuyer('bea@acme.example', system);
    expect(result.webhookDeliveries).to.equal(1);
    const stored = JSON.stringify(await WebhookDelivery.find().lean());
    expect(stored).not.to.contain('bea@acme.example').and.not.to.contain('Bea Buyer');
    expect(stored).to.contain('other@acme.example');
  });

  it('records export and erasure in the audit log without the address', async () => {
    await buyerWithAnswer('bea@acme.example');
    await exportBuyer('bea@acme.example', system);
    await eraseBuyer('bea@acme.example', system);
    const entries = await AuditEntry.find().lean();
    expect(entries.map((e) => e.action)).to.include.members(['privacy.exported', 'privacy.erased']);
    expect(JSON.stringify(entries)).not.to.contain('bea@acme.example');
  });

  it('retention is off by default, and once set deletes only answers older than the period', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    await buyerWithAnswer('old@acme.example', new Date('2026-04-01T00:00:00Z'));
    await buyerWithAnswer('new@acme.example', new Date('2026-10-01T00:00:00Z'));
    expect(await applyRetention(now)).to.equal(0);
    expect(await InterviewResponse.countDocuments()).to.equal(2);
    await setRetention(6, system);
    expect(await applyRetention(now)).to.equal(1);
    const left = await InterviewResponse.find().lean();
    expect(left).to.have.length(1);
    expect(left[0]!.submittedAt.toISOString()).to.equal('2026-10-01T00:00:00.000Z');
    expect(await Interview.countDocuments({ state: 'completed' })).to.equal(2); // the funnel still counts them
  });

  it('retention takes the deleted answers out of theme snapshots: their quotes, and snapshots taken before the cutoff', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const { deal: oldDeal } = await buyerWithAnswer('old@acme.example', new Date('2026-04-01T00:00:00Z'));
    const { deal: newDeal } = await buyerWithAnswer('new@acme.example', new Date('2026-10-01T00:00:00Z'));
    const oldId = String((await InterviewResponse.findOne({ dealId: oldDeal._id }).lean())!._id);
    const newId = String((await InterviewResponse.findOne({ dealId: newDeal._id }).lean())!._id);
    const quoteOf = (responseId: string, who: string) => ({ responseId, text: `Too expensive, ${who} speaking.`, attribution: `${who}, Acme` });
    const theme = {
      id: 'price',
      label: 'Price',
      terms: ['price'],
      size: 2,
      share: 1,
      quotes: [quoteOf(oldId, 'Olga'), quoteOf(newId, 'Nina')],
      memberIds: [oldId, newId],
    };
    const snapshot = (set: 'reasons' | 'helped' | 'reps', asOf: string) =>
      ThemeSnapshot.create({ set, asOf: new Date(asOf), total: 2, raw: [theme], themes: [theme] });
    const before = await snapshot('reasons', '2026-04-02T00:00:00Z');
    const latest = await snapshot('reasons', '2026-05-01T00:00:00Z'); // the latest, though older than the cutoff
    const recent = await snapshot('helped', '2026-10-02T00:00:00Z');
    const onlyOne = await snapshot('reps', '2026-04-03T00:00:00Z'); // the set's latest too
    await setRetention(6, system);

    expect(await applyRetention(now)).to.equal(1);
    const left = await ThemeSnapshot.find().lean();
    expect(left.map((s) => String(s._id)).sort()).to.deep.equal([latest, recent, onlyOne].map((s) => String(s._id)).sort());
    expect(left.map((s) => String(s._id))).not.to.include(String(before._id));
    for (const s of left) {
      for (const t of [...s.themes, ...s.raw]) expect(t.quotes.map((q) => q.responseId)).to.deep.equal([newId]);
      expect(JSON.stringify(s)).not.to.contain('Olga');
    }
    const entry = await AuditEntry.findOne({ action: 'privacy.retention_applied' }).lean();
    expect(entry!.details).to.include({ deleted: '1', snapshots: '1' });
  });

  it('the daily job deletes answers past the period and old CRM deliveries, then has the themes recomputed', async () => {
    const app = await startTestApp();
    try {
      await buyerWithAnswer('old@acme.example', new Date(Date.now() - 400 * 24 * 60 * 60_000));
      await buyerWithAnswer('new@acme.example');
      const old = new Date(Date.now() - 40 * 24 * 60 * 60_000);
      await WebhookDelivery.create({
        key: 'generic:id:old',
        endpoint: 'generic',
        event: 'deal.lost',
        occurredAt: old,
        deal: { source: 'crm', externalId: 'D-old', name: 'Renewal', buyerCompany: 'Acme', contacts: [{ name: 'Bea Buyer', email: 'bea@acme.example' }] },
        status: 'applied',
        receivedAt: old,
        processedAt: old,
      });
      await setRetention(12, system);
      const recomputes = () => mongoose.connection.db!.collection(jobsCollection).countDocuments({ name: themesRecomputeJob.name });
      expect(await recomputes()).to.equal(0);
      await retentionJob.run({}, testJobContext(app.queue));
      expect(await InterviewResponse.countDocuments()).to.equal(1);
      expect(await WebhookDelivery.countDocuments()).to.equal(0);
      expect(await recomputes()).to.equal(1);
    } finally {
      await app.close();
    }
  });
});

describe('the privacy page and API', () => {
  useTestDatabase('privacy_http');
  const app = useTestApp();
  let admin: Client;
  beforeEach(async () => {
    await clearCollections();
    const user = await buildUser('admin');
    admin = new Client(app.url);
    await admin.signIn(user.email, testPassword);
  });

  it('an admin exports a buyer’s data as a JSON download', async () => {
    await buyerWithAnswer('bea@acme.example');
    const res = await admin.submit('/admin/privacy', '/admin/privacy/export', { email: 'bea@acme.example' });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-disposition')).to.contain('attachment');
    expect((JSON.parse(res.body) as { answers: unknown[] }).answers).to.have.length(1);
  });

  it('erasing needs the confirmation box; without it nothing changes and the email stays typed', async () => {
    await buyerWithAnswer('bea@acme.example');
    const refused = await admin.submit('/admin/privacy', '/admin/privacy/erase', { email: 'bea@acme.example' });
    expect(refused.status).to.equal(400);
    expect(refused.body).to.contain('Tick the box to confirm');
    expect(refused.body).to.contain('value="bea@acme.example"');
    expect(await Interview.countDocuments({ 'contact.email': 'bea@acme.example' })).to.equal(1);
    const done = await admin.submit('/admin/privacy', '/admin/privacy/erase', { email: 'bea@acme.example', confirm: 'yes' });
    expect(done.status).to.equal(303);
    expect((await admin.get('/admin/privacy')).body).to.contain('Erased: the contact details in 1 deal(s)');
    expect(await Interview.countDocuments({ 'contact.email': 'bea@acme.example' })).to.equal(0);
  });

  it('the retention period is set on the page, checked, and can be turned off again', async () => {
    const bad = await admin.submit('/admin/privacy', '/admin/privacy/retention', { months: 'twelve' });
    expect(bad.status).to.equal(400);
    expect(bad.body).to.contain('Enter a number of months, or leave it empty');
    expect(bad.body).to.contain('value="twelve"');
    expect((await admin.submit('/admin/privacy', '/admin/privacy/retention', { months: '18' })).status).to.equal(303);
    expect((await admin.get('/admin/privacy')).body).to.contain('answers older than 18 months are deleted daily');
    await admin.submit('/admin/privacy', '/admin/privacy/retention', { months: '' });
    expect((await admin.get('/admin/privacy')).body).to.contain('off (answers are kept until erased)');
  });

  it('the API exports with a read key and erases only with a write key', async () => {
    await buyerWithAnswer('bea@acme.example');
    const reader = (await createApiKey({ name: 'crm read', scopes: ['read'] }, system)).key;
    const writer = (await createApiKey({ name: 'crm write', scopes: ['write'] }, system)).key;
    const call = (key: string, path: string, init: RequestInit = {}) =>
      fetch(`${app.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

    const exported = await call(reader, '/api/v1/privacy/export?email=bea%40acme.example');
    expect(exported.status).to.equal(200);
    expect(((await exported.json()) as { data: { interviews: unknown[] } }).data.interviews).to.have.length(1);

    const body = JSON.stringify({ email: 'bea@acme.example', confirm: true });
    expect((await call(reader, '/api/v1/privacy/erase', { method: 'POST', body })).status).to.equal(403);
    const unconfirmed = await call(writer, '/api/v1/privacy/erase', { method: 'POST', body: JSON.stringify({ email: 'bea@acme.example' }) });
    expect(unconfirmed.status).to.equal(400);
    const erased = await call(writer, '/api/v1/privacy/erase', { method: 'POST', body });
    expect(erased.status).to.equal(200);
    expect(((await erased.json()) as { data: { interviews: number } }).data.interviews).to.equal(1);
    const entry = await AuditEntry.findOne({ action: 'privacy.erased' }).lean();
    expect(entry?.actorType).to.equal('api_key');
  });
});
