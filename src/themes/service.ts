// What the themes pages read: a set's latest snapshot with its run status, and one theme with its
// answers (paged) and what the curation forms need. Never sees req/res.
import { pageSize, type Page } from '../lib/paging.ts';
import { NotFoundError } from '../lib/errors.ts';
import { loadProgram } from '../program/index.ts';
import { quoteMarks } from './curate.ts';
import { existingItemIds, loadItems } from './items.ts';
import { messages } from './messages.ts';
import { linkThemes, UNCLEAR_ID } from './pipeline/index.ts';
import { runStatus, type RunStatus } from './runs.ts';
import { pendingRunAt } from './schedule.ts';
import { curationSteps, latestSnapshot, type SnapshotView } from './snapshots.ts';
import type { ThemeSet, ThemeView } from './types.ts';

/** A theme of the other outcome's set about the same thing (linkThemes): where deals are decided. */
export interface LinkedTheme {
  set: ThemeSet;
  id: string;
  label: string;
  size: number;
}

export interface SetPage {
  set: ThemeSet;
  snapshot: SnapshotView | null;
  status: RunStatus;
  /** When the run for answers that arrived since starts, if one is waiting. */
  pendingAt: Date | null;
  /** This set's theme id -> the theme of the other outcome it is linked to (why we lose <-> why we win). */
  linked: Map<string, LinkedTheme>;
}

/** The buyers' reasons of the other outcome: losses' for wins, wins' for losses. */
export const otherSide: Partial<Record<ThemeSet, ThemeSet>> = { reasons: 'wins', wins: 'reasons' };

/** Each theme of `snapshot` linked to one of the other outcome's latest themes, if any. */
export async function linkedThemes(set: ThemeSet, snapshot: Pick<SnapshotView, 'themes'> | null): Promise<Map<string, LinkedTheme>> {
  const other = otherSide[set];
  const theirs = other && snapshot ? await latestSnapshot(other) : null;
  if (!other || !snapshot || !theirs) return new Map();
  const byId = new Map(theirs.themes.map((t) => [t.id, t]));
  return new Map(
    linkThemes(snapshot.themes, theirs.themes).map((l) => {
      const t = byId.get(l.b)!;
      return [l.a, { set: other, id: t.id, label: t.label, size: t.size }] as const;
    }),
  );
}

export async function setPage(set: ThemeSet): Promise<SetPage> {
  const [snapshot, status, pendingAt] = await Promise.all([latestSnapshot(set), runStatus(set), pendingRunAt()]);
  return { set, snapshot, status, pendingAt, linked: await linkedThemes(set, snapshot) };
}

export interface MemberRow {
  id: string;
  /** the answer and who said it, as a theme's list of answers may show them (src/disclosure) */
  text: string;
  who: string;
  reason: string;
  permission: 'named' | 'anonymous' | 'internal' | 'staff';
  quoted: boolean;
  pinned: boolean;
  hidden: boolean;
}

export interface ThemeDetail {
  set: ThemeSet;
  asOf: Date;
  theme: ThemeView;
  unclear: boolean;
  /** the other themes, for the merge and move choices */
  others: { id: string; label: string; unclear: boolean }[];
  members: Page<MemberRow>;
}

export async function themeDetail(set: ThemeSet, themeId: string, page: number): Promise<ThemeDetail> {
  const snapshot = await latestSnapshot(set);
  const theme = snapshot?.themes.find((t) => t.id === themeId);
  if (!snapshot || !theme) throw new NotFoundError(messages.errors.noTheme);
  const [existing, steps, program] = await Promise.all([existingItemIds(set, theme.memberIds), curationSteps(set), loadProgram()]);
  const labels = new Map(program.reasons.map((r) => [r.code, r.label]));
  const marks = quoteMarks(steps);
  const quoted = new Set(theme.quotes.map((q) => q.responseId));
  const ids = theme.memberIds.filter((id) => existing.has(id));
  const pages = Math.max(1, Math.ceil(ids.length / pageSize));
  const current = Math.min(page, pages);
  const shown = ids.slice((current - 1) * pageSize, current * pageSize);
  const byId = new Map((await loadItems(set, shown)).map((i) => [i.id, i]));
  const rows = shown
    .filter((id) => byId.has(id))
    .map((id) => {
      const item = byId.get(id)!;
      return {
        id,
        text: item.listText,
        who: item.listAttribution,
        reason: item.reason ? (labels.get(item.reason) ?? item.reason) : '—',
        permission: item.permission,
        quoted: quoted.has(id),
        pinned: marks.pinned.has(id),
        hidden: marks.hidden.has(id),
      };
    });
  return {
    set,
    asOf: snapshot.asOf,
    theme,
    unclear: theme.id === UNCLEAR_ID,
    others: snapshot.themes.filter((t) => t.id !== theme.id).map((t) => ({ id: t.id, label: t.label, unclear: t.id === UNCLEAR_ID })),
    members: { items: rows, total: ids.length, page: current, pages },
  };
}
