// JSON API handlers: validate the query, call the feature's service, answer with plain JSON. Each field
// sent is named here, so what the API exposes is decided in one place, not by the database documents.
import type { Request, Response } from 'express';
import { listDeals, pageSize, type Page } from '../deals/service.ts';
import { listInterviews } from '../interviews/service.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import type { Actor } from '../audit/service.ts';
import { apiEraseBody, apiExportQuery } from '../privacy/schemas.ts';
import { eraseBuyer, exportBuyer } from '../privacy/service.ts';
import { apiDealsQuery, apiInterviewsQuery } from './schemas.ts';

function paging(page: Page<unknown>) {
  return { page: page.page, pages: page.pages, total: page.total, pageSize };
}

export function me(req: Request, res: Response): void {
  const key = req.apiKey!;
  res.json({ data: { name: key.name, prefix: key.prefix, scopes: key.scopes } });
}

export async function deals(req: Request, res: Response): Promise<void> {
  const query = parseOrThrow(apiDealsQuery, req.query);
  const page = await listDeals(query);
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
      lostAt: d.lostAt ?? null,
      competitor: d.competitor ?? null,
    })),
    paging: paging(page),
  });
}

export async function interviews(req: Request, res: Response): Promise<void> {
  const query = parseOrThrow(apiInterviewsQuery, req.query);
  const page = await listInterviews(query);
  res.json({
    data: page.items.map((i) => ({
      id: i.id,
      state: i.state,
      contactName: i.contactName,
      contactRole: i.contactRole,
      company: i.company,
      dealName: i.dealName,
      interviewer: i.interviewer,
      updatedAt: i.updatedAt,
    })),
    paging: paging(page),
  });
}

/** Everything held about a buyer's address (a data-subject access request). */
export async function privacyExport(req: Request, res: Response): Promise<void> {
  const { email } = parseOrThrow(apiExportQuery, req.query);
  res.setHeader('Cache-Control', 'no-store');
  res.json({ data: await exportBuyer(email, apiActor(req)) });
}

/** Erases a buyer's contact details and free text (a request to be forgotten). */
export async function privacyErase(req: Request, res: Response): Promise<void> {
  const { email } = parseOrThrow(apiEraseBody, req.body);
  res.json({ data: await eraseBuyer(email, apiActor(req)) });
}

function apiActor(req: Request): Actor {
  return { type: 'api_key', id: req.apiKey!.id, email: `api key ${req.apiKey!.name}`, ip: req.ip };
}
