// What every report number is computed from: the lost deals, their interviews and their answers, or (a
// view with outcome 'won') the won deals, their win interviews and answers. The report needs nearly all of them, so they are kept in the process (read whole once, then only what
// changed; see currentRows) and joined and filtered in code.
import mongoose, { type Types } from 'mongoose';
import { Deal } from '../deals/model.ts';
import { changeMarks, onMissedChange } from '../lib/change-token.ts';
import { Interview, InterviewResponse, outcomeOf, type DealOutcome, type InterviewState } from '../interviews/model.ts';
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
  /** Lost, or (in a view of wins) won, and when. */
  outcome: DealOutcome;
  wonAt: Date | null;
}

export interface ReportInterview {
  id: string;
  dealId: string;
  outcome: DealOutcome;
  state: InterviewState;
  /** Every state the interview has been in (the timeline and the current one). */
  reached: ReadonlySet<InterviewState>;
  heldOff: boolean;
  contactName: string | null;
  contactRole: string | null;
  contactEmail: string | null;
}

export interface ReportResponse {
  id: string;
  dealId: string;
  outcome: DealOutcome;
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
  /** The questionnaire version answered, and when the answer was last written (what an export keeps a row by). */
  templateId: string | null;
  updatedAt: Date;
}

/** Shared between requests (see loadDataset): read-only. */
export interface Dataset {
  /** Every lost deal (won, in a view of wins), before filters (for the filter choices). */
  readonly allDeals: readonly LostDeal[];
  readonly deals: readonly LostDeal[];
  readonly interviews: readonly ReportInterview[];
  readonly responses: readonly ReportResponse[];
  readonly dealsById: ReadonlyMap<string, LostDeal>;
  readonly interviewsById: ReadonlyMap<string, ReportInterview>;
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
  wonAt?: Date | null;
  status?: string | null;
  repReason?: { code?: string | null; note?: string | null } | null;
  winReason?: { code?: string | null; note?: string | null } | null;
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
    // The rep's view of the decision: why it was lost, or (a won deal) why it was won.
    repReason: (d.status === 'won' ? d.winReason : d.repReason)?.code || null,
    repNote: (d.status === 'won' ? d.winReason : d.repReason)?.note || null,
    outcome: d.status === 'won' ? 'won' : 'lost',
    wonAt: d.wonAt ?? null,
  };
}

const dealFields = {
  name: 1,
  buyerCompany: 1,
  amount: 1,
  currency: 1,
  segment: 1,
  productLine: 1,
  region: 1,
  ownerEmail: 1,
  ownerName: 1,
  competitor: 1,
  lossType: 1,
  lostAt: 1,
  wonAt: 1,
  status: 1,
  repReason: 1,
  winReason: 1,
  test: 1,
};

/**
 * A test invitation's deal (src/onboarding) counts in no figure; as every view joins interviews and
 * answers to the deals kept, neither do its interview and answer.
 */
const countsInFigures = (d: DealRow) => d.test !== true;

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
  templateId?: string | null;
  updatedAt?: Date;
  outcome?: string | null;
}

function toResponse(r: ResponseRow): ReportResponse {
  const ratings: Record<string, number> = {};
  const source = r.ratings instanceof Map ? Object.fromEntries(r.ratings) : (r.ratings ?? {});
  for (const [k, v] of Object.entries(source)) if (typeof v === 'number' && v >= 1 && v <= 5) ratings[k] = v;
  const permission = r.quotePermission === 'named' || r.quotePermission === 'anonymous' ? r.quotePermission : 'internal';
  return {
    id: String(r._id),
    dealId: String(r.dealId),
    outcome: outcomeOf(r),
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
    templateId: r.templateId ?? null,
    updatedAt: r.updatedAt ?? r.submittedAt,
  };
}

interface Rows {
  allDeals: LostDeal[];
  interviewRows: InterviewRow[];
  responseRows: ResponseRow[];
}

type InterviewRow = {
  _id: Types.ObjectId;
  dealId: Types.ObjectId;
  state: InterviewState;
  timeline?: { state: InterviewState }[];
  holdOff?: { at?: Date | null } | null;
  contact?: { name?: string | null; role?: string | null; email?: string | null } | null;
  outcome?: string | null;
};

