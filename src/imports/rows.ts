// One CSV row turned into what every way in shares: a DealInput (dealInput schema) and, for a lost row,
// a LossInput (lossInput schema), or the errors per field. The preview and the import job both read rows
// here, so a row the preview passes is a row the job imports. CSV cells are text: amounts, dates,
// statuses and loss types are read from the spellings CRMs export before the schemas see them.
import type { z } from 'zod';
import { dealInput, lossInput, type DealInput, type LossInput } from '../deals/schemas.ts';
import type { StoredDeal } from '../deals/lifecycle.ts';
import type { lossTypes } from '../deals/model.ts';
import type { ReasonCode } from '../program/index.ts';
import { fieldInfo, normaliseHeader, type ImportField, type Mapping } from './fields.ts';
import { messages } from './messages.ts';
import type { CsvRow } from './csv.ts';
import type { StoredRow } from './model.ts';

export type DateOrder = 'dmy' | 'mdy';

export interface RowContext {
  source: string;
  mapping: Mapping;
  reasons: readonly ReasonCode[];
  dateOrder: DateOrder;
}

export interface RowError {
  row: number;
  field: ImportField | 'row';
  message: string;
}

/** The optional deal fields a row can fill; a field the row leaves empty keeps the deal's value. */
const optionalDealFields = ['amount', 'currency', 'segment', 'productLine', 'region', 'ownerEmail', 'ownerName'] as const;
type OptionalDealField = (typeof optionalDealFields)[number];
type LossField = 'lossType' | 'reasonCode' | 'reasonNote' | 'competitor' | 'lostAt';

export type RowOutcome =
  | { status: undefined }
  | { status: 'open' }
  // wonAt: the row's close date (the "Lost on" column), which a won deal's interview counts from
  | { status: 'won'; wonAt?: Date }
  | { status: 'lost'; loss: LossInput; lossGiven: ReadonlySet<LossField> };

export type RowResult =
  | { ok: true; row: number; deal: DealInput; given: ReadonlySet<OptionalDealField>; outcome: RowOutcome }
  | { ok: false; row: number; errors: RowError[] };

export function toStoredRow(row: CsvRow, columnCount: number): StoredRow {
  const stored: StoredRow = { r: row.row };
  row.cells.forEach((cell, i) => {
    const value = cell.trim();
    if (value === '') return;
    if (i < columnCount) stored[`c${i}`] = value;
    else stored.x = true;
  });
  return stored;
}

// Per mapping, each field's cell key (`c3`): made once, not once per cell of 50,000 rows.
const keysCache = new WeakMap<Mapping, Partial<Record<ImportField, `c${number}`>>>();
function keysOf(mapping: Mapping): Partial<Record<ImportField, `c${number}`>> {
  let keys = keysCache.get(mapping);
  if (!keys) {
    keys = Object.fromEntries(Object.entries(mapping).map(([f, column]) => [f, `c${column}`]));
    keysCache.set(mapping, keys);
  }
  return keys;
}

function words(value: string): string[] {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** 'Closed Lost', 'closedlost', 'Lost' → lost; 'Closed Won', 'Won' → won; another stage → open. */
export function readStatus(value: string): 'open' | 'won' | 'lost' | undefined | null {
  const w = words(value);
  if (w.length === 0) return undefined;
  const joined = w.join('');
  if (w.includes('lost') || joined.includes('closedlost')) return 'lost';
  if (w.includes('won') || joined.includes('closedwon')) return 'won';
  if (w[0] === 'closed' || joined === 'closed') return null; // closed, but which way?
  return 'open';
}

/** 42000, 42,000.50, 42.000,50, 42000,50, $42,000, 1'000: a number, or NaN. */
export function readAmount(value: string): number {
  const v = value.replace(/[\s\u00a0'’]/g, '').replace(/^[A-Za-z$€£¥]{1,3}|[A-Za-z$€£¥]{1,3}$/g, '');
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(v)) return Number(v.replace(/,/g, ''));
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(v)) return Number(v.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d+,\d{1,2}$/.test(v)) return Number(v.replace(',', '.'));
  return Number.NaN;
}

const numericDate = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T].*)?$/;

