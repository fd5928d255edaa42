// CSV exports of the report's view: one row per answer (one column per question of the questionnaire
// versions answered), and the themes with their members. RFC 4180 quoting, CRLF line ends, a BOM so
// Excel reads UTF-8, and a guard against formula injection: a cell that starts with = + - @ (or a tab or
// carriage return) gets a leading apostrophe, so a spreadsheet shows it as text instead of running it.
import { createHash } from 'node:crypto';
import mongoose, { type Types } from 'mongoose';
import { partsOf, showAnswer, type QuotePermission, type StoredTexts, type TextField } from '../disclosure/index.ts';
import { InterviewResponse } from '../interviews/model.ts';
import {
  type Answer,
  type Answers,
  currentTemplate,
  findTemplateVersion,
  presentAnswer,
  type Question,
  type TemplateVersion,
} from '../questionnaires/index.ts';
import { setOutcome, type ThemeSet } from '../themes/index.ts';
import { ownsDeal, type DealReader } from '../deals/access.ts';
import { LRUCache } from 'lru-cache';
import { loadDataset, type LostDeal, type ReportInterview, type ReportResponse } from './dataset.ts';
import { sizeBandOf, type ReportFilters } from './filters.ts';
import { repLabel } from './metrics.ts';
import { reasonLabeller } from './service.ts';
import { linkSides } from './outcomes.ts';
import { themeSection, themeSource } from './themes.ts';

/** One cell: neutralised if a spreadsheet would read it as a formula, quoted if it needs to be. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(',');
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `\uFEFF${[csvRow(header), ...rows.map(csvRow)].join('\r\n')}\r\n`;
}

interface StoredResponse {
  _id: Types.ObjectId;
  dealId: Types.ObjectId;
  interviewId: Types.ObjectId;
  templateId?: string | null;
  answers?: Answers | null;
  primaryReason?: string | null;
  contributing?: string[] | null;
  chosenVendor?: string | null;
  stage?: string | null;
  ratings?: Record<string, number> | null;
  whyText?: string | null;
  wouldHaveChangedText?: string | null;
  missingInfoText?: string | null;
  participants?: string[] | null;
  considerAgain?: string | null;
  callConsent?: boolean | null;
  quotePermission?: string | null;
  textUses?: StoredTexts['textUses'];
  submittedAt: Date;
}

/** Answers stored before questionnaires were versioned (the demo's) carry only the summary fields. */
function answersFromSummary(r: StoredResponse, template: TemplateVersion): Answers {
  const out: Answers = {};
  const use = (field: TextField) => partsOf(r, [field])[0]!.permission;
  for (const q of template.questions) {
    let a: Answer | undefined;
    switch (q.role) {
      case 'primaryReason':
        a = r.primaryReason ?? undefined;
        break;
      case 'contributing':
        a = r.contributing ?? undefined;
        break;
      case 'chosenVendor':
        a = r.chosenVendor ? { choice: 'other', other: r.chosenVendor } : undefined;
        break;
      case 'stage':
        a = r.stage ?? undefined;
        break;
      case 'ratings':
        a = r.ratings && Object.keys(r.ratings).length ? { ...r.ratings } : undefined;
        break;
      case 'whyText':
        a = r.whyText ? { text: r.whyText, use: use('whyText') } : undefined;
        break;
      case 'wouldHaveChanged':
        a = r.wouldHaveChangedText ? { text: r.wouldHaveChangedText, use: use('wouldHaveChangedText') } : undefined;
        break;
      case 'missingInfo':
        a = r.missingInfoText ? { text: r.missingInfoText, use: use('missingInfoText') } : undefined;
        break;
      case 'participants':
        a = r.participants ?? undefined;
        break;
      case 'considerAgain':
        a = r.considerAgain ?? undefined;
        break;
      case 'callConsent':
        a = typeof r.callConsent === 'boolean' ? (r.callConsent ? 'yes' : 'no') : undefined;
        break;
      default:
        a = undefined;
    }
    if (a !== undefined) out[q.id] = a;
  }
  return out;
}

