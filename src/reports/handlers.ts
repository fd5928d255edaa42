// The report's pages and exports, and the weekly digest's settings page. Thin: parse the query or form,
// call the service, render. A bad filter is reported on the page (status 400) and left out, the rest of
// the view still shows; the CSV exports refuse bad filters with the same messages.
import type { Application, Request, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { actorOf } from '../accounts/index.ts';
import { typed } from '../lib/http/forms.ts';
import { loadProgram } from '../program/index.ts';
import { themeTabs } from '../themes/index.ts';
import { responsesCsv, themesCsv } from './csv.ts';
import { perceptionGap } from './gap.ts';
import { digestWeek } from './digest.ts';
import { digestFormFields, digestToForm, loadDigestSettings, parseDigestForm, saveDigestSettings, weekdays, type DigestForm } from './digest-settings.ts';
import { filterQuery, parseFilters, type ReportFilters } from './filters.ts';
import type { DealReader } from '../deals/access.ts';
import { cachedReport } from './cache.ts';
import { readable, type Report } from './service.ts';
import { monthLabel, responseRateName } from './metrics.ts';
import { takeNotice } from '../lib/http/notice.ts';

// The report's HTML, rendered once per build of a view (a kept report object belongs to one view) and
// shown to everyone who opens that view until it is rebuilt: the page around it is rendered per request.
const renderedBodies = new WeakMap<Report, string>();

function reportBody(app: Application, report: Report, query: string): Promise<string> {
  const kept = renderedBodies.get(report);
  if (kept !== undefined) return Promise.resolve(kept);
  return new Promise((resolve, reject) =>
    app.render('reports/report', { report, readable, monthLabel, query, responseRateName }, (err: Error | null, html?: string) => {
      if (err || html === undefined) return reject(err ?? new Error('reports/report rendered nothing'));
      renderedBodies.set(report, html);
      resolve(html);
    }),
  );
}

export async function show(req: Request, res: Response): Promise<void> {
  const parsed = parseFilters(req.query);
  const { report, asOf, updating } = await cachedReport(parsed);
  const body = await reportBody(req.app, report, filterQuery(parsed.values));
  res.status(Object.keys(parsed.errors).length ? 400 : 200).render('reports/index', { title: 'Deal review', body, asOf, updating });
}

function csvExport(name: string, build: (filters: ReportFilters, reader: DealReader) => Promise<string>) {
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = parseFilters(req.query);
    if (Object.keys(parsed.errors).length) throw new AppError(400, 'bad_filter', Object.values(parsed.errors).flat().join(' '), parsed.errors);
    const csv = await build(parsed.filters, req.user!);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="debrief-${name}-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(csv);
  };
}

export const responsesExport = csvExport('answers', responsesCsv);
export const themesExport = csvExport('themes', themesCsv);

async function renderSettings(req: Request, res: Response, status: number, values: DigestForm, errors: Record<string, string[]> = {}): Promise<void> {
  const [saved, program] = await Promise.all([loadDigestSettings(), loadProgram()]);
  const notice = takeNotice(req);
  const when = digestWeek(new Date(), program.timeZone, saved);
  res.status(status).render('reports/settings', {
    title: 'Weekly digest',
    values,
    errors,
    formError: undefined,
    notice,
    weekdays,
    timeZone: program.timeZone,
    saved,
    thisWeek: when,
  });
}

export async function showSettings(req: Request, res: Response): Promise<void> {
  await renderSettings(req, res, 200, digestToForm(await loadDigestSettings()));
}

export async function saveSettings(req: Request, res: Response): Promise<void> {
  const values = typed(req.body, digestFormFields);
  const parsed = parseDigestForm(values);
  if (!parsed.ok) return renderSettings(req, res, 400, values, parsed.errors);
  await saveDigestSettings(parsed.input, actorOf(req));
  req.session.notice = parsed.input.enabled ? 'Digest settings saved.' : 'Digest settings saved. The digest is off.';
  res.redirect(303, '/settings/digest');
}

const gapQuery = z.object({ outcome: z.enum(['lost', 'won']).default('lost') }).strict();

/** The perception gap page: each rep's reason against the buyer's, with totals per side, for lost or won deals. */
export async function gap(req: Request, res: Response): Promise<void> {
  const { outcome } = parseOrThrow(gapQuery, req.query);
  const data = await perceptionGap({ outcome });
  const label = new Map(data.reasons.map((r) => [r.code, r.label]));
  const repTotals = Object.fromEntries(data.reasons.map((r) => [r.code, Object.values(data.table[r.code] ?? {}).reduce((s, n) => s + n, 0)]));
  const buyerTotals = Object.fromEntries(data.reasons.map((r) => [r.code, Object.values(data.table).reduce((s, row) => s + (row[r.code] ?? 0), 0)]));
  const notice = takeNotice(req);
  res.render('themes/gap', {
    title: 'Perception gap',
    tabs: themeTabs,
    current: 'gap',
    gap: data,
    outcome,
    labelOf: (code: string) => label.get(code) ?? code,
    repTotals,
    buyerTotals,
    notice,
  });
}