const interviewFields = { dealId: 1, state: 1, timeline: 1, holdOff: 1, contact: 1, outcome: 1 };
const responseFields = {
  dealId: 1,
  interviewId: 1,
  primaryReason: 1,
  chosenVendor: 1,
  ratings: 1,
  whyText: 1,
  wouldHaveChangedText: 1,
  missingInfoText: 1,
  quotePermission: 1,
  textUses: 1,
  submittedAt: 1,
  templateId: 1,
  updatedAt: 1,
  outcome: 1,
};

/** The rows by id: what a later read changes in place of reading everything again. */
interface RowMaps {
  /** lost and won deals only */
  deals: Map<string, LostDeal>;
  interviews: Map<string, InterviewRow>;
  responses: Map<string, ResponseRow>;
}

/** since: only documents written from then on (updatedAt), else all. */
function readChanged(since?: Date) {
  const changed = since ? { updatedAt: mongoose.trusted({ $gte: since }) } : {};
  return Promise.all([
    Deal.find(since ? changed : { status: mongoose.trusted({ $in: ['lost', 'won'] }) })
      .select(dealFields)
      .lean<(DealRow & { status: string })[]>(),
    Interview.find(changed).select(interviewFields).lean<InterviewRow[]>(),
    InterviewResponse.find(changed).select(responseFields).lean<ResponseRow[]>(),
  ]);
}

async function readAll(): Promise<RowMaps> {
  const [deals, interviews, responses] = await readChanged();
  return {
    deals: new Map(deals.filter(countsInFigures).map((d) => [String(d._id), toLostDeal(d)])),
    interviews: new Map(interviews.map((i) => [String(i._id), i])),
    responses: new Map(responses.map((r) => [String(r._id), r])),
  };
}

/** The maps as they were, with the documents written since `since` put in (copies: rows handed out before stay as they were). */
async function readSince(before: RowMaps, since: Date): Promise<RowMaps> {
  const [deals, interviews, responses] = await readChanged(since);
  const next: RowMaps = { deals: new Map(before.deals), interviews: new Map(before.interviews), responses: new Map(before.responses) };
  for (const d of deals) {
    if ((d.status === 'lost' || d.status === 'won') && countsInFigures(d)) next.deals.set(String(d._id), toLostDeal(d));
    else next.deals.delete(String(d._id)); // reopened
  }
  for (const i of interviews) next.interviews.set(String(i._id), i);
  for (const r of responses) next.responses.set(String(r._id), r);
  return next;
}

const rowsOf = (maps: RowMaps): Rows => ({
  allDeals: [...maps.deals.values()],
  interviewRows: [...maps.interviews.values()],
  responseRows: [...maps.responses.values()],
});

// Every view (report, prep brief, exports, digest, overview) starts from the same rows, kept in this
// process, read-only, and brought up to date when the reports' change token (src/lib/change-token.ts)
// moves: by reading only the documents written since the last read began (less a margin for writers
// whose clocks run behind, and for writes still on their way then), unless something was deleted or the
// last full read is older than `rowTimings.fullEveryMs`. With the job worker sending invitations, the
// token moves every few seconds; reading all 50,000 deals' rows each time cost 0.5-1 s of CPU.
export const rowTimings = { marginMs: 120_000, fullEveryMs: 10 * 60_000 };

interface Kept {
  key: string;
  deletions: string;
  /** when the read behind these rows began, and when the last full one did (this process's clock) */
  readFrom: number;
  fullFrom: number;
  maps: Promise<RowMaps>;
  rows: Promise<Rows>;
}

let kept: Kept | undefined;
onMissedChange('reports', () => (kept = undefined)); // a write whose token could not be renewed

async function currentRows(): Promise<Rows> {
  const marks = await changeMarks('reports');
  const key = `${mongoose.connection.name}/${marks.token}`;
  if (kept?.key === key) return kept.rows;
  const now = Date.now();
  const last = kept;
  const incremental =
    last && last.key.startsWith(`${mongoose.connection.name}/`) && last.deletions === marks.deletions && now - last.fullFrom < rowTimings.fullEveryMs;
  const maps = incremental
    ? last.maps.then(
        (before) => readSince(before, new Date(last.readFrom - rowTimings.marginMs)),
        () => readAll(),
      )
    : readAll();
  const next: Kept = { key, deletions: marks.deletions, readFrom: now, fullFrom: incremental ? last.fullFrom : now, maps, rows: maps.then(rowsOf) };
  kept = next;
  next.rows.catch(() => {
    if (kept === next) kept = undefined;
  });
  return next.rows;
}