const fixedColumns = [
  'response_id',
  'deal_id',
  'outcome',
  'deal',
  'buyer_company',
  'segment',
  'product_line',
  'region',
  'rep',
  'competitor',
  'amount',
  'currency',
  'size_band',
  'lost_at',
  'won_at',
  // The date the report's period (Decided from / until) reads: lost_at for a loss, won_at for a win.
  'decided_at',
  'submitted_at',
  'questionnaire',
  'quote_permission',
];

// An answer's row, kept for the next export while the answer, its deal's row and its interview's row are
// the same (src/reports/dataset.ts keeps unchanged rows as the same objects) and the columns are too:
// presenting and redacting 5,000 answers took about a second at 50,000 deals, for each download. Kept 15
// minutes at most, so an erased answer's words do not stay in memory.
interface KeptRow {
  deal: LostDeal | undefined;
  interview: ReportInterview | undefined;
  cells: unknown[];
}
const keptRows = new LRUCache<string, KeptRow>({ max: 100_000, ttl: 15 * 60_000 });

/**
 * One row per answer in the view; one column per question across the versions answered (newest wording).
 * Rows are answers about deals: only those of deals the reader reaches (src/deals/access.ts).
 */
export async function responsesCsv(filters: ReportFilters, reader: DealReader): Promise<string> {
  // Lost deals' answers, then won deals' (the outcome column says which).
  const [lost, won] = await Promise.all([loadDataset(filters), loadDataset({ ...filters, outcome: 'won' })]);
  const data = {
    responses: [...lost.responses, ...won.responses],
    dealsById: new Map([...lost.dealsById, ...won.dealsById]),
    interviewsById: new Map([...lost.interviewsById, ...won.interviewsById]),
  };
  const readable = data.responses.filter((r) => {
    const deal = data.dealsById.get(String(r.dealId));
    return deal !== undefined && ownsDeal(reader, deal);
  });
  const current = await currentTemplate();
  const versions = new Map<string, TemplateVersion>([[current.id, current]]);
  for (const id of new Set(readable.map((r) => r.templateId).filter((v): v is string => Boolean(v)))) {
    const v = await findTemplateVersion(id);
    if (v) versions.set(id, v);
  }
  // Columns: the questions of the newest loss version first, then those only older versions or the won
  // deals' questionnaire asked (a question id both ask, such as why_text, is one column).
  const ordered = [...versions.values()].sort((a, b) => Number(a.key !== current.key) - Number(b.key !== current.key) || b.version - a.version);
  const questions = new Map<string, Question>();
  for (const v of ordered) for (const q of v.questions) if (!questions.has(q.id)) questions.set(q.id, q);
  const header = [...fixedColumns, ...[...questions.values()].map((q) => `${q.id}: ${q.label}`)];
  // The columns as a short digest: a key per answer must not carry the whole header (100,000 kept keys).
  const columns = createHash('sha256')
    .update(`${mongoose.connection.name}|${header.join('|')}`)
    .digest('base64url')
    .slice(0, 22);
  const keyOf = (r: ReportResponse) => `${r.id}:${r.updatedAt.getTime()}:${columns}`;
  const fresh = (r: ReportResponse, kept: KeptRow | undefined) =>
    kept !== undefined && kept.deal === data.dealsById.get(r.dealId) && kept.interview === data.interviewsById.get(r.interviewId);
  const missing = readable.filter((r) => !fresh(r, keptRows.get(keyOf(r))));
  const docs = missing.length ? await InterviewResponse.find({ _id: mongoose.trusted({ $in: missing.map((r) => r.id) }) }).lean<StoredResponse[]>() : [];
  const docsById = new Map(docs.map((d) => [String(d._id), d]));
  const rows: unknown[][] = [];
  for (const r of readable) {
    const key = keyOf(r);
    let kept = keptRows.get(key);
    if (!fresh(r, kept)) {
      const doc = docsById.get(r.id);
      if (!doc) continue; // erased since the rows were read
      kept = {
        deal: data.dealsById.get(r.dealId),
        interview: data.interviewsById.get(r.interviewId),
        cells: rowOf(doc, data.dealsById.get(r.dealId), data.interviewsById.get(r.interviewId), versions, current, questions),
      };
      keptRows.set(key, kept);
    }
    rows.push(kept!.cells);
  }
  return toCsv(header, rows);
}

