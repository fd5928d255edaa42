// The report, kept per process for each filtered view until the data behind it changes. Building it
// goes over every lost deal, interview and answer (src/reports/dataset.ts keeps those rows per change);
// a deal review opens the same few views again and again.
//
// What is kept is tagged with the reports' change token (src/lib/change-token.ts), read once per request,
// so a write from any process is noticed on the next view. A view whose data changed is rebuilt once (one
// build per view at a time, whoever asks); the request waits for the new build up to `waitMs`. A build
// that takes longer (a big program, or one busy with writes: every invitation sent changes the report)
// is not waited for: the last build is shown, marked as updating and with its time, and the new one
// replaces it when done. Builds longer than `waitMs` also rest between runs as long as they took, so a
// stream of writes cannot keep a core busy rebuilding.
import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import mongoose from 'mongoose';
import { changeToken, onMissedChange } from '../lib/change-token.ts';
import type { ParsedFilters } from './filters.ts';
import { buildReport, type Report } from './service.ts';

export interface ReportView {
  report: Report;
  /** When the data shown was read. */
  asOf: Date;
  /** The data changed since; a newer build is on its way. */
  updating: boolean;
}

interface Build {
  token: string;
  report: Report;
  startedAt: number;
  /** A slow build's rest: no next build of its view before this time. */
  restUntil: number;
}

export const reportCacheTimings = {
  /** How long a request waits for a rebuild before it is shown the last build instead. */
  waitMs: 200,
  /** A build older than this is rebuilt even with an unchanged token (covers a token that could not be renewed). */
  maxAgeMs: 60_000,
};

const kept = new LRUCache<string, Build>({ max: 50 });
const running = new Map<string, Promise<Build>>();
onMissedChange('reports', () => kept.clear());

function startBuild(view: string, token: string, parsed: ParsedFilters): Promise<Build> {
  const already = running.get(view);
  if (already) return already;
  const startedAt = Date.now();
  const build = buildReport(parsed)
    .then((report) => {
      const took = Date.now() - startedAt;
      const done = { token, report, startedAt, restUntil: took > reportCacheTimings.waitMs ? Date.now() + took : 0 };
      kept.set(view, done);
      return done;
    })
    .finally(() => running.delete(view));
  running.set(view, build);
  // Nobody may be waiting any more (they were shown the last build); the next request sees the failure.
  build.catch(() => undefined);
  return build;
}

const shown = (build: Build, token: string): ReportView => ({ report: build.report, asOf: new Date(build.startedAt), updating: build.token !== token });

export async function cachedReport(parsed: ParsedFilters): Promise<ReportView> {
  // The database is part of the view: a process that moves to another one (the tests do) must not be
  // shown the first one's report while the rest after a slow build lasts.
  const view = `${mongoose.connection.name}:${JSON.stringify(parsed)}`;
  const token = await changeToken('reports');
  const last = kept.get(view);
  if (last && last.token === token && Date.now() - last.startedAt < reportCacheTimings.maxAgeMs) return shown(last, token);
  // Nothing to show yet: wait for a build, however long it takes.
  if (!last) return shown(await startBuild(view, token, parsed), token);
  if (!running.has(view) && Date.now() < last.restUntil) return shown(last, token);
  const next = await Promise.race([startBuild(view, token, parsed), sleep(reportCacheTimings.waitMs, null)]);
  return shown(next ?? last, token);
}
