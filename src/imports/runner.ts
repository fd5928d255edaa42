// Imports a queued run's rows, chunk by chunk, in the job worker. Every valid row goes through the deal
// lifecycle (upsertDeal, then markLost or changeOutcome, all 'csv'), so it lands in the deal's history
// and a newly lost deal plans its one interview (a newly won one too, if the program samples it in). A row is checked whole before anything is written for
// it; a bad row is skipped and reported. Counters and the run's place (processedChunks) are saved after
// each chunk, so a run that stops (a crash, a restarted worker) resumes after its last finished chunk;
// the rows of an unfinished chunk are read again, and the lifecycle's idempotence makes that harmless.
import mongoose from 'mongoose';
import type { Actor } from '../audit/index.ts';
import { changeOutcome, markLost, upsertDeal, type StoredDeal } from '../deals/lifecycle.ts';
import { Deal } from '../deals/model.ts';
import type { DealInput, LossInput } from '../deals/schemas.ts';
import { AppError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import { loadProgram } from '../program/index.ts';
import { importLimits } from './messages.ts';
import { counterNames, ImportRun, type Counters, type ImportRunDoc } from './model.ts';
import { dealFingerprint, mergeDeal, mergeLoss, readRow, sameLoss, type RowError, type RowResult } from './rows.ts';
import { dropImportRows, loadChunk, mappingOf, rowContext } from './service.ts';

export interface RunnerContext {
  logger: Logger;
  /** Extends the job's lock (agenda's touch). */
  touch(): Promise<void>;
}

type Kind = 'created' | 'updated' | 'unchanged';
type RowDone = { ok: true; kind: Kind; deal: StoredDeal; lost: boolean; interview: boolean } | { ok: false; errors: RowError[] };

/** What the row asks of the deal, checked against the stored deal before anything is written. */
function plan(
  result: Extract<RowResult, { ok: true }>,
  existing: StoredDeal | undefined,
): { ok: true; deal: DealInput; loss?: LossInput } | { ok: false; errors: RowError[] } {
  const outcome = result.outcome;
  if (!existing) return { ok: true, deal: result.deal, ...(outcome.status === 'lost' ? { loss: outcome.loss } : {}) };
  const merged = mergeDeal(result, existing);
  if (!merged.ok) return merged;
  if (outcome.status !== 'lost') return { ok: true, deal: merged.deal };
  if (existing.status !== 'lost') return { ok: true, deal: merged.deal, loss: outcome.loss };
  const loss = mergeLoss(outcome, result.row, existing);
  return loss.ok ? { ok: true, deal: merged.deal, loss: loss.loss } : loss;
}

async function importRow(result: Extract<RowResult, { ok: true }>, existing: StoredDeal | undefined, actor: Actor): Promise<RowDone> {
  const planned = plan(result, existing);
  if (!planned.ok) return planned;
  let deal: StoredDeal;
  let kind: Kind;
  if (existing && dealFingerprint(planned.deal) === dealFingerprint(existing)) {
    // Nothing to change: upsertDeal would read the deal only to find that out.
    deal = existing;
    kind = 'unchanged';
  } else {
    const upserted = await upsertDeal(planned.deal, actor, 'csv', existing ?? null);
    deal = upserted.deal;
    kind = upserted.created ? 'created' : 'updated';
  }
  const changed = (): Kind => (kind === 'unchanged' ? 'updated' : kind);
  let lost = false;
  let interview = false;
  const status = result.outcome.status;
  if (status === 'lost' && planned.loss) {
    if (deal.status !== 'lost' || !sameLoss(deal, planned.loss)) {
      const marked = await markLost(deal._id, planned.loss, actor, 'csv');
      lost = marked.plan.outcome !== 'already_lost';
      interview = marked.plan.outcome === 'planned';
      deal = marked.deal;
      kind = changed();
    }
  } else if ((status === 'open' || status === 'won') && deal.status !== status) {
    const wonAt = result.outcome.status === 'won' ? result.outcome.wonAt : undefined;
    const outcome = await changeOutcome(deal._id, status, actor, 'csv', new Date(), wonAt);
    deal = outcome.deal;
    interview = outcome.plan?.outcome === 'planned';
    kind = changed();
  }
  return { ok: true, kind, deal, lost, interview };
}

function zeroCounters(): Counters {
  return Object.fromEntries(counterNames.map((n) => [n, 0])) as Counters;
}

/** Imports the run's remaining chunks. Returns quietly for a run that is not queued or running. */
export async function runImport(runId: string, ctx: RunnerContext): Promise<void> {
  const run = await ImportRun.findById(runId).lean<ImportRunDoc>();
  if (!run || (run.status !== 'queued' && run.status !== 'running')) {
    ctx.logger.info({ runId, status: run?.status ?? 'missing' }, 'import run is not waiting to run; nothing to do');
    return;
  }
  await ImportRun.updateOne({ _id: run._id }, { $set: { status: 'running', startedAt: run.startedAt ?? new Date() } });
  const actor: Actor = { type: 'user', id: run.createdBy.id, email: run.createdBy.email };
  const program = await loadProgram();
  const rowCtx = rowContext(run, mappingOf(run), program.reasons);
  const keptErrors = run.rowErrors.map((e) => ({ row: e.row ?? 0, field: e.field ?? 'row', message: e.message ?? '' }));
  const keptDeals = run.deals.map((d) => ({ id: d.id, name: d.name }));
  let lastTouch = Date.now();
  const started = Date.now();

  for (let index = run.processedChunks; index < run.chunkCount; index += 1) {
    const results = (await loadChunk(run._id, index)).map((row) => readRow(row, rowCtx));
    const tally = zeroCounters();
    // The chunk's deals that exist already, in one query (by source and external id).
    const ids = [...new Set(results.flatMap((r) => (r.ok ? [r.deal.externalId] : [])))];
    const found = ids.length ? await Deal.find({ source: run.source, externalId: mongoose.trusted({ $in: ids }) }).lean<StoredDeal[]>() : [];
    const existing = new Map(found.map((d) => [d.externalId, d]));

    for (const result of results) {
      tally.processed += 1;
      let done: RowDone;
      if (!result.ok) done = result;
      else {
        try {
          done = await importRow(result, existing.get(result.deal.externalId), actor);
        } catch (err) {
          // An expected refusal (the deal went away mid-import) fails the row; anything else stops the run.
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          done = { ok: false, errors: [{ row: result.row, field: 'row', message: err.message }] };
        }
      }
      if (!done.ok) {
        tally.failed += 1;
        for (const e of done.errors) if (keptErrors.length < importLimits.keptErrors) keptErrors.push(e);
      } else {
        tally[done.kind] += 1;
        if (done.lost) tally.lost += 1;
        if (done.interview) tally.interviews += 1;
        existing.set(done.deal.externalId, done.deal); // the same id again later in the file
        if (done.kind !== 'unchanged' && keptDeals.length < 20 && !keptDeals.some((d) => String(d.id) === String(done.deal._id)))
          keptDeals.push({ id: done.deal._id, name: done.deal.name });
      }
      if (Date.now() - lastTouch > 30_000) {
        await ctx.touch();
        lastTouch = Date.now();
      }
    }
    const inc = Object.fromEntries(counterNames.map((n) => [`counters.${n}`, tally[n]]));
    await ImportRun.updateOne(
      { _id: run._id, processedChunks: index },
      { $inc: inc, $set: { processedChunks: index + 1, rowErrors: keptErrors, deals: keptDeals } },
    );
    await ctx.touch();
    lastTouch = Date.now();
  }

  await ImportRun.updateOne({ _id: run._id }, { $set: { status: 'done', finishedAt: new Date() } });
  await dropImportRows(run);
  ctx.logger.info({ runId, rows: run.rowCount, ms: Date.now() - started }, 'CSV import done');
}

/** After an error that stopped the run: mark it failed, resumable from its last finished chunk. */
export async function failImport(runId: string, message: string): Promise<void> {
  await ImportRun.updateOne(
    { _id: runId, status: mongoose.trusted({ $in: ['queued', 'running'] }) },
    { $set: { status: 'failed', failure: message.slice(0, 1000), finishedAt: new Date() } },
  );
}