function utcDate(year: number, month: number, day: number): Date | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d : undefined;
}

/** 2024-03-15 (with or without a time), 15.03.2024, 15/03/2024 or 3/15/2024 (by dateOrder), 15 Mar 2024. */
export function readDate(value: string, order: DateOrder): Date | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (iso) return utcDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const isoTime = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (isoTime) {
    const d = new Date(`${isoTime[1]}T${isoTime[2]}${isoTime[3] ?? 'Z'}`);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const m = numericDate.exec(value);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[3])];
    const year = m[4]!.length === 2 ? 2000 + Number(m[4]) : Number(m[4]);
    const dayFirst = m[2] === '.' || order === 'dmy';
    return dayFirst ? utcDate(year, b, a) : utcDate(year, a, b);
  }
  // Spelled-out months ("15 Mar 2024", "March 15, 2024"); anything else with digits only is refused above.
  if (/[a-z]{3}/i.test(value)) {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return new Date(t);
  }
  return undefined;
}

/** A slash or dash date that can only be day first (15/03/2024). */
export function isDayFirstDate(value: string): boolean {
  const m = numericDate.exec(value);
  return m !== null && m[2] !== '.' && Number(m[1]) > 12;
}

function readLossType(value: string): (typeof lossTypes)[number] | undefined {
  const key = normaliseHeader(value);
  if (['competitor', 'competition', 'competitive', 'losttocompetitor', 'losttocompetition', 'lostcompetitor'].includes(key)) return 'competitor';
  if (['nodecision', 'nodecisionmade', 'nodeal', 'statusquo', 'donothing', 'lostnodecision'].includes(key)) return 'no_decision';
  if (['other', 'others'].includes(key)) return 'other';
  return undefined;
}

const reasonsCache = new WeakMap<readonly ReasonCode[], Map<string, string>>();

/** A reason given by code or label ('Price or commercial terms', 'price'); else kept as written. */
function readReason(value: string, reasons: readonly ReasonCode[]): string {
  let byKey = reasonsCache.get(reasons);
  if (!byKey) {
    byKey = new Map(
      reasons.flatMap(
        (r) =>
          [
            [normaliseHeader(r.label), r.code],
            [normaliseHeader(r.code), r.code],
          ] as [string, string][],
      ),
    );
    reasonsCache.set(reasons, byKey);
  }
  return byKey.get(normaliseHeader(value)) ?? value;
}

function pathToField(path: readonly PropertyKey[]): ImportField | 'row' {
  if (path[0] === 'contacts') {
    const part = path[2];
    return part === 'email' ? 'contactEmail' : part === 'role' ? 'contactRole' : part === 'timeZone' ? 'contactTimeZone' : 'contactName';
  }
  const key = String(path[0] ?? '');
  return key in fieldInfo ? (key as ImportField) : 'row';
}

function issuesToErrors(row: number, error: z.ZodError, override: Partial<Record<ImportField, string>> = {}): RowError[] {
  return error.issues.map((issue) => {
    const field = pathToField(issue.path);
    return { row, field, message: (field !== 'row' && override[field]) || issue.message };
  });
}

