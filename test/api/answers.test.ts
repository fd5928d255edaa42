// Buyers' answers through the API, on the real app and engine: each free-text answer as its buyer
// allowed (for the team only: withheld without the answers:internal scope), a list paged by a cursor that
// answers arriving meanwhile never shift, filters, the latest themes, and "send now".
import { expect } from 'chai';
import mongoose from 'mongoose';
import { interviewAnswersResponse, answerListResponse, themesResponse } from '../../src/api/outbound-schemas.ts';
import { Deal } from '../../src/deals/model.ts';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { MailSend } from '../../src/outbox/model.ts';
import { ThemeSnapshot } from '../../src/themes/model.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from '../buyer/helpers.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { apiClient, type ApiClient } from './client.ts';

describe('answers through the API', () => {
  useTestDatabase('api_answers');
  const app = useTestApp();
  let reader: ApiClient;
  let insider: ApiClient;
  beforeEach(async () => {
    await clearCollections();
    await buildUser('marketer', { name: 'Mia Marketer' });
    reader = await apiClient(app.url, ['read'], 'Dashboard');
    insider = await apiClient(app.url, ['read', 'answers:internal'], 'Research');
  });

  async function answeredInterview() {
    const iv = await invitedInterview(app.config);
    for (const [i, step] of defaultAnswerSteps.entries()) {
      const res = await fetch(`${app.url}${iv.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), _action: i === defaultAnswerSteps.length - 1 ? 'submit' : 'next', ...step }),
      });
      expect(res.status).to.equal(303);
    }
    return iv;
  }

  describe('consent', () => {
    it('a read key gets each answer as its buyer allowed, and those for the team only withheld; answers:internal shows them', async () => {
      const iv = await answeredInterview();
      const res = await reader.get(`/api/v1/interviews/${iv.interviewId}/answers`);
      expect(res.status).to.equal(200);
      const { data } = interviewAnswersResponse.parse(res.json);
      expect(data.interview).to.deep.equal({ id: String(iv.interviewId), state: 'completed', outcome: 'lost' });
      const answers = data.answers!;
      expect(answers.primaryReason).to.deep.equal({ code: 'price', label: 'Price or commercial terms' });
      expect(answers.competitor).to.equal('Clearpath');
      const texts = Object.fromEntries(answers.texts.map((t) => [t.field, t]));
      expect(texts.wouldHaveChanged).to.include({ use: 'named', withheld: false, text: 'A pilot on our data.', named: true });
      expect(texts.why).to.include({ use: 'anonymous', withheld: false, text: 'Their price was a third lower.', named: false });
      expect(texts.why!.attribution).to.match(/^A buyer/);
      expect(texts.missingInfo).to.deep.equal({ field: 'missingInfo', use: 'internal', withheld: true, text: null, attribution: null, named: false });
      expect(JSON.stringify(res.json)).not.to.contain('security whitepaper');

      const inside = interviewAnswersResponse.parse((await insider.get(`/api/v1/interviews/${iv.interviewId}/answers`)).json).data.answers!;
      expect(inside.texts.find((t) => t.field === 'missingInfo')).to.include({ withheld: false, text: 'A security whitepaper.' });

      const listed = answerListResponse.parse((await reader.get('/api/v1/answers')).json).data;
      expect(listed).to.have.length(1);
      expect(listed[0]!.texts.find((t) => t.field === 'missingInfo')).to.include({ withheld: true, text: null });
    });

    it('a key without read gets 403; an unknown interview 404; one not answered yet has answers null', async () => {
      const hooks = await apiClient(app.url, ['webhooks']);
      const iv = await invitedInterview(app.config);
      expect((await hooks.get(`/api/v1/interviews/${iv.interviewId}/answers`)).status).to.equal(403);
      expect((await hooks.get('/api/v1/answers')).status).to.equal(403);
      expect((await reader.get(`/api/v1/interviews/${new mongoose.Types.ObjectId()}/answers`)).status).to.equal(404);
      const pending = await reader.get(`/api/v1/interviews/${iv.interviewId}/answers`);
      expect(pending.json.data).to.deep.equal({ interview: { id: String(iv.interviewId), state: 'invited', outcome: 'lost' }, answers: null });
    });
  });

  describe('the list', () => {
    /** n answers on deals of their own; `sameTime` of them submitted at the same instant (the cursor's tie-break). */
    async function seedAnswers(n: number, base: number, extra: (i: number) => { segment?: string; competitor?: string; chosenVendor?: string } = () => ({})) {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const x = extra(i);
        const deal = await Deal.create({
          source: 'crm',
          externalId: `L-${base}-${i}`,
          name: `Deal ${i}`,
          buyerCompany: `Co ${i}`,
          status: 'lost',
          ...(x.segment ? { segment: x.segment } : {}),
          ...(x.competitor ? { competitor: x.competitor } : {}),
        });
        const interview = await Interview.create({
          dealId: deal._id,
          planKey: `${deal._id}#1`,
          contact: { name: `B ${i}`, email: `b${i}@x.example` },
          state: 'completed',
        });
        const r = await InterviewResponse.create({
          interviewId: interview._id,
          dealId: deal._id,
          primaryReason: 'price',
          ...(x.chosenVendor ? { chosenVendor: x.chosenVendor } : {}),
          // Three answers share each instant.
          submittedAt: new Date(Date.UTC(2026, 0, 10) + base + Math.floor(i / 3) * 60_000),
        });
        ids.push(String(r._id));
      }
      return ids;
    }

    it('pages newest first by a cursor, ties broken by id, and an answer arriving meanwhile shifts no page', async () => {
      await seedAnswers(7, 0);
      const seen: string[] = [];
      const first = answerListResponse.parse((await reader.get('/api/v1/answers?limit=3')).json);
      seen.push(...first.data.map((a) => a.responseId));
      expect(first.paging.nextCursor).to.be.a('string');
      // A newer answer arrives between pages: it belongs before page one, not in page two.
      await seedAnswers(1, 3_600_000);
      let cursor = first.paging.nextCursor;
      while (cursor) {
        const page = answerListResponse.parse((await reader.get(`/api/v1/answers?limit=3&cursor=${cursor}`)).json);
        seen.push(...page.data.map((a) => a.responseId));
        cursor = page.paging.nextCursor;
      }
      const all = await InterviewResponse.find({ submittedAt: mongoose.trusted({ $lt: new Date(Date.UTC(2026, 0, 10, 1)) }) })
        .sort({ submittedAt: -1, _id: -1 })
        .lean();
      expect(seen).to.deep.equal(all.map((r) => String(r._id)));
      expect(new Set(seen).size).to.equal(7);
    });

    it('filters by segment, by competitor (the buyer’s answer or the deal’s), by day and by outcome, and refuses a bad cursor', async () => {
      await seedAnswers(6, 0, (i) =>
        i === 0 ? { segment: 'Enterprise' } : i === 1 ? { competitor: 'Clearpath' } : i === 2 ? { chosenVendor: 'clearpath' } : {},
      );
      const ids = async (query: string) =>
        (await reader.get(`/api/v1/answers?${query}`)).json.data.map((a: { deal: { externalId: string } }) => a.deal.externalId).sort();
      expect(await ids('segment=enterprise')).to.deep.equal(['L-0-0']);
      expect(await ids('competitor=CLEARPATH')).to.deep.equal(['L-0-1', 'L-0-2']);
      expect(await ids('from=2026-01-10&to=2026-01-10')).to.have.length(6);
      expect(await ids('from=2026-01-11')).to.deep.equal([]);
      expect(await ids('outcome=lost')).to.have.length(6);
      expect(await ids('outcome=won')).to.deep.equal([]);
      const bad = await reader.get('/api/v1/answers?cursor=bm90LWEtY3Vyc29y');
      expect(bad.status).to.equal(400);
      expect(bad.json.error.details.cursor[0]).to.contain('nextCursor');
      expect((await reader.get('/api/v1/answers?from=2026-02-30')).json.error.details.from[0]).to.equal('That date does not exist.');
    });
  });

  it('reads the latest themes with their labels, sizes and quotes (null before the first run)', async () => {
    expect((await reader.get('/api/v1/themes')).json).to.deep.equal({ data: null });
    const quote = { responseId: 'r1', text: 'Their price was a third lower.', attribution: 'A buyer at an enterprise company' };
    await ThemeSnapshot.create({ set: 'reasons', asOf: new Date('2026-01-01'), total: 3, themes: [{ id: 'old', label: 'Old', size: 1, share: 1 }] });
    await ThemeSnapshot.create({
      set: 'reasons',
      asOf: new Date('2026-02-01'),
      total: 12,
      disclosure: 2,
      themes: [{ id: 't1', label: 'Per-seat pricing', terms: ['price'], size: 7, share: 0.58, quotes: [quote], memberIds: ['r1'] }],
    });
    const { data } = themesResponse.parse((await reader.get('/api/v1/themes?set=reasons')).json);
    expect(data).to.deep.include({ set: 'reasons', asOf: '2026-02-01T00:00:00.000Z', answers: 12 });
    expect(data!.themes).to.deep.equal([
      { id: 't1', label: 'Per-seat pricing', size: 7, share: 0.58, terms: ['price'], quotes: [{ text: quote.text, attribution: quote.attribution }] },
    ]);
  });

  it('sends a planned interview now with a write key, as the queue page does; a read key may not', async () => {
    const writer = await apiClient(app.url, ['read', 'write'], 'CRM sync');
    const { deal } = await upsertDeal(dealInputFor(), { type: 'system' }, 'api');
    await markLost(deal._id, competitorLoss, { type: 'system' }, 'api');
    const interview = (await Interview.findOne({ dealId: deal._id }).lean())!;
    expect((await reader.post(`/api/v1/interviews/${interview._id}/send`)).status).to.equal(403);
    const sent = await writer.post(`/api/v1/interviews/${interview._id}/send`);
    expect(sent.status).to.equal(200);
    expect(sent.json.data).to.deep.equal({ id: String(interview._id), state: 'planned', sent: true });
    expect((await Interview.findById(interview._id).lean())!.timeline.at(-1)!.note).to.equal('Sent early by api key CRM sync');
    expect(await MailSend.countDocuments({ kind: 'invitation', interviewId: interview._id })).to.equal(1);
    expect((await writer.post(`/api/v1/interviews/${new mongoose.Types.ObjectId()}/send`)).status).to.equal(404);
  });
});
