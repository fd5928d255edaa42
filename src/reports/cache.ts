// The report, kept per process for each filtered view until the data behind it changes. Building it
// reads every lost deal, interview and answer (the embedded engine has no aggregation to push that down
// to), which takes a second or more at 5,000 answers; a deal review opens the same few views again and
// again. What is kept is keyed by the reports' change token (src/lib/change-token.ts), read once per
// request, so a write from any process shows at once; the time limit only covers a token that could not
// be renewed.
import { LRUCache } from 'lru-cache';
import { changeToken, onMissedChange } from '../lib/change-token.ts';
import type { ParsedFilters } from './filters.ts';
import { buildReport, type Report } from './service.ts';

const cache = new LRUCache<string, Report, ParsedFilters>({
  max: 50,
  ttl: 60_000,
  // Concurrent requests for the same view wait for one build instead of each starting their own.
  fetchMethod: (_key, _stale, { context }) => buildReport(context),
});
onMissedChange('reports', () => cache.clear());

export async function cachedReport(parsed: ParsedFilters): Promise<Report> {
  const token = await changeToken('reports');
  const report = await cache.fetch(`${token} ${JSON.stringify(parsed)}`, { context: parsed });
  // fetch() resolves undefined only when the fetch is aborted, which nothing here does.
  return report ?? buildReport(parsed);
}
