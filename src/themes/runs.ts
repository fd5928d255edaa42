// The state of each theme set's latest recomputation (queued, running with its progress, done or failed),
// and the run itself as the job does it. Kept apart from schedule.ts so that the job and the scheduler
// do not import each other.
import { themeEvents } from './events.ts';
import { themeSets, ThemeRun } from './model.ts';
import { recomputeThemes } from './snapshots.ts';
import type { ThemeSet } from './types.ts';

/** A run queued or running for longer than this is taken to have died (the worker stopped). */
const staleMs = 15 * 60_000;

export interface RunStatus {
  state: 'queued' | 'running' | 'done' | 'failed' | 'none';
  /** 0 to 1 */
  progress: number;
  finishedAt: Date | null;
  error: string | null;
}

export async function runStatus(set: ThemeSet, now = new Date()): Promise<RunStatus> {
  const doc = await ThemeRun.findById(set).lean();
  if (!doc) return { state: 'none', progress: 0, finishedAt: null, error: null };
  const active = doc.state === 'queued' || doc.state === 'running';
  const stale = active && now.getTime() - new Date(doc.updatedAt ?? doc.requestedAt ?? 0).getTime() > staleMs;
  return {
    state: stale ? 'failed' : doc.state,
    progress: doc.progress ?? 0,
    finishedAt: doc.finishedAt ?? null,
    error: stale ? 'The run stopped without finishing.' : (doc.error ?? null),
  };
}

/**
 * What the job does: recompute the given sets (all when none), one after the other, keeping each set's
 * status and progress, and calling `touch` so that the job's lock outlives a long run.
 */
export async function runRecompute(
  sets: readonly ThemeSet[] = themeSets,
  opts: { touch?: (progress: number) => Promise<void>; now?: () => Date } = {},
): Promise<void> {
  const clock = opts.now ?? (() => new Date());
  for (const [i, set] of sets.entries()) {
    await ThemeRun.updateOne({ _id: set }, { $set: { state: 'running', progress: 0, startedAt: clock() }, $unset: { error: 1 } }, { upsert: true });
    let last = -1;
    try {
      await recomputeThemes(set, {
        now: clock(),
        onProgress: async (fraction) => {
          if (fraction - last < 0.05 && fraction < 1) return;
          last = fraction;
          await ThemeRun.updateOne({ _id: set }, { $set: { progress: fraction } });
          await opts.touch?.(Math.round(((i + fraction) / sets.length) * 100));
        },
      });
      await ThemeRun.updateOne({ _id: set }, { $set: { state: 'done', progress: 1, finishedAt: clock() } });
    } catch (err) {
      await ThemeRun.updateOne(
        { _id: set },
        { $set: { state: 'failed', finishedAt: clock(), error: 'The run failed because of an error on our side (it is in the worker’s log).' } },
      );
      throw err;
    }
    await themeEvents.fire({ type: 'updated', set, at: clock() });
  }
}
