// The report's filters live in the URL (so a view can be bookmarked and shared). Each filter is parsed on
// its own with zod: a bad one is reported with a message and dropped, the others still apply.
import { z } from 'zod';
import { fieldErrorRecord } from '../lib/http/validate.ts';

/** A breakdown with fewer answers than this is "too few answers to read", never a percentage. */
export const minResponses = 5;

export interface SizeBand {
  code: string;
  label: string;
  min: number;
  /** Exclusive; Infinity for the top band. */
  max: number;
}

/** Deal size bands on the deal's amount (in whatever currency it was entered). */
export const sizeBands: readonly SizeBand[] = [
  { code: 'under_10k', label: 'Under 10,000', min: 0, max: 10_000 },
  { code: '10k_50k', label: '10,000 to 49,999', min: 10_000, max: 50_000 },
  { code: '50k_100k', label: '50,000 to 99,999', min: 50_000, max: 100_000 },
  { code: '100k_plus', label: '100,000 and more', min: 100_000, max: Infinity },
];

export function sizeBandOf(amount: number | null | undefined): SizeBand | undefined {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return undefined;
  return sizeBands.find((b) => amount >= b.min && amount < b.max);
}

export interface ReportFilters {
  /** Which decisions the view is about: lost deals (the default) or won ones. Not a URL filter: the report shows both. */
  outcome?: 'won' | 'lost';
  from?: Date;
  to?: Date;
  segment?: string;
  productLine?: string;
  region?: string;
  rep?: string;
  competitor?: string;
  size?: string;
}

/** URL parameter -> filter. Short names keep shared links readable. */
export const filterParams = {
  from: 'from',
  to: 'to',
  segment: 'segment',
  product: 'productLine',
  region: 'region',
  rep: 'rep',
  competitor: 'competitor',
  size: 'size',
} as const satisfies Record<string, keyof ReportFilters>;
type Param = keyof typeof filterParams;

export const filterLabels: Record<Param, string> = {
  // The period is when each deal was decided: lost for the loss side, won for the win side.
  from: 'Decided from',
  to: 'Decided until',
  segment: 'Segment',
  product: 'Product line',
  region: 'Region',
  rep: 'Rep',
  competitor: 'Competitor',
  size: 'Deal size',
};

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD, such as 2026-03-31.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'That date does not exist.');
const text = z.string().trim().max(200, 'Use at most 200 characters.');

const paramSchemas: Record<Param, z.ZodType<string>> = {
  from: day,
  to: day,
  segment: text,
  product: text,
  region: text,
  rep: text,
  competitor: text,
  size: z.enum(sizeBands.map((b) => b.code) as [string, ...string[]], { error: `Choose a deal size: ${sizeBands.map((b) => b.code).join(', ')}.` }),
};

export interface ParsedFilters {
  filters: ReportFilters;
  /** URL parameter -> message, for the filters that were dropped. */
  errors: Record<string, string[]>;
  /** The valid filters as URL parameters (as typed), for links and the form. */
  values: Partial<Record<Param, string>>;
}

/** Parses the URL query; never throws: bad filters come back in `errors` and are left out. */
export function parseFilters(query: unknown): ParsedFilters {
  const source = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const filters: ReportFilters = {};
  const errors = fieldErrorRecord();
  const values: Partial<Record<Param, string>> = {};
  for (const key of Object.keys(source)) {
    if (!Object.hasOwn(filterParams, key)) errors[key] = [`“${key.slice(0, 40)}” is not a filter of this report.`];
  }
  for (const param of Object.keys(filterParams) as Param[]) {
    const raw = source[param];
    if (raw === undefined || raw === '') continue;
    if (typeof raw !== 'string') {
      errors[param] = [`${filterLabels[param]}: give one value.`];
      continue;
    }
    const parsed = paramSchemas[param].safeParse(raw);
    if (!parsed.success) {
      errors[param] = parsed.error.issues.map((i) => `${filterLabels[param]}: ${i.message}`);
      continue;
    }
    if (parsed.data === '') continue;
    values[param] = parsed.data;
    const key = filterParams[param];
    if (key === 'from') filters.from = new Date(`${parsed.data}T00:00:00.000Z`);
    else if (key === 'to') filters.to = new Date(`${parsed.data}T23:59:59.999Z`);
    else filters[key] = parsed.data;
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.to = [`${filterLabels.to}: the end date is before the start date.`];
    delete filters.to;
    delete values.to;
  }
  return { filters, errors, values };
}

/** The query string of a set of filter values ("" when none), for links that keep the view. */
export function filterQuery(values: Partial<Record<Param, string>>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...extra })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

const same = (a: string | null | undefined, b: string) => (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();

export interface FilterableDeal {
  lostAt?: Date | null;
  /** A won deal's period is when it was won. */
  outcome?: 'won' | 'lost';
  wonAt?: Date | null;
  segment?: string | null;
  productLine?: string | null;
  region?: string | null;
  ownerEmail?: string | null;
  ownerName?: string | null;
  competitor?: string | null;
  amount?: number | null;
}

/** Whether a lost deal is in the filtered view (case-insensitive on the text filters; rep by email or name). */
export function matchesFilters(deal: FilterableDeal, f: ReportFilters): boolean {
  const decided = deal.outcome === 'won' ? deal.wonAt : deal.lostAt;
  if (f.from && (!decided || decided < f.from)) return false;
  if (f.to && (!decided || decided > f.to)) return false;
  if (f.segment && !same(deal.segment, f.segment)) return false;
  if (f.productLine && !same(deal.productLine, f.productLine)) return false;
  if (f.region && !same(deal.region, f.region)) return false;
  if (f.rep && !same(deal.ownerEmail, f.rep) && !same(deal.ownerName, f.rep)) return false;
  if (f.competitor && !same(deal.competitor, f.competitor)) return false;
  if (f.size && sizeBandOf(deal.amount)?.code !== f.size) return false;
  return true;
}

/** "Segment: Enterprise · Deal size: 10,000 to 49,999" — what the view shows, for headings and print. */
export function describeFilters(values: Partial<Record<Param, string>>): string {
  return (Object.keys(values) as Param[])
    .map((p) => `${filterLabels[p]}: ${p === 'size' ? (sizeBands.find((b) => b.code === values[p])?.label ?? values[p]) : values[p]}`)
    .join(' · ');
}
