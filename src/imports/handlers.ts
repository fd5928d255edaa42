// CSV import pages: upload, column mapping, preview with the validation report, start, progress.
import type { Request, Response } from 'express';
import multer from 'multer';
import type { AppDeps } from '../lib/http/deps.ts';
import { lossTypeLabels } from '../deals/handlers.ts';
import { fieldErrors, parseOrThrow } from '../lib/http/validate.ts';
import { viewHelpers } from '../lib/http/views.ts';
import { CsvFileError } from './csv.ts';
import { fieldInfo, importFields, mappingFormSchema, requiredFields, type ImportField, type Mapping } from './fields.ts';
import { importLimits, messages } from './messages.ts';
import type { StoredRow } from './model.ts';
import { describeError, type RowResult } from './rows.ts';
import { columnExamples, createImport, getImport, isResumable, listImports, mappingOf, previewRows, progressOf, saveMapping, startImport } from './service.ts';
import { importIdParam, uploadFields } from './schemas.ts';
import { csvImportContract } from './jobs.ts';

const multipart = multer({
  storage: multer.memoryStorage(),
  // Browsers send the file's name as UTF-8 bytes; busboy's default would read them as Latin-1.
  defParamCharset: 'utf8',
  limits: { fileSize: importLimits.maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 10_000 },
}).single('file');

function readMultipart(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => multipart(req, res, (err: unknown) => (err ? reject(err as Error) : resolve())));
}

function renderUpload(res: Response, status: number, values: Record<string, string>, errors: Record<string, string[]> = {}): void {
  res.status(status).render('imports/new', {
    title: 'Import deals from CSV',
    values,
    errors,
    formError: undefined,
    maxMb: importLimits.maxBytes / 1024 / 1024,
    maxRows: importLimits.maxRows,
  });
}

export async function list(_req: Request, res: Response): Promise<void> {
  res.render('imports/index', { title: 'CSV imports', runs: await listImports() });
}

export function showUpload(_req: Request, res: Response): void {
  renderUpload(res, 200, { source: 'csv' });
}

export async function upload(req: Request, res: Response): Promise<void> {
  try {
    await readMultipart(req, res);
  } catch (err) {
    // Multer's limits, or a multipart body busboy cannot read (cut short, malformed): the sender's doing.
    const tooLarge = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE';
    req.log?.info({ err }, 'upload refused');
    return renderUpload(res, tooLarge ? 413 : 400, { source: 'csv' }, { file: [tooLarge ? messages.tooLarge : messages.badUpload] });
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  const values = { source: typeof body.source === 'string' ? body.source.slice(0, 100) : '' };
  const fields = uploadFields.safeParse(body);
  const errors: Record<string, string[]> = fields.success ? {} : fieldErrors(fields.error);
  if (!req.file) errors.file = [messages.noFile];
  if (!fields.success || !req.file) return renderUpload(res, 400, values, errors);
  try {
    const user = req.user!;
    const run = await createImport({ buffer: req.file.buffer, filename: req.file.originalname }, fields.data.source, {
      id: user.id,
      email: user.email,
      name: user.name,
    });
    res.redirect(303, `/imports/${String(run._id)}/map`);
  } catch (err) {
    if (err instanceof CsvFileError) return renderUpload(res, 400, values, { file: [err.message] });
    throw err;
  }
}

async function runFor(req: Request) {
  const { id } = parseOrThrow(importIdParam, req.params);
  return getImport(id);
}

const groups = ['Deal', 'Primary buyer contact', 'Outcome'] as const;

async function renderMapping(
  res: Response,
  run: Awaited<ReturnType<typeof getImport>>,
  status: number,
  selected: Partial<Record<ImportField, string>>,
  errors: Record<string, string[]> = {},
): Promise<void> {
  res.status(status).render('imports/map', {
    title: `Map the columns of ${run.filename}`,
    run,
    examples: await columnExamples(run),
    groups: groups.map((g) => ({ name: g, fields: importFields.filter((f) => fieldInfo[f].group === g) })),
    fieldInfo,
    requiredFields,
    selected,
    errors,
    formError: undefined,
  });
}

function selectedFrom(mapping: Mapping): Partial<Record<ImportField, string>> {
  return Object.fromEntries(importFields.map((f) => [f, mapping[f] === undefined ? '' : String(mapping[f])]));
}

export async function showMapping(req: Request, res: Response): Promise<void> {
  const run = await runFor(req);
  if (run.status !== 'uploaded' && run.status !== 'mapped') return res.redirect(303, `/imports/${String(run._id)}`);
  await renderMapping(res, run, 200, selectedFrom(mappingOf(run)));
}

export async function map(req: Request, res: Response): Promise<void> {
  const run = await runFor(req);
  const parsed = mappingFormSchema(run.headers.length).safeParse(req.body ?? {});
  if (!parsed.success) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typedSelection = Object.fromEntries(importFields.map((f) => [f, typeof body[`map_${f}`] === 'string' ? (body[`map_${f}`] as string) : '']));
    return renderMapping(res, run, 400, typedSelection, fieldErrors(parsed.error));
  }
  await saveMapping(String(run._id), parsed.data);
  res.redirect(303, `/imports/${String(run._id)}/preview`);
}

