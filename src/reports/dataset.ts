// What every report number is computed from, read once per change of the data: the lost deals, their interviews
// and their answers. The report needs nearly all of them, so each collection is read whole, the three at
// once, and joined and filtered in code (at 5,000 answers on the embedded engine, a $lookup per deal took
// twice as long, an $in of the deals' ids several times as long).
import mongoose, { type Types } from 'mongoose';
import { Deal } from '../deals/model.ts';
import { changeToken, onMissedChange } from '../lib/change-token.ts';
import { Interview, InterviewResponse, type InterviewState } from '../interviews/model.ts';
import type { QuotePermission, StoredTexts } from '../disclosure/index.ts';
import { matchesFilters, type ReportFilters } from './filters.ts';

export interface LostDeal {
  id: string;
  name: string;
  buyerCompany: string;
  amount: number | null;
  currency: string;
  segment: string | null;
  productLine: string | null;
  region: string | null;
  ownerEmail: string | null;
  ownerName: string | null;
  competitor: string | null;
  lossType: string | null;
  lostAt: Date | null;
  repReason: string | null;
  repNote: string | null;
}

export interface ReportInterview {
  id: string;
  dealId: string;
  state: InterviewState;
  /** Every state the interview has been in (the timeline and the current one). */
  reached: Set<InterviewState>;
  heldOff: boolean;
  contactName: string | null;
  contactRole: string | null;
  contactEmail: string | null;
}

export interface ReportResponse {
  id: string;
  dealId: string;
  interviewId: string;
  primaryReason: string | null;
  chosenVendor: string | null;
  ratings: Record<string, number>;
  whyText: string | null;
  wouldHaveChangedText: string | null;
  missingInfoText: string | null;
  quotePermission: QuotePermission;
  /** Each text's own choice (see src/disclosure). */
  textUses: StoredTexts['textUses'];
  submittedAt: Date;
}

export interface Dataset {
  /** Every lost deal, before filters (for the filter choices). */
  allDeals: LostDeal[];
  deals: LostDeal[];
  interviews: ReportInterview[];
  responses: ReportResponse[];
  dealsById: Map<string, LostDeal>;
  interviewsById: Map<string, ReportInterview>;
}

interface DealRow {
  _id: Types.ObjectId;
  name: string;
  buyerCompany: string;
  amount?: number | null;
  currency?: string | null;
  segment?: string | null;
  productLine?: string | null;
  region?: string | null;
  ownerEmail?: string | null;
  ownerName?: string | null;
  competitor?: string | null;
  lossType?: string | null;
  lostAt?: Date | null;
  repReason?: { code?: string | null; note?: string | null } | null;
  test?: boolean | null;
}

export function toLostDeal(d: DealRow): LostDeal {
  return {
    id: String(d._id),
    name: d.name,
    buyerCompany: d.buyerCompany,
    amount: typeof d.amount === 'number' ? d.amount : null,
    currency: d.currency ?? 'USD',
    segment: d.segment || null,
    productLine: d.productLine || null,
    region: d.region || null,
    ownerEmail: d.ownerEmail || null,
    ownerName: d.ownerName || null,
    competitor: d.competitor || null,
    lossType: d.lossType ?? null,
    lostAt: d.lostAt ?? null,
    repReason: d.repReason?.code || null,
    repNote: d.repReason?.note || null,
  };
}

const dealFields = { name: 1, buyerCompany: 1, amount: 1, currency: 1, segment: 1, productLine: 1, region: 1, ownerEmail: 1, ownerName: 1, competitor: 1, lossType: 1, lostAt: 1, repReason: 1, test: 1 };

/**
 * Every lost deal but test invitations' (src/onboarding): they count in no figure, and as every view
 * joins interviews and answers to these deals, neither do their interviews and answers.
 */
export async function loadLostDeals(): Promise<LostDeal[]> {
  const rows = await Deal.find({ status: 'lost' }).select(dealFields).lean<DealRow[]>();
  return rows.filter((d) => d.test !== true).map(toLostDeal);
}

interface ResponseRow {
  _id: Types.ObjectId;
  dealId: Types.ObjectId;
  interviewId: Types.ObjectId;
  primaryReason?: string | null;
  chosenVendor?: string | null;
  ratings?: Record<string, number> | Map<string, number> | null;
  whyText?: string | null;
  wouldHaveChangedText?: string | null;
  missingInfoText?: string | null;
  quotePermission?: string | null;
  textUses?: StoredTexts['textUses'];
  submittedAt: Date;
}

