// A small, fully known data set for the report tests: 12 lost deals (two reps, two competitors, three
// months), their interviews in known states and 7 answers on the default questionnaire. The expected
// numbers are written out in `expected` so that the tests read as the rule they check.
import { Types } from 'mongoose';
import { Deal } from '../../src/deals/model.ts';
import { Interview, InterviewResponse, type InterviewState } from '../../src/interviews/model.ts';
import { currentTemplate } from '../../src/questionnaires/service.ts';

export const rita = { ownerEmail: 'rita@debrief.test', ownerName: 'Rita Rep' };
export const sam = { ownerEmail: 'sam@debrief.test', ownerName: 'Sam Seller' };

/** What some buyers wrote: commas, quotes, line breaks and would-be formulas, for the CSV tests. */
export const tricky = {
  formula: '=HYPERLINK("http://evil.example","click me")',
  plus: '+1 555 0100 is the number they called',
  minus: '-2 points on integrations, they said',
  at: '@SUM(A1:A9) was the joke in the room',
  quoted: 'They said "your API, frankly, was not ready"\nand then moved on.',
};

interface Spec {
  n: number;
  lostAt: string;
  segment: string;
  productLine: string;
  region: string;
  competitor: string;
  amount: number;
  owner: typeof rita;
  repReason: string;
  states: InterviewState[];
  answer?: { days: number; reason: string; why: string; permission: 'named' | 'anonymous' | 'internal'; ratings: Record<string, number>; missing: string };
}

const A = (days: number, reason: string, why: string, permission: 'named' | 'anonymous' | 'internal', ratings: Record<string, number>, missing: string) => ({
  days,
  reason,
  why,
  permission,
  ratings,
  missing,
});
const completed: InterviewState[] = ['planned', 'invited', 'opened', 'in_progress', 'completed'];
const ent = { segment: 'Enterprise', productLine: 'Analytics', region: 'EMEA', competitor: 'Clearpath', amount: 60_000, owner: rita };
const smb = { segment: 'SMB', productLine: 'Surveys', region: 'APAC', competitor: 'Northwind', amount: 5_000, owner: sam };

export const specs: Spec[] = [
  {
    n: 1,
    lostAt: '2026-01-05',
    ...ent,
    repReason: 'price',
    states: completed,
    answer: A(
      2,
      'integrations',
      'Their connector to our warehouse worked on day one.',
      'named',
      { integrations: 1, price: 3, trust: 4 },
      'A list of the integrations you support.',
    ),
  },
  {
    n: 2,
    lostAt: '2026-01-06',
    ...ent,
    repReason: 'price',
    states: completed,
    answer: A(4, 'integrations', tricky.formula, 'anonymous', { integrations: 2, price: 3, trust: 4 }, 'Reference customers on our stack.'),
  },
  {
    n: 3,
    lostAt: '2026-01-07',
    ...ent,
    repReason: 'price',
    states: completed,
    answer: A(6, 'integrations', tricky.quoted, 'anonymous', { integrations: 1, price: 3 }, 'A security whitepaper.'),
  },
  {
    n: 4,
    lostAt: '2026-02-02',
    ...ent,
    repReason: 'price',
    states: completed,
    answer: A(8, 'integrations', tricky.plus, 'anonymous', { integrations: 2, price: 3 }, 'Integration documentation.'),
  },
  {
    n: 5,
    lostAt: '2026-02-03',
    ...ent,
    repReason: 'price',
    states: completed,
    answer: A(10, 'price', tricky.minus, 'anonymous', { integrations: 1, price: 3 }, 'A clear price list.'),
  },
  {
    n: 6,
    lostAt: '2026-02-04',
    ...ent,
    repReason: 'price',
    states: completed,
    answer: A(12, 'price', tricky.at, 'anonymous', { integrations: 2, price: 3 }, 'A total cost calculator.'),
  },
  { n: 7, lostAt: '2026-02-10', ...ent, repReason: 'price', states: ['planned', 'invited', 'opened', 'declined'] },
  { n: 8, lostAt: '2026-02-10', ...ent, repReason: 'price', states: ['planned', 'invited', 'expired'] },
  {
    n: 9,
    lostAt: '2026-03-01',
    ...smb,
    repReason: 'price',
    states: completed,
    answer: A(3, 'price', 'Too expensive for a team our size.', 'internal', { integrations: 2, price: 3 }, 'Pricing for small teams.'),
  },
  { n: 10, lostAt: '2026-03-02', ...smb, repReason: 'product_fit', states: ['planned', 'held'] },
  { n: 11, lostAt: '2026-03-03', ...smb, repReason: 'product_fit', states: ['planned', 'held'] },
  { n: 12, lostAt: '2026-03-04', ...smb, repReason: 'product_fit', states: ['excluded'] },
];

