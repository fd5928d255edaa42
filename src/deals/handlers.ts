// Deal pages: list, create, edit, detail (with history and interviews), mark lost, reopen, won.
import type { Request, Response } from 'express';
import type { Types } from 'mongoose';
import { Interview, interviewStateLabels } from '../interviews/model.ts';
import { actorOf } from '../accounts/index.ts';
import { typed } from '../lib/http/forms.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { loadProgram } from '../program/index.ts';
// The deal of a /deals/:id route comes loaded and checked by dealParam (routes.ts): routeDeal(req).
import { ownerScope, ownsDeal, routeDeal } from './access.ts';
import {
  dealFormFields,
  dealToForm,
  emptyDealForm,
  lossFormFields,
  parseDealForm,
  parseLossForm,
  parseRepView,
  repViewFormFields,
  repViewToForm,
  contactRows,
} from './forms.ts';
import { dealHistory } from './history.ts';
import { changeOutcome, markLost, recordRepView, upsertDeal, type StoredDeal } from './lifecycle.ts';
import type { WinPlanOutcome } from '../interviews/planner.ts';
import { dealStatuses, lossTypes } from './model.ts';
import { renderForm } from '../lib/http/forms.ts';
import { listDealsQuery } from './schemas.ts';
import { listDeals } from './service.ts';
import { takeNotice } from '../lib/http/notice.ts';

export const lossTypeLabels: Record<(typeof lossTypes)[number], string> = {
  competitor: 'Lost to a competitor',
  no_decision: 'No decision',
  other: 'Other',
};

export async function list(req: Request, res: Response): Promise<void> {
  const query = parseOrThrow(listDealsQuery, req.query);
  res.render('deals/index', { title: 'Deals', query, statuses: dealStatuses, page: await listDeals(query, ownerScope(req.user!)) });
}

function renderDealForm(res: Response, status: number, opts: { deal?: StoredDeal; values: Record<string, string>; errors?: Record<string, string[]> }): void {
  res.status(status).render('deals/form', {
    title: opts.deal ? `Edit ${opts.deal.name}` : 'New deal',
    deal: opts.deal,
    values: opts.values,
    errors: opts.errors ?? {},
    formError: undefined,
    contactRows,
  });
}

export function showNew(req: Request, res: Response): void {
  renderDealForm(res, 200, { values: emptyDealForm(req.user!.role === 'sales' ? req.user! : undefined) });
}

export async function create(req: Request, res: Response): Promise<void> {
  const values = typed(req.body, dealFormFields);
  const parsed = parseDealForm(values, 'manual');
  if (!parsed.ok) return renderDealForm(res, 400, { values, errors: parsed.errors });
  if (req.user!.role === 'sales') parsed.input.ownerEmail = req.user!.email; // a rep creates their own deals
  const { deal, created } = await upsertDeal(parsed.input, actorOf(req), 'page');
  if (!created) return renderDealForm(res, 400, { values, errors: { externalId: ['A deal with this id already exists.'] } });
  res.redirect(303, `/deals/${String(deal._id)}`);
}

export async function showEdit(req: Request, res: Response): Promise<void> {
  const deal = routeDeal(req);
  renderDealForm(res, 200, { deal, values: dealToForm(deal) });
}

export async function update(req: Request, res: Response): Promise<void> {
  const deal = routeDeal(req);
  const values = { ...typed(req.body, dealFormFields), externalId: deal.externalId };
  const parsed = parseDealForm(values, deal.source);
  if (!parsed.ok) return renderDealForm(res, 400, { deal, values, errors: parsed.errors });
  if (req.user!.role === 'sales') parsed.input.ownerEmail = req.user!.email;
  await upsertDeal(parsed.input, actorOf(req), 'page');
  req.session.notice = 'Deal saved.';
  res.redirect(303, `/deals/${String(deal._id)}`);
}

/**
 * What the deal page shows from features above deals, handed in where the app is wired (src/app.ts): per
 * interview, its emails that have not gone out and why (src/outbox), and for an open deal the prep brief,
 * lessons from similar lost deals (src/reports, whose partial the view includes). The view reads them.
 */
export interface DealPageNeeds {
  emailProblems(interviewIds: readonly Types.ObjectId[]): Promise<ReadonlyMap<string, readonly unknown[]>>;
  prepBrief(deal: StoredDeal): Promise<unknown>;
}