function rowOf(
  r: StoredResponse,
  deal: LostDeal | undefined,
  interview: ReportInterview | undefined,
  versions: ReadonlyMap<string, TemplateVersion>,
  current: TemplateVersion,
  questions: ReadonlyMap<string, Question>,
): unknown[] {
  const version = (r.templateId && versions.get(r.templateId)) || current;
  const answers = r.answers && Object.keys(r.answers).length ? r.answers : answersFromSummary(r, version);
  const own = new Map(version.questions.map((q) => [q.id, q]));
  const buyer = {
    name: interview?.contactName,
    role: interview?.contactRole,
    email: interview?.contactEmail,
    company: deal?.buyerCompany,
    segment: deal?.segment,
  };
  // Free text as a list of answers may show it (src/disclosure): as written when given by name, else redacted.
  const showText = (text: string, use: QuotePermission) => showAnswer({ parts: [{ text, permission: use }], buyer }, 'list')?.text ?? '';
  const cells = [...questions.values()].map((q) => {
    const answer = answers[q.id];
    if (answer === undefined) return '';
    return presentAnswer(own.get(q.id) ?? q, answer, showText).lines.join('; ');
  });
  return [
    String(r._id),
    String(r.dealId),
    deal?.outcome ?? 'lost',
    deal?.name ?? '',
    deal?.buyerCompany ?? '',
    deal?.segment ?? '',
    deal?.productLine ?? '',
    deal?.region ?? '',
    deal ? repLabel(deal) : '',
    deal?.competitor ?? '',
    deal?.amount ?? '',
    deal?.currency ?? '',
    sizeBandOf(deal?.amount)?.label ?? '',
    deal?.lostAt ?? '',
    deal?.wonAt ?? '',
    (deal?.outcome === 'won' ? deal.wonAt : deal?.lostAt) ?? '',
    r.submittedAt,
    r.templateId ?? version.id,
    r.quotePermission ?? 'internal',
    ...cells,
  ];
}

/**
 * The themes of the view (lost deals' buyers' reasons and what they missed; won deals' reasons) with their
 * member answers' ids, and for a theme on both sides the other side's theme it is linked to.
 */
export async function themesCsv(filters: ReportFilters): Promise<string> {
  const [lost, won] = await Promise.all([loadDataset(filters), loadDataset({ ...filters, outcome: 'won' })]);
  const label = await reasonLabeller();
  const sections = await Promise.all(
    (['reasons', 'helped', 'wins'] as ThemeSet[]).map(async (set) => {
      const data = setOutcome[set] === 'won' ? won : lost;
      return themeSection(set, await themeSource(set, data.responses, label), data.responses, data);
    }),
  );
  const [reasons, , wins] = sections;
  const links = linkSides(reasons!, wins!);
  const linkedTo = new Map<string, string>([
    ...links.map((l) => [`reasons:${l.lossId}`, l.winLabel] as const),
    ...links.map((l) => [`wins:${l.winId}`, l.label] as const),
  ]);
  const rows: unknown[][] = [];
  for (const section of sections) {
    for (const t of section.themes)
      rows.push([
        section.set,
        setOutcome[section.set],
        t.id,
        t.label,
        t.size,
        section.total > 0 ? (t.size / section.total).toFixed(4) : '',
        linkedTo.get(`${section.set}:${t.id}`) ?? '',
        t.memberIds.join(' '),
      ]);
  }
  return toCsv(['set', 'outcome', 'theme', 'label', 'size', 'share', 'linked_theme', 'member_response_ids'], rows);
}