/** Reads one stored row into the inputs the deal lifecycle takes, or the row's errors. */
export function readRow(stored: StoredRow, ctx: RowContext): RowResult {
  const keys = keysOf(ctx.mapping);
  const row = stored.r;
  const errors: RowError[] = [];
  const cell = (field: ImportField): string => {
    const key = keys[field];
    return key === undefined ? '' : (stored[key] ?? '');
  };
  if (stored.x) errors.push({ row, field: 'row', message: messages.extraCells });

  const raw: Record<string, unknown> = { source: ctx.source, externalId: cell('externalId'), name: cell('name'), buyerCompany: cell('buyerCompany') };
  const given = new Set<OptionalDealField>();
  for (const field of optionalDealFields) {
    const value = cell(field);
    if (value === '') continue;
    given.add(field);
    if (field === 'amount') {
      const amount = readAmount(value);
      if (Number.isNaN(amount)) errors.push({ row, field, message: messages.amount });
      else raw.amount = amount;
    } else {
      raw[field] = value;
    }
  }
  const contact = {
    name: cell('contactName'),
    email: cell('contactEmail'),
    role: cell('contactRole') || undefined,
    timeZone: cell('contactTimeZone') || undefined,
  };
  if (contact.name || contact.email) raw.contacts = [{ ...contact, primary: true }];
  else if (contact.role || contact.timeZone) errors.push({ row, field: 'contactName', message: messages.contactIncomplete });
  const deal = dealInput.safeParse(raw);
  if (!deal.success) errors.push(...issuesToErrors(row, deal.error));

  let outcome: RowOutcome = { status: undefined };
  const status = readStatus(cell('status'));
  if (status === null) errors.push({ row, field: 'status', message: messages.status });
  else if (status === 'open') outcome = { status };
  else if (status === 'won') {
    // The close date column, on a won row: when it was won (a file of last year's wins invites no one).
    const wonAt = cell('lostAt') ? readDate(cell('lostAt'), ctx.dateOrder) : undefined;
    if (cell('lostAt') && !wonAt) errors.push({ row, field: 'lostAt', message: messages.date });
    outcome = { status, ...(wonAt ? { wonAt } : {}) };
  } else if (status === 'lost') {
    const lossGiven = new Set<LossField>((['lossType', 'reasonCode', 'reasonNote', 'competitor', 'lostAt'] as const).filter((f) => cell(f) !== ''));
    const competitor = cell('competitor') || undefined;
    const lossTypeText = cell('lossType');
    const lossType = lossTypeText ? readLossType(lossTypeText) : competitor ? 'competitor' : 'other';
    if (!lossType) errors.push({ row, field: 'lossType', message: messages.lossType });
    let lostAt: Date | undefined;
    if (cell('lostAt')) {
      lostAt = readDate(cell('lostAt'), ctx.dateOrder);
      if (!lostAt) errors.push({ row, field: 'lostAt', message: messages.date });
    }
    const loss = lossInput.safeParse({
      lossType: lossType ?? 'other',
      reasonCode: cell('reasonCode') ? readReason(cell('reasonCode'), ctx.reasons) : 'other',
      reasonNote: cell('reasonNote') || undefined,
      competitor,
      ...(lostAt ? { lostAt } : {}),
    });
    if (!loss.success) errors.push(...issuesToErrors(row, loss.error, { lossType: messages.lossType }));
    else outcome = { status: 'lost', loss: loss.data, lossGiven };
  }

  if (errors.length > 0 || !deal.success) return { ok: false, row, errors };
  return { ok: true, row, deal: deal.data, given, outcome };
}

// --- against a deal that already exists: what the row leaves empty keeps the deal's value ---

type Contact = DealInput['contacts'][number];

function plainContact(c: { name: string; email: string; role?: string | null; timeZone?: string | null; primary?: boolean | null }): Contact {
  return { name: c.name, email: c.email, role: c.role ?? undefined, timeZone: c.timeZone ?? undefined, primary: Boolean(c.primary) };
}

/**
 * The row's deal over the stored one: fields the row leaves empty keep their values; the row's contact
 * replaces the stored contact with the same email (or joins the others) and becomes the primary one.
 * Parsed again by dealInput, so what reaches upsertDeal is always schema-valid.
 */
