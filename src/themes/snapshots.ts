// Theme snapshots: each recomputation runs the pipeline over the stored answers of one theme set, keeps
// the previous run's theme ids (matched by member overlap), re-applies the marketers' curation and stores
// the result as a new snapshot, so pages and reports can say "as of". This is the contract the pages,
// the job and the reports read.
import mongoose from 'mongoose';
import { disclosureVersion } from '../disclosure/index.ts';
import { loadProgram } from '../program/index.ts';
import { applyCurations, type StoredTheme } from './curate.ts';
import { loadItems, type Item } from './items.ts';
import { ThemeCuration, ThemeSnapshot, themeSets, type SnapshotDoc } from './model.ts';
import { clusterAnswers, matchThemes, type Theme } from './pipeline/index.ts';
import type { ThemeSet, ThemeView } from './types.ts';

export interface SnapshotView {
  id: string;
  set: ThemeSet;
  asOf: Date;
  total: number;
  /** how the pipeline found the themes ("seeds": few answers, one theme per loss reason) */
  method: string;
  themes: ThemeView[];
}

/** The seed every run uses: the same answers give the same themes. */
const runSeed = 1;

type StoredSnapshot = SnapshotDoc & { _id: unknown };

function themeOf(t: {
  id: string;
  label: string;
  terms?: string[] | null;
  size: number;
  share: number;
  quotes?: { responseId: string; text: string; attribution: string }[] | null;
  memberIds?: string[] | null;
}): ThemeView {
  return {
    id: t.id,
    label: t.label,
    terms: [...(t.terms ?? [])],
    size: t.size,
    share: t.share,
    quotes: (t.quotes ?? []).map((q) => ({ responseId: q.responseId, text: q.text, attribution: q.attribution })),
    memberIds: [...(t.memberIds ?? [])],
  };
}

function viewOf(doc: StoredSnapshot): SnapshotView {
  return { id: String(doc._id), set: doc.set, asOf: doc.asOf, total: doc.total, method: doc.method ?? 'graph', themes: doc.themes.map(themeOf) };
}

const newestFirst = { asOf: -1, _id: -1 } as const;

async function latestDoc(set: ThemeSet): Promise<StoredSnapshot | null> {
  const found = (await ThemeSnapshot.findOne({ set }).sort(newestFirst).lean()) as StoredSnapshot | null;
  return found && (found.disclosure ?? 0) < disclosureVersion ? remakeQuotes(found) : found;
}

/**
 * A snapshot's quotes made again under today's disclosure rule (src/disclosure), once: its quotes were
 * worded when it was made, so a snapshot from before a change to the rule would show the old wording.
 */
async function remakeQuotes(doc: StoredSnapshot): Promise<StoredSnapshot> {
  const [items, steps] = await Promise.all([loadItems(doc.set), curationSteps(doc.set)]);
  const byId = itemMap(items);
  const raw = doc.raw.map(themeOf).map((t) => ({
    ...t,
    quotes: t.quotes.flatMap((q) => {
      const item = byId.get(q.responseId);
      return item?.quotable ? [{ responseId: item.id, text: item.quoteText, attribution: item.attribution }] : [];
    }),
  }));
  const themes = applyCurations(raw, steps, byId, doc.themes.map(themeOf));
  await ThemeSnapshot.updateOne({ _id: doc._id }, { $set: { raw, themes, disclosure: disclosureVersion } });
  return { ...doc, raw, themes, disclosure: disclosureVersion } as StoredSnapshot;
}

/**
 * Snapshots kept per theme set. The pages and reports read only the latest; the runs before it are kept
 * for a look back. Fewer is better beyond that: each holds every member id, and a buyer's erasure and
 * the retention job read every snapshot.
 */
export const keptRuns = 5;

/** Deletes the set's snapshots beyond the newest keptRuns. */
async function dropOlderRuns(set: ThemeSet): Promise<void> {
  const older = await ThemeSnapshot.find({ set }).select({ _id: 1 }).sort(newestFirst).skip(keptRuns).lean();
  if (older.length > 0) await ThemeSnapshot.deleteMany({ _id: mongoose.trusted({ $in: older.map((d) => d._id) }) });
}

export async function latestSnapshot(set: ThemeSet): Promise<SnapshotView | null> {
  const doc = await latestDoc(set);
  return doc ? viewOf(doc) : null;
}