// A view's dataset is made once per rows and filters (up to a few views per rows): the prep brief, the
// overview and the exports ask for the same views again and again, and making one from 50,000 deals' rows
// took a few hundred milliseconds. Datasets are shared: nobody may change one.
const viewsPerRows = 20;
const views = new WeakMap<Rows, Map<string, Dataset>>();

/** Loads the lost deals in the filtered view (the won ones: outcome 'won'), with their interviews and answers of that outcome. */
export async function loadDataset(filters: ReportFilters): Promise<Dataset> {
  const rows = await currentRows();
  const key = JSON.stringify(filters);
  let made = views.get(rows);
  if (!made) views.set(rows, (made = new Map()));
  const known = made.get(key);
  if (known) return known;
  const data = datasetOf(rows, filters);
  if (made.size >= viewsPerRows) made.delete(made.keys().next().value!);
  made.set(key, data);
  return data;
}

// Rows unchanged since the last read are the same objects (see readSince), so each is made into what the
// report reads once, not once per view.
const madeInterviews = new WeakMap<InterviewRow, ReportInterview>();
const madeResponses = new WeakMap<ResponseRow, ReportResponse>();

function reportInterview(i: InterviewRow): ReportInterview {
  let made = madeInterviews.get(i);
  if (!made) {
    made = {
      id: String(i._id),
      dealId: String(i.dealId),
      outcome: outcomeOf(i),
      state: i.state,
      reached: new Set<InterviewState>([i.state, ...(i.timeline ?? []).map((t) => t.state)]),
      heldOff: i.state === 'held' || Boolean(i.holdOff?.at) || (i.timeline ?? []).some((t) => t.state === 'held'),
      contactName: i.contact?.name ?? null,
      contactRole: i.contact?.role ?? null,
      contactEmail: i.contact?.email ?? null,
    };
    madeInterviews.set(i, made);
  }
  return made;
}

function reportResponse(r: ResponseRow): ReportResponse {
  let made = madeResponses.get(r);
  if (!made) madeResponses.set(r, (made = toResponse(r)));
  return made;
}

/**
 * A won deal's competitor: the CRM's, else the vendor its buyer says came closest (the win questionnaire's
 * vendor question), so that "won against Clearpath" filters wins as "lost to Clearpath" filters losses.
 */
function withRunnerUp(deals: readonly LostDeal[], responses: readonly ReportResponse[]): LostDeal[] {
  const runnerUp = new Map(responses.filter((r) => r.outcome === 'won' && r.chosenVendor).map((r) => [r.dealId, r.chosenVendor!]));
  return deals.map((d) => (d.competitor || !runnerUp.has(d.id) ? d : { ...d, competitor: runnerUp.get(d.id)! }));
}

function datasetOf({ allDeals: every, interviewRows, responseRows }: Rows, filters: ReportFilters): Dataset {
  const outcome: DealOutcome = filters.outcome ?? 'lost';
  const ofOutcome = every.filter((d) => d.outcome === outcome);
  const allDeals = outcome === 'won' ? withRunnerUp(ofOutcome, responseRows.map(reportResponse)) : ofOutcome;
  const deals = allDeals.filter((d) => matchesFilters(d, filters));
  const dealsById = new Map(deals.map((d) => [d.id, d]));
  // A deal lost, then won, has a loss interview too: each view keeps its own outcome's.
  const interviews: ReportInterview[] = interviewRows.map(reportInterview).filter((i) => i.outcome === outcome && dealsById.has(i.dealId));
  const responses = responseRows
    .map(reportResponse)
    .filter((r) => r.outcome === outcome && dealsById.has(r.dealId))
    .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || a.id.localeCompare(b.id));
  return { allDeals, deals, interviews, responses, dealsById, interviewsById: new Map(interviews.map((i) => [i.id, i])) };
}
