// The CSV import's steps before the worker takes over: store an upload as a run and its row chunks,
// save the column mapping with a validation report over every row, and queue the run. Services take
// typed input and the acting user, never req/res; they throw AppErrors a page can show.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import { Binary } from 'mongodb';
import mongoose, { type Types } from 'mongoose';
import { AppError, NotFoundError } from '../lib/errors.ts';
import { loadProgram } from '../program/index.ts';
import { parseCsv } from './csv.ts';
import { guessMapping, importFields, type Mapping } from './fields.ts';
import { importLimits, messages } from './messages.ts';
import { chunkId, ImportChunk, ImportRun, type ImportRunDoc, type StoredRow } from './model.ts';
import { isDayFirstDate, readRow, toStoredRow, type RowContext, type RowError, type RowResult } from './rows.ts';

// zlib on libuv's thread pool: a chunk is (de)compressed without holding the event loop.
const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

export interface Uploader {
  id: string;
  email: string;
  name?: string;
}

export class ImportStateError extends AppError {
  constructor(message: string) {
    super(409, 'import_state', message);
  }
}

/** Stores an uploaded file as an import run with its rows; throws CsvFileError for a file we cannot take. */
export async function createImport(file: { buffer: Buffer; filename: string }, source: string, by: Uploader): Promise<ImportRunDoc> {
  await expireStaleImports();
  const csv = await parseCsv(file.buffer);
  // Rows into chunks of at most rowsPerChunk rows and about charsPerChunk characters, noting on the way
  // the columns with day-first dates; other requests get a turn every chunk.
  const chunks: StoredRow[][] = [];
  const dayFirst = new Set<number>();
  let chunk: StoredRow[] = [];
  let chars = 0;
  for (const parsed of csv.rows) {
    const row = toStoredRow(parsed, csv.headers.length);
    let size = 16;
    for (const [key, value] of Object.entries(row)) {
      size += key.length + String(value).length + 8;
      if (typeof value === 'string' && isDayFirstDate(value)) dayFirst.add(Number(key.slice(1)));
    }
    if (chunk.length > 0 && (chunk.length >= importLimits.rowsPerChunk || chars + size > importLimits.charsPerChunk)) {
      chunks.push(chunk);
      chunk = [];
      chars = 0;
      await nextTurn();
    }
    chunk.push(row);
    chars += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  const run = await ImportRun.create({
    source,
    filename: file.filename.slice(0, 200) || 'upload.csv',
    delimiter: csv.delimiter,
    headers: csv.headers,
    rowCount: csv.rows.length,
    chunkCount: chunks.length,
    mapping: guessMapping(csv.headers),
    dayFirstColumns: [...dayFirst].sort((a, b) => a - b),
    createdBy: { id: by.id, email: by.email, name: by.name },
  });
  try {
    // A few chunks per insert: fewer round trips, each message well below the wire protocol's limit.
    for (let i = 0; i < chunks.length; i += 4) {
      const docs = await Promise.all(
        chunks
          .slice(i, i + 4)
          .map(async (c, k) => ({ _id: chunkId(run._id, i + k), runId: run._id, index: i + k, rowCount: c.length, rows: await deflate(JSON.stringify(c)) })),
      );
      await ImportChunk.insertMany(docs, { lean: true });
    }
  } catch (err) {
    await deleteChunks(run._id);
    await ImportRun.deleteOne({ _id: run._id });
    throw err;
  }
  return run.toObject() as ImportRunDoc;
}

export async function getImport(id: string): Promise<ImportRunDoc> {
  const run = await ImportRun.findById(id).lean<ImportRunDoc>();
  if (!run) throw new NotFoundError('We could not find that import.');
  return run;
}

export async function loadChunk(runId: Types.ObjectId | string, index: number): Promise<StoredRow[]> {
  const chunk = await ImportChunk.findById(chunkId(runId, index)).lean<{ rows: Buffer | Binary }>();
  if (!chunk) throw new ImportStateError(messages.stale);
  const bytes = chunk.rows instanceof Binary ? chunk.rows.buffer : chunk.rows;
  return JSON.parse((await inflate(bytes)).toString('utf8')) as StoredRow[];
}

async function deleteChunks(runId: Types.ObjectId): Promise<void> {
  await ImportChunk.deleteMany({ runId });
}

/** Removes the rows of an import that is over (they hold buyer contacts that no longer need keeping). */
export async function dropImportRows(run: Pick<ImportRunDoc, '_id'>): Promise<void> {
  await ImportRun.updateOne({ _id: run._id }, { $set: { rowsDropped: true } });
  await deleteChunks(run._id);
}

/**
 * Uploads not started, and stopped imports not resumed, within staleUploadHours: their rows go (they
 * hold buyer contacts), and the run says why.
 */
export async function expireStaleImports(now = new Date()): Promise<number> {
  const before = mongoose.trusted({ $lt: new Date(now.getTime() - importLimits.staleUploadHours * 3600_000) });
  const fields = { _id: 1, chunkCount: 1 };
  type Stale = Pick<ImportRunDoc, '_id' | 'chunkCount'>;
  const notStarted = await ImportRun.find({ status: mongoose.trusted({ $in: ['uploaded', 'mapped'] }), createdAt: before })
    .select(fields)
    .lean<Stale[]>();
  const notResumed = await ImportRun.find({ status: 'failed', rowsDropped: false, updatedAt: before }).select(fields).lean<Stale[]>();
  for (const run of notStarted) await ImportRun.updateOne({ _id: run._id }, { $set: { status: 'failed', failure: messages.stale, finishedAt: now } });
  for (const run of notResumed) await ImportRun.updateOne({ _id: run._id }, { $set: { failure: messages.staleStopped } });
  for (const run of [...notStarted, ...notResumed]) await dropImportRows(run);
  return notStarted.length + notResumed.length;
}

/** A stopped import whose rows are still there: it can go on from where it stopped. */
export function isResumable(run: Pick<ImportRunDoc, 'status' | 'rowsDropped' | 'processedChunks' | 'chunkCount'>): boolean {
  return run.status === 'failed' && !run.rowsDropped && run.processedChunks < run.chunkCount;
}

export function rowContext(run: Pick<ImportRunDoc, 'source' | 'dateOrder'>, mapping: Mapping, reasons: RowContext['reasons']): RowContext {
  return { source: run.source, mapping, reasons, dateOrder: run.dateOrder === 'dmy' ? 'dmy' : 'mdy' };
}

/** The mapping stored on a run, as a plain Mapping (fields without a column left out). */
export function mappingOf(run: Pick<ImportRunDoc, 'mapping'>): Mapping {
  const stored = (run.mapping ?? {}) as Record<string, number | null | undefined>;
  const mapping: Mapping = {};
  for (const f of importFields) if (typeof stored[f] === 'number') mapping[f] = stored[f];
  return mapping;
}

/** Up to `count` non-empty example values per column, from the first rows (for the mapping page). */
export async function columnExamples(run: ImportRunDoc, count = 2): Promise<string[][]> {
  const rows = await loadChunk(run._id, 0);
  return run.headers.map((_h, i) => {
    const seen: string[] = [];
    for (const row of rows.slice(0, 200)) {
      const v = row[`c${i}`];
      if (v && !seen.includes(v)) seen.push(v.length > 40 ? `${v.slice(0, 40)}…` : v);
      if (seen.length >= count) break;
    }
    return seen;
  });
}

export interface PreviewReport {
  valid: number;
  invalid: number;
  errors: RowError[];
}

/**
 * Saves the mapping and reads every row with it (the same reading the job does), keeping the counts and
 * the first errors on the run. Chunk by chunk, awaiting the database between them, so a 50,000-row file
 * never holds the web process for long.
 */
export async function saveMapping(id: string, mapping: Mapping): Promise<PreviewReport> {
  const run = await getImport(id);
  if (run.status !== 'uploaded' && run.status !== 'mapped') throw new ImportStateError(messages.notMappable);
  const program = await loadProgram();
  const dateOrder = mapping.lostAt !== undefined && run.dayFirstColumns.includes(mapping.lostAt) ? 'dmy' : 'mdy';
  const ctx = rowContext({ source: run.source, dateOrder }, mapping, program.reasons);
  const report: PreviewReport = { valid: 0, invalid: 0, errors: [] };
  // The next chunk is read while this one is checked: the engine works while this process validates.
  let next = loadChunk(run._id, 0);
  for (let i = 0; i < run.chunkCount; i += 1) {
    const rows = await next;
    if (i + 1 < run.chunkCount) {
      next = loadChunk(run._id, i + 1);
      next.catch(() => {}); // awaited (and thrown) on the next turn; this only keeps it from counting as unhandled
    }
    for (const row of rows) {
      const result = readRow(row, ctx);
      if (result.ok) report.valid += 1;
      else {
        report.invalid += 1;
        for (const e of result.errors) if (report.errors.length < importLimits.previewErrors) report.errors.push(e);
      }
    }
  }
  const updated = await ImportRun.updateOne(
    { _id: run._id, status: mongoose.trusted({ $in: ['uploaded', 'mapped'] }) },
    { $set: { mapping, dateOrder, status: 'mapped', preview: { valid: report.valid, invalid: report.invalid, rowErrors: report.errors } } },
  );
  if (updated.matchedCount === 0) throw new ImportStateError(messages.notMappable);
  return report;
}

/** The first rows as stored and as they will be imported (or why not). */
export async function previewRows(run: ImportRunDoc): Promise<{ stored: StoredRow; result: RowResult }[]> {
  const program = await loadProgram();
  const ctx = rowContext(run, mappingOf(run), program.reasons);
  const out: { stored: StoredRow; result: RowResult }[] = [];
  for (let i = 0; i < run.chunkCount && out.length < importLimits.previewRows; i += 1) {
    for (const stored of (await loadChunk(run._id, i)).slice(0, importLimits.previewRows - out.length)) out.push({ stored, result: readRow(stored, ctx) });
  }
  return out;
}

/**
 * Queues a mapped run, or a failed one again (it resumes after its last imported chunk), and enqueues
 * its job. Returns false when the run is already queued or running (a second click, another tab).
 */
export async function startImport(id: string, enqueue: (runId: string) => Promise<void>): Promise<boolean> {
  const run = await getImport(id);
  if (run.status === 'queued' || run.status === 'running') return false;
  if (run.status !== 'mapped' && !isResumable(run)) throw new ImportStateError(messages.notStartable);
  if (run.status === 'mapped' && run.preview.valid === 0) throw new ImportStateError(messages.nothingValid);
  const updated = await ImportRun.updateOne({ _id: run._id, status: run.status }, { $set: { status: 'queued', queuedAt: new Date() }, $unset: { failure: 1 } });
  if (updated.modifiedCount !== 1) return false;
  try {
    await enqueue(String(run._id));
  } catch (err) {
    await ImportRun.updateOne({ _id: run._id, status: 'queued' }, { $set: { status: run.status, ...(run.failure ? { failure: run.failure } : {}) } });
    throw err;
  }
  return true;
}

export async function listImports(limit = 50) {
  return ImportRun.find({})
    .select({ status: 1, source: 1, filename: 1, rowCount: 1, counters: 1, createdBy: 1, createdAt: 1, finishedAt: 1 })
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean<Pick<ImportRunDoc, '_id' | 'status' | 'source' | 'filename' | 'rowCount' | 'counters' | 'createdBy' | 'createdAt' | 'finishedAt'>[]>();
}

export interface ImportProgress {
  id: string;
  status: ImportRunDoc['status'];
  rowCount: number;
  processed: number;
  counters: ImportRunDoc['counters'];
  errorCount: number;
  failure: string | null;
  finished: boolean;
}

export function progressOf(run: ImportRunDoc): ImportProgress {
  return {
    id: String(run._id),
    status: run.status,
    rowCount: run.rowCount,
    processed: run.counters?.processed ?? 0,
    counters: run.counters,
    errorCount: run.counters?.failed ?? 0,
    failure: run.failure ?? null,
    finished: run.status === 'done' || run.status === 'failed',
  };
}