async function renderDetail(
  needs: DealPageNeeds,
  req: Request,
  res: Response,
  deal: StoredDeal,
  status = 200,
  loss?: { values: Record<string, string>; errors: Record<string, string[]> },
): Promise<void> {
  const [history, interviews, program] = await Promise.all([
    dealHistory(deal._id),
    Interview.find({ dealId: deal._id }).sort({ createdAt: -1 }).lean(),
    loadProgram(),
  ]);
  const problems = await needs.emailProblems(interviews.map((i) => i._id));
  const notice = takeNotice(req);
  res.status(status).render('deals/show', {
    title: deal.name,
    deal,
    history,
    interviews,
    emailProblems: problems,
    stateLabels: interviewStateLabels,
    reasons: program.reasons,
    lossTypes,
    lossTypeLabels,
    notice,
    canWrite: ownsDeal(req.user!, deal),
    values: loss?.values ?? { lossType: 'competitor', reasonCode: '', reasonNote: '', competitor: deal.competitor ?? '', lostAt: '' },
    errors: loss?.errors ?? {},
    formError: undefined,
    now: new Date(),
    holdOffHours: program.holdOffHours,
    brief: deal.status === 'open' ? await needs.prepBrief(deal) : null, // the prep brief: lessons from similar lost deals
  });
}

export function show(needs: DealPageNeeds) {
  return async (req: Request, res: Response): Promise<void> => renderDetail(needs, req, res, routeDeal(req));
}

export const lost =
  (needs: DealPageNeeds) =>
  async (req: Request, res: Response): Promise<void> => {
    const deal = routeDeal(req);
    const values = typed(req.body, lossFormFields);
    const parsed = parseLossForm(values);
    if (!parsed.ok) return renderDetail(needs, req, res, deal, 400, { values, errors: parsed.errors });
    const result = await markLost(deal._id, parsed.input, actorOf(req), 'page');
    const plan = result.plan;
    req.session.notice =
      plan.outcome === 'planned'
        ? `Marked lost. Interview planned: ${plan.reason}.`
        : plan.outcome === 'excluded'
          ? `Marked lost. No interview: ${plan.reason}`
          : 'The deal was already lost: the reason is updated, no new interview is planned.';
    res.redirect(303, `/deals/${String(deal._id)}`);
  };

/** What the page says about a won deal's interview. */
function winPlanNotice(plan: WinPlanOutcome): string {
  switch (plan.outcome) {
    case 'planned':
      return `Win interview planned: ${plan.reason}.`;
    case 'excluded':
      return `No win interview: ${plan.reason}`;
    case 'duplicate':
      return 'The win interview was already planned.';
    default:
      return `No win interview: ${plan.reason}`;
  }
}

export function outcome(status: 'open' | 'won') {
  return async (req: Request, res: Response): Promise<void> => {
    const deal = routeDeal(req);
    const { cancelled, plan } = await changeOutcome(deal._id, status, actorOf(req), 'page');
    req.session.notice = `${status === 'won' ? 'Marked won' : 'Reopened'}.${cancelled ? ` The planned interview was cancelled.` : ''}${plan ? ` ${winPlanNotice(plan)}` : ''}`;
    res.redirect(303, `/deals/${String(deal._id)}`);
  };
}

async function renderDebrief(
  res: Response,
  deal: StoredDeal,
  status: number,
  values: Record<string, string>,
  errors: Record<string, string[]> = {},
): Promise<void> {
  const { reasons } = await loadProgram();
  renderForm(res, status, 'deals/debrief', `Your view: ${deal.name}`, { values, errors }, { deal, reasons });
}

export async function showDebrief(req: Request, res: Response): Promise<void> {
  const deal = routeDeal(req);
  await renderDebrief(res, deal, 200, repViewToForm(deal));
}

export async function saveDebrief(req: Request, res: Response): Promise<void> {
  const deal = routeDeal(req);
  const { reasons } = await loadProgram();
  const parsed = parseRepView(
    req.body,
    reasons.map((r) => r.code),
  );
  if (!parsed.ok) return renderDebrief(res, deal, 400, typed(req.body, repViewFormFields), parsed.errors);
  await recordRepView(deal._id, parsed.view, actorOf(req), 'page');
  req.session.notice = 'Thank you: your view is kept beside the buyer’s.';
  res.redirect(303, `/deals/${String(deal._id)}`);
}