/** The numbers the report must show for this data set. */
export const expected = {
  all: { lost: 12, invited: 9, opened: 8, completed: 7, declined: 1, expired: 1, responseRate: '78%', coverage: '75%', median: '6' },
  february: { lost: 5, invited: 5, opened: 4, completed: 3, responseRate: '60%', coverage: '100%', median: '10' },
  smb: { lost: 4, invited: 1, completed: 1, responseRate: 'too few answers to read', coverage: 'too few answers to read', median: '3' },
};

const day = 86_400_000;

export interface Seeded {
  dealIds: Map<number, string>;
  responseIds: Map<number, string>;
  openDealId: string;
}

/** Inserts the data set (and one open deal like the Enterprise ones, for the prep brief). */
export async function seedReportData(): Promise<Seeded> {
  const template = await currentTemplate();
  const dealIds = new Map<number, string>();
  const responseIds = new Map<number, string>();
  for (const s of specs) {
    const lostAt = new Date(`${s.lostAt}T12:00:00Z`);
    const deal = await Deal.create({
      source: 'test',
      externalId: `R-${s.n}`,
      name: `Deal ${s.n}`,
      buyerCompany: `Buyer ${s.n} Ltd`,
      amount: s.amount,
      currency: 'USD',
      segment: s.segment,
      productLine: s.productLine,
      region: s.region,
      ...s.owner,
      status: 'lost',
      lostAt,
      lossType: 'competitor',
      competitor: s.competitor,
      repReason: { code: s.repReason, note: `Rep note ${s.n}` },
      contacts: [{ name: `Bea Buyer${s.n}`, email: `bea${s.n}@buyer${s.n}.example`, primary: true }],
      lossCount: 1,
    });
    dealIds.set(s.n, String(deal._id));
    const state = s.states[s.states.length - 1]!;
    const interviewId = new Types.ObjectId();
    await Interview.create({
      _id: interviewId,
      dealId: deal._id,
      planKey: `${String(deal._id)}#1`,
      buyerCompany: deal.buyerCompany,
      contact: { name: `Bea Buyer${s.n}`, email: `bea${s.n}@buyer${s.n}.example`, role: 'CFO' },
      state,
      ...(state === 'held' ? { holdOff: { by: s.owner.ownerEmail, reason: 'Still talking to them', at: new Date(lostAt.getTime() + 3_600_000) } } : {}),
      ...(state === 'excluded' ? { exclusionReason: 'Amount under the minimum' } : {}),
      timeline: s.states.map((st, i) => ({ state: st, at: new Date(lostAt.getTime() + i * 3_600_000) })),
    });
    if (!s.answer) continue;
    const a = s.answer;
    const response = await InterviewResponse.create({
      interviewId,
      dealId: deal._id,
      templateId: template.id,
      templateVersion: template.version,
      answers: {
        primary_reason: a.reason,
        chosen_vendor: { choice: 'other', other: s.competitor },
        ratings: a.ratings,
        why_text: { text: a.why, use: a.permission },
        missing_info: { text: a.missing, use: a.permission },
      },
      primaryReason: a.reason,
      chosenVendor: s.competitor,
      ratings: a.ratings,
      whyText: a.why,
      missingInfoText: a.missing,
      quotePermission: a.permission,
      submittedAt: new Date(lostAt.getTime() + a.days * day),
    });
    responseIds.set(s.n, String(response._id));
  }
  const open = await Deal.create({
    source: 'test',
    externalId: 'R-open',
    name: 'Open Enterprise deal',
    buyerCompany: 'Prospect GmbH',
    amount: 70_000,
    segment: 'Enterprise',
    productLine: 'Analytics',
    region: 'EMEA',
    competitor: 'Clearpath',
    ...rita,
    status: 'open',
  });
  return { dealIds, responseIds, openDealId: String(open._id) };
}
