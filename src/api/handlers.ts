// JSON API handlers, one per operation in routes.ts, given what the router parsed with the route's
// schemas. Writes go through the feature's service with the key as the actor (apiActor); reads go
// through the ownership rule as the key (keyReader). A deal, interview or history entry is shown
// through present.ts, the lists pick their fields here, and the program and privacy answers are what
// their feature returns.
import type { Request } from 'express';
import type { Actor } from '../audit/index.ts';
import { changeOutcome, markLost, upsertDeal, type LostResult } from '../deals/lifecycle.ts';
import { dealInput, type lossInput } from '../deals/schemas.ts';
import { assertOwnsDeal, ownerScope, readableDealIds, type DealReader } from '../deals/access.ts';
import { listDeals } from '../deals/service.ts';
import { pageSize, type Page } from '../lib/paging.ts';
import { listInterviews } from '../interviews/service.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import type { apiEraseBody, apiExportQuery } from '../privacy/index.ts';
import { eraseBuyer, exportBuyer } from '../privacy/index.ts';
import { loadProgram, type programInput, updateProgram } from '../program/index.ts';
import { dealRecords, getDealByKey, interviewOfLatestLoss, listDealInterviews } from './deals.ts';
import type { ApiHandler } from './define.ts';
import { instant, presentDeal, presentHistory, presentInterview, presentInterviewer } from './present.ts';
import type { apiDealBody, apiDealsQuery, apiInterviewsQuery, ApiPlan, ApiWinPlan, dealKeyParams } from './schemas.ts';
import type { WinPlanOutcome } from '../interviews/planner.ts';

type DealKeyed = { params: typeof dealKeyParams };

function paging(page: Page<unknown>) {
  return { page: page.page, pages: page.pages, total: page.total, pageSize };
}

/** Who acts when a program calls: the key, named as the audit log and deal history show it. */
export function apiActor(req: Request): Actor {
  return { type: 'api_key', id: req.apiKey!.id, email: `api key ${req.apiKey!.name}`, ip: req.ip };
}

/** A program with an API key reads as the ownership rule says (src/deals/access.ts): every deal. */
const keyReader: DealReader = { kind: 'api_key' };

export const me: ApiHandler = (_input, req, res) => {
  const key = req.apiKey!;
  res.json({ data: { name: key.name, prefix: key.prefix, scopes: key.scopes } });
};

export const deals: ApiHandler<{ query: typeof apiDealsQuery }> = async ({ query }, _req, res) => {
  // Test invitations are the app's own walk-through: no program sees them.
  const page = await listDeals(query, ownerScope(keyReader), { withTests: false });
  res.json({
    data: page.items.map((d) => ({
      id: String(d._id),
      source: d.source,
      externalId: d.externalId,
      name: d.name,
      buyerCompany: d.buyerCompany,
      amount: d.amount ?? null,
      currency: d.currency ?? null,
      status: d.status,
      lostAt: instant(d.lostAt),
      competitor: d.competitor ?? null,
    })),
    paging: paging(page),
  });
};

/** Creates the deal or updates it: 201 the first time, 200 after (PUT is idempotent). */
export const putDeal: ApiHandler<DealKeyed & { body: typeof apiDealBody }> = async ({ params, body }, req, res) => {
  // The whole deal through dealInput, the schema every way in shares, for its cross-field rules.
  const input = parseOrThrow(dealInput, { ...body, ...params });
  const { deal, created } = await upsertDeal(input, apiActor(req), 'api');
  if (created) res.status(201).location(`/api/v1/deals/${encodeURIComponent(deal.source)}/${encodeURIComponent(deal.externalId)}`);
  res.json({ data: presentDeal(deal) });
};

export const getDeal: ApiHandler<DealKeyed> = async ({ params }, _req, res) => {
  const deal = await getDealByKey(params);
  assertOwnsDeal(keyReader, deal);
  const { interviews, history } = await dealRecords(deal._id);
  res.json({ data: { ...presentDeal(deal), interviews: interviews.map(presentInterview), history: history.map(presentHistory) } });
};