export function mergeDeal(row: Extract<RowResult, { ok: true }>, existing: StoredDeal): { ok: true; deal: DealInput } | { ok: false; errors: RowError[] } {
  const merged: Record<string, unknown> = {
    source: row.deal.source,
    externalId: row.deal.externalId,
    name: row.deal.name,
    buyerCompany: row.deal.buyerCompany,
  };
  for (const field of optionalDealFields) {
    const value = row.given.has(field) ? row.deal[field] : (existing[field] ?? undefined);
    if (value !== undefined) merged[field] = value;
  }
  let contacts = existing.contacts.map(plainContact);
  const incoming = row.deal.contacts[0];
  if (incoming) {
    const at = contacts.findIndex((c) => c.email === incoming.email);
    contacts = at >= 0 ? contacts.map((c, i) => (i === at ? incoming : c)) : [...contacts, incoming];
    contacts = contacts.map((c) => ({ ...c, primary: c.email === incoming.email }));
  }
  merged.contacts = contacts;
  const parsed = dealInput.safeParse(merged);
  return parsed.success ? { ok: true, deal: parsed.data } : { ok: false, errors: issuesToErrors(row.row, parsed.error) };
}

/** The row's loss over a deal that is already lost: what the row leaves empty keeps the deal's value. */
export function mergeLoss(
  outcome: Extract<RowOutcome, { status: 'lost' }>,
  row: number,
  existing: StoredDeal,
): { ok: true; loss: LossInput } | { ok: false; errors: RowError[] } {
  const { loss, lossGiven } = outcome;
  const pick = <T>(field: LossField, fromRow: T, stored: T | null | undefined): T | undefined => (lossGiven.has(field) ? fromRow : (stored ?? undefined));
  const parsed = lossInput.safeParse({
    lossType: pick('lossType', loss.lossType, existing.lossType) ?? loss.lossType,
    reasonCode: pick('reasonCode', loss.reasonCode, existing.repReason?.code) ?? loss.reasonCode,
    reasonNote: pick('reasonNote', loss.reasonNote, existing.repReason?.note),
    competitor: pick('competitor', loss.competitor, existing.competitor),
  });
  return parsed.success ? { ok: true, loss: parsed.data } : { ok: false, errors: issuesToErrors(row, parsed.error, { lossType: messages.lossType }) };
}

interface Fingerprinted {
  name: string;
  buyerCompany: string;
  amount?: number | null | undefined;
  currency?: string | null | undefined;
  segment?: string | null | undefined;
  productLine?: string | null | undefined;
  region?: string | null | undefined;
  ownerEmail?: string | null | undefined;
  ownerName?: string | null | undefined;
  contacts: readonly {
    name: string;
    email: string;
    role?: string | null | undefined;
    timeZone?: string | null | undefined;
    primary?: boolean | null | undefined;
  }[];
}

/** What upsertDeal compares, in one comparable string (the primary contact: the marked one, else the first). */
export function dealFingerprint(d: Fingerprinted): string {
  const primary = Math.max(
    0,
    d.contacts.findIndex((c) => c.primary),
  );
  return JSON.stringify([
    d.name,
    d.buyerCompany,
    d.amount ?? null,
    d.currency ?? 'USD',
    d.segment ?? null,
    d.productLine ?? null,
    d.region ?? null,
    d.ownerEmail ?? null,
    d.ownerName ?? null,
    d.contacts.map((c, i) => [c.name, c.email, c.role ?? null, c.timeZone ?? null, i === primary]),
  ]);
}

export function sameLoss(deal: StoredDeal, loss: LossInput): boolean {
  return (
    deal.lossType === loss.lossType &&
    (deal.repReason?.code ?? undefined) === loss.reasonCode &&
    (deal.repReason?.note ?? undefined) === loss.reasonNote &&
    (deal.competitor ?? undefined) === loss.competitor
  );
}

/** "contact email: Enter an email address…" */
export function describeError(e: Pick<RowError, 'field' | 'message'>): string {
  return e.field === 'row' ? e.message : `${fieldInfo[e.field as ImportField]?.label.toLowerCase() ?? e.field}: ${e.message}`;
}
