// Marketers' curation of a theme set: rename a theme, merge two, split one, move an answer, pin or hide
// a quote. Each change is checked against the themes as shown, stored as a curation record (replayed
// after every recomputation, see curate.ts), applied to the latest snapshot at once, and audited.
// Throws NotFoundError for an unknown theme and ValidationError keyed by the form's field otherwise.
import type { Actor } from '../audit/index.ts';
import { audit } from '../audit/index.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import { splitMembers } from './curate.ts';
import { loadItems } from './items.ts';
import { messages } from './messages.ts';
import { ThemeCuration, type CurationKind } from './model.ts';
import { UNCLEAR_ID } from './pipeline/index.ts';
import { latestStored, recurateLatest } from './snapshots.ts';
import type { ThemeSet, ThemeView } from './types.ts';

export type QuoteAction = 'pin' | 'unpin' | 'hide' | 'unhide';

async function current(set: ThemeSet, themeId: string): Promise<{ themes: ThemeView[]; theme: ThemeView }> {
  const stored = await latestStored(set);
  const theme = stored?.themes.find((t) => t.id === themeId);
  if (!stored || !theme) throw new NotFoundError(messages.errors.noTheme);
  return { themes: stored.themes, theme };
}

async function record(set: ThemeSet, kind: CurationKind, fields: Record<string, unknown>, actor: Actor, details: Record<string, string>): Promise<void> {
  await ThemeCuration.create({ set, kind, ...fields, at: new Date(), byEmail: actor.email });
  await audit(actor, `themes.${kind}`, `${set}/${String(fields.themeId ?? fields.responseId ?? '')}`, details);
  await recurateLatest(set);
}

export async function renameTheme(set: ThemeSet, themeId: string, label: string, actor: Actor): Promise<{ from: string; to: string }> {
  const { themes, theme } = await current(set, themeId);
  if (theme.id === UNCLEAR_ID) throw new ValidationError({ label: [messages.errors.unclearFixed] });
  const taken = themes.find((t) => t.id !== theme.id && t.label.trim().toLowerCase() === label.trim().toLowerCase());
  if (taken) throw new ValidationError({ label: [messages.errors.labelTaken(taken.label)] });
  if (theme.label === label) return { from: theme.label, to: label };
  await record(set, 'rename', { themeId, label }, actor, { from: theme.label, to: label });
  return { from: theme.label, to: label };
}

export async function mergeTheme(set: ThemeSet, themeId: string, into: string, actor: Actor): Promise<{ from: string; into: string }> {
  const { themes, theme } = await current(set, themeId);
  if (into === themeId) throw new ValidationError({ mergeInto: [messages.errors.mergeSelf] });
  const target = themes.find((t) => t.id === into);
  if (!target || target.id === UNCLEAR_ID || theme.id === UNCLEAR_ID) throw new ValidationError({ mergeInto: [messages.errors.intoUnknown] });
  await record(set, 'merge', { themeId, into }, actor, { from: theme.label, into: target.label });
  return { from: theme.label, into: target.label };
}

export async function splitTheme(set: ThemeSet, themeId: string, actor: Actor): Promise<{ label: string; parts: string[] }> {
  const { theme } = await current(set, themeId);
  if (theme.id === UNCLEAR_ID) throw new ValidationError({ split: [messages.errors.unclearFixed] });
  const items = new Map((await loadItems(set)).map((i) => [i.id, i]));
  const halves = splitMembers(theme.memberIds, items, theme.label);
  if (!halves) throw new ValidationError({ split: [messages.errors.splitTooSmall] });
  const parts = halves.map((h, i) => ({ id: `${themeId}.${i + 1}`, label: h.label }));
  await record(set, 'split', { themeId, parts }, actor, { theme: theme.label, into: parts.map((p) => p.label).join(' | ') });
  return { label: theme.label, parts: parts.map((p) => p.label) };
}

export async function moveAnswer(set: ThemeSet, themeId: string, responseId: string, into: string, actor: Actor): Promise<{ into: string }> {
  const { themes, theme } = await current(set, themeId);
  if (!theme.memberIds.includes(responseId)) throw new ValidationError({ moveTo: [messages.errors.answerUnknown] });
  if (into === themeId) throw new ValidationError({ moveTo: [messages.errors.moveSame] });
  const target = themes.find((t) => t.id === into);
  if (!target) throw new ValidationError({ moveTo: [messages.errors.intoUnknown] });
  await record(set, 'move', { themeId, responseId, into }, actor, { from: theme.label, into: target.label });
  return { into: target.label };
}

export async function markQuote(set: ThemeSet, themeId: string, responseId: string, action: QuoteAction, actor: Actor): Promise<void> {
  const { theme } = await current(set, themeId);
  if (!theme.memberIds.includes(responseId)) throw new ValidationError({ quote: [messages.errors.answerUnknown] });
  if (action === 'pin') {
    const [item] = await loadItems(set, [responseId]);
    if (!item?.quotable) throw new ValidationError({ quote: [messages.errors.notQuotable] });
  }
  await record(set, action, { themeId, responseId }, actor, { theme: theme.label });
}