const planMessages = {
  alreadyLost: 'The deal was already lost: its loss details are updated and no new interview is planned.',
  duplicate: 'Another request planned this interview a moment ago.',
};

async function presentPlan(result: LostResult): Promise<ApiPlan> {
  const { plan } = result;
  const interview = plan.outcome === 'already_lost' ? await interviewOfLatestLoss(result.deal) : plan.interview;
  const reason =
    plan.outcome === 'planned' || plan.outcome === 'excluded' ? plan.reason : plan.outcome === 'duplicate' ? planMessages.duplicate : planMessages.alreadyLost;
  return {
    outcome: plan.outcome,
    id: interview ? String(interview._id) : null,
    state: interview?.state ?? null,
    plannedFor: instant(interview?.plannedFor),
    interviewer: interview ? presentInterviewer(interview) : null,
    reason,
  };
}

/** Marks the deal lost and plans its interview; marking it lost again plans nothing new. */
export const markDealLost: ApiHandler<DealKeyed & { body: typeof lossInput }> = async ({ params, body }, req, res) => {
  const deal = await getDealByKey(params);
  const result = await markLost(deal._id, body, apiActor(req), 'api');
  res.json({ data: { deal: presentDeal(result.deal), interview: await presentPlan(result) } });
};

function presentWinPlan(plan: WinPlanOutcome): ApiWinPlan {
  if (!('interview' in plan)) return { outcome: plan.outcome, id: null, state: null, plannedFor: null, interviewer: null, reason: plan.reason };
  const { interview } = plan;
  return {
    outcome: plan.outcome,
    id: String(interview._id),
    state: interview.state,
    plannedFor: instant(interview.plannedFor),
    interviewer: presentInterviewer(interview),
    reason: plan.outcome === 'duplicate' ? planMessages.duplicate : plan.reason,
  };
}

/** Reopens or wins the deal: a loss interview not yet sent is cancelled, a won deal sampled in gets its win interview. */
export function dealOutcome(status: 'open' | 'won'): ApiHandler<DealKeyed> {
  return async ({ params }, req, res) => {
    const deal = await getDealByKey(params);
    const { deal: changed, cancelled, plan } = await changeOutcome(deal._id, status, apiActor(req), 'api');
    res.json({ data: { deal: presentDeal(changed), cancelledInterviews: cancelled, interview: plan ? presentWinPlan(plan) : null } });
  };
}

export const interviews: ApiHandler<{ query: typeof apiInterviewsQuery }> = async ({ query }, _req, res) => {
  const page =
    query.dealSource && query.dealExternalId
      ? await listDealInterviews({ source: query.dealSource.toLowerCase(), externalId: query.dealExternalId }, query.state, query.page)
      : await listInterviews({ state: query.state, page: query.page }, await readableDealIds(keyReader), { withTests: false });
  res.json({
    data: page.items.map((i) => ({
      id: i.id,
      state: i.state,
      contactName: i.contactName,
      contactRole: i.contactRole,
      company: i.company,
      dealName: i.dealName,
      interviewer: i.interviewer,
      updatedAt: instant(i.updatedAt),
    })),
    paging: paging(page),
  });
};

export const getProgram: ApiHandler = async (_input, _req, res) => {
  res.json({ data: await loadProgram() });
};

/** Replaces the whole program (every field); the change is audited with the key as the actor. */
export const putProgram: ApiHandler<{ body: typeof programInput }> = async ({ body }, req, res) => {
  const { program } = await updateProgram(body, apiActor(req));
  res.json({ data: program });
};

/** Everything held about a buyer's address (a data-subject access request). */
export const privacyExport: ApiHandler<{ query: typeof apiExportQuery }> = async ({ query }, req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  res.json({ data: await exportBuyer(query.email, apiActor(req)) });
};

/** Erases a buyer's contact details and free text (a request to be forgotten). */
export const privacyErase: ApiHandler<{ body: typeof apiEraseBody }> = async ({ body }, req, res) => {
  res.json({ data: await eraseBuyer(body.email, apiActor(req)) });
};