/** A preview row for the page: the row as it will be imported, or its cells and what is wrong. */
function previewRow({ stored, result }: { stored: StoredRow; result: RowResult }, mapping: Mapping) {
  const cell = (f: ImportField) => (mapping[f] === undefined ? '' : (stored[`c${mapping[f]}`] ?? ''));
  if (!result.ok) {
    return {
      row: stored.r,
      ok: false,
      externalId: cell('externalId'),
      name: cell('name'),
      buyerCompany: cell('buyerCompany'),
      amount: cell('amount'),
      contact: [cell('contactName'), cell('contactEmail')].filter(Boolean).join(' · '),
      status: cell('status'),
      loss: '',
      errors: result.errors.map(describeError),
    };
  }
  const { deal, outcome } = result;
  const contact = deal.contacts[0];
  const loss =
    outcome.status === 'lost'
      ? [
          lossTypeLabels[outcome.loss.lossType],
          outcome.loss.competitor,
          `reason: ${outcome.loss.reasonCode}`,
          outcome.loss.lostAt ? `on ${viewHelpers.formatDate(outcome.loss.lostAt)}` : '',
        ]
          .filter(Boolean)
          .join(' · ')
      : '';
  return {
    row: stored.r,
    ok: true,
    externalId: deal.externalId,
    name: deal.name,
    buyerCompany: deal.buyerCompany,
    amount: deal.amount === undefined ? '' : viewHelpers.formatMoney(deal.amount, deal.currency ?? 'USD'),
    contact: contact ? `${contact.name} <${contact.email}>` : '',
    status: outcome.status ?? '',
    loss,
    errors: [] as string[],
  };
}

export async function showPreview(req: Request, res: Response): Promise<void> {
  const run = await runFor(req);
  if (run.status === 'uploaded') return res.redirect(303, `/imports/${String(run._id)}/map`);
  if (run.status !== 'mapped') return res.redirect(303, `/imports/${String(run._id)}`);
  const mapping = mappingOf(run);
  res.render('imports/preview', {
    title: `Preview of ${run.filename}`,
    run,
    rows: (await previewRows(run)).map((r) => previewRow(r, mapping)),
    errors: run.preview.rowErrors.map((e) => `row ${e.row}: ${describeError({ field: (e.field ?? 'row') as ImportField, message: e.message ?? '' })}`),
    unmappedOutcome: mapping.status === undefined,
  });
}

export function start({ queue }: Pick<AppDeps, 'queue'>) {
  return async (req: Request, res: Response): Promise<void> => {
    const run = await runFor(req);
    await startImport(String(run._id), (runId) => queue.enqueue(csvImportContract, { runId }));
    res.redirect(303, `/imports/${String(run._id)}`);
  };
}

export async function show(req: Request, res: Response): Promise<void> {
  const run = await runFor(req);
  if (run.status === 'uploaded') return res.redirect(303, `/imports/${String(run._id)}/map`);
  if (run.status === 'mapped') return res.redirect(303, `/imports/${String(run._id)}/preview`);
  res.render('imports/show', {
    title: `Import of ${run.filename}`,
    run,
    progress: progressOf(run),
    resumable: isResumable(run),
    errors: run.rowErrors.map((e) => `row ${e.row}: ${describeError({ field: (e.field ?? 'row') as ImportField, message: e.message ?? '' })}`),
  });
}

export async function progressJson(req: Request, res: Response): Promise<void> {
  res.set('Cache-Control', 'no-store').json(progressOf(await runFor(req)));
}