function toResponse(r: ResponseRow): ReportResponse {
  const ratings: Record<string, number> = {};
  const source = r.ratings instanceof Map ? Object.fromEntries(r.ratings) : (r.ratings ?? {});
  for (const [k, v] of Object.entries(source)) if (typeof v === 'number' && v >= 1 && v <= 5) ratings[k] = v;
  const permission = r.quotePermission === 'named' || r.quotePermission === 'anonymous' ? r.quotePermission : 'internal';
  return {
    id: String(r._id),
    dealId: String(r.dealId),
    interviewId: String(r.interviewId),
    primaryReason: r.primaryReason || null,
    chosenVendor: r.chosenVendor || null,
    ratings,
    whyText: r.whyText?.trim() || null,
    wouldHaveChangedText: r.wouldHaveChangedText?.trim() || null,
    missingInfoText: r.missingInfoText?.trim() || null,
    quotePermission: permission,
    textUses: r.textUses ?? null,
    submittedAt: r.submittedAt,
  };
}

interface Rows {
  allDeals: LostDeal[];
  interviewRows: InterviewRow[];
  responseRows: ResponseRow[];
}

type InterviewRow = { _id: Types.ObjectId; dealId: Types.ObjectId; state: InterviewState; timeline?: { state: InterviewState }[]; holdOff?: { at?: Date | null } | null; contact?: { name?: string | null; role?: string | null; email?: string | null } | null };

function readRows(): Promise<Rows> {
  return Promise.all([
    loadLostDeals(),
    Interview.find({}).select({ dealId: 1, state: 1, timeline: 1, holdOff: 1, contact: 1 }).lean<InterviewRow[]>(),
    InterviewResponse.find({})
      .select({ dealId: 1, interviewId: 1, primaryReason: 1, chosenVendor: 1, ratings: 1, whyText: 1, wouldHaveChangedText: 1, missingInfoText: 1, quotePermission: 1, textUses: 1, submittedAt: 1 })
      .lean<ResponseRow[]>(),
  ]).then(([allDeals, interviewRows, responseRows]) => ({ allDeals, interviewRows, responseRows }));
}

// Every view (report, prep brief, exports, digest) starts from the same rows: they are read once per
// change of the reports token (src/lib/change-token.ts) and kept in this process, read-only, until the
// next write. The token is read first, so rows are never kept under a token newer than what they show.
let kept: { key: string; rows: Promise<Rows> } | undefined;
onMissedChange('reports', () => (kept = undefined)); // a write whose token could not be renewed

async function currentRows(): Promise<Rows> {
  const key = `${mongoose.connection.name}/${await changeToken('reports')}`;
  if (kept?.key !== key) {
    const rows = readRows();
    kept = { key, rows };
    rows.catch(() => {
      if (kept?.rows === rows) kept = undefined;
    });
  }
  return kept.rows;
}

/** Loads the lost deals in the filtered view, with their interviews and answers. */
export async function loadDataset(filters: ReportFilters): Promise<Dataset> {
  const { allDeals, interviewRows, responseRows } = await currentRows();
  const deals = allDeals.filter((d) => matchesFilters(d, filters));
  const dealsById = new Map(deals.map((d) => [d.id, d]));
  const interviews: ReportInterview[] = interviewRows
    .filter((i) => dealsById.has(String(i.dealId)))
    .map((i) => ({
      id: String(i._id),
      dealId: String(i.dealId),
      state: i.state,
      reached: new Set<InterviewState>([i.state, ...(i.timeline ?? []).map((t) => t.state)]),
      heldOff: i.state === 'held' || Boolean(i.holdOff?.at) || (i.timeline ?? []).some((t) => t.state === 'held'),
      contactName: i.contact?.name ?? null,
      contactRole: i.contact?.role ?? null,
      contactEmail: i.contact?.email ?? null,
    }));
  const responses = responseRows
    .filter((r) => dealsById.has(String(r.dealId)))
    .map(toResponse)
    .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || a.id.localeCompare(b.id));
  return { allDeals, deals, interviews, responses, dealsById, interviewsById: new Map(interviews.map((i) => [i.id, i])) };
}