/** The latest snapshot's stored themes, with what curation needs (raw and curated). */
export async function latestStored(set: ThemeSet): Promise<{ id: string; asOf: Date; raw: StoredTheme[]; themes: ThemeView[] } | null> {
  const doc = await latestDoc(set);
  if (!doc) return null;
  return { id: String(doc._id), asOf: doc.asOf, raw: doc.raw.map(themeOf), themes: doc.themes.map(themeOf) };
}

export async function curationSteps(set: ThemeSet) {
  return ThemeCuration.find({ set }).sort({ at: 1, _id: 1 }).lean();
}

function itemMap(items: readonly Item[]): Map<string, Item> {
  return new Map(items.map((i) => [i.id, i]));
}

/** The pipeline's themes with quotes as the pages show them (src/disclosure's quote of each answer). */
function storedRaw(themes: readonly Theme[], items: ReadonlyMap<string, Item>): ThemeView[] {
  return themes.map((t) => ({
    id: t.id,
    // The pipeline's labels are lower-case phrases ("per seat pricing"): shown as names.
    label: t.label.charAt(0).toUpperCase() + t.label.slice(1),
    terms: t.terms,
    size: t.size,
    share: t.share,
    quotes: t.quotes.flatMap((q) => {
      const item = items.get(q.id);
      return item ? [{ responseId: item.id, text: item.quoteText, attribution: item.attribution }] : [];
    }),
    memberIds: t.memberIds,
  }));
}

export async function recomputeThemes(
  set: ThemeSet,
  opts: { now?: Date; onProgress?: (fraction: number) => Promise<void> | void } = {},
): Promise<SnapshotView> {
  const progress = async (f: number): Promise<void> => {
    await opts.onProgress?.(f);
  };
  await progress(0);
  const [items, program, previous] = await Promise.all([loadItems(set), loadProgram(), latestDoc(set)]);
  await progress(0.1);
  const byId = itemMap(items);
  // With few answers the reason taxonomy defines the themes, each answer under the reason its author chose
  // (the pipeline's seedBelow).
  const seeds = program.reasons.filter((r) => r.code && r.label).map((r) => ({ id: r.code, label: r.label }));
  const result = clusterAnswers(
    items.map((i) => ({
      id: i.id,
      text: i.text,
      quotable: i.quotable,
      named: i.named,
      ...(i.author ? { author: i.author } : {}),
      ...(i.reason ? { reason: i.reason } : {}),
    })),
    { seed: runSeed, seeds },
  );
  await progress(0.8);
  const matched = matchThemes(
    (previous?.raw ?? []).map((t) => ({ id: t.id, label: t.label, memberIds: t.memberIds ?? [] })),
    result.themes,
  );
  const raw = storedRaw(matched, byId);
  // Read the curation last, so that a change made while the pipeline ran is in this snapshot.
  const steps = await curationSteps(set);
  const themes = applyCurations(raw, steps, byId, (previous?.themes ?? []).map(themeOf));
  await progress(0.9);
  const doc = await ThemeSnapshot.create({
    set,
    asOf: opts.now ?? new Date(),
    total: items.length,
    method: result.method,
    ms: Math.round(result.timings.total),
    raw,
    themes,
    disclosure: disclosureVersion,
  });
  await dropOlderRuns(set);
  await progress(1);
  return viewOf(doc.toObject() as StoredSnapshot);
}

/** Deletes the snapshots taken before `cutoff`, except each set's latest (the one the pages show); returns how many. */
export async function dropSnapshotsBefore(cutoff: Date): Promise<number> {
  const latest = await Promise.all(themeSets.map((set) => ThemeSnapshot.findOne({ set }).sort(newestFirst).select({ _id: 1 }).lean()));
  const { deletedCount } = await ThemeSnapshot.deleteMany({
    asOf: mongoose.trusted({ $lt: cutoff }),
    _id: mongoose.trusted({ $nin: latest.flatMap((l) => (l ? [l._id] : [])) }),
  });
  return deletedCount;
}

/**
 * Re-applies all curation to the latest snapshot's themes (after a marketer's change), in place: the
 * snapshot keeps its "as of" time, as no answers were re-read into themes.
 */
export async function recurateLatest(set: ThemeSet): Promise<SnapshotView | null> {
  const doc = await latestDoc(set);
  if (!doc) return null;
  const [items, steps] = await Promise.all([loadItems(set), curationSteps(set)]);
  const themes = applyCurations(doc.raw.map(themeOf), steps, itemMap(items), doc.themes.map(themeOf));
  await ThemeSnapshot.updateOne({ _id: doc._id }, { $set: { themes } });
  return { id: String(doc._id), set, asOf: doc.asOf, total: doc.total, method: doc.method ?? 'graph', themes };
}
