// Seeds the demo workspace into an empty database: lost deals with buyer contacts, interviews in every
// state and the answers of those who completed. Deterministic (a fixed seed), dated relative to today,
// everything marked demo: true. Runs once: a marker records that it ran, so deleting the demo data does
// not bring it back.
import { makeRng, recomputeThemes, themeSets } from '../themes/index.ts';
import { Types } from 'mongoose';
import { Deal } from '../deals/model.ts';
import { Interview, InterviewResponse, type InterviewState } from '../interviews/model.ts';
import type { Logger } from '../lib/logger.ts';
import { claimMarker } from '../system/index.ts';
import { buyers, companies, competitors, marketers, productLines, regions, reps, voices } from './content.ts';

const day = 24 * 60 * 60 * 1000;

const reasonCycle = [
  'price',
  'product_fit',
  'integrations',
  'price',
  'implementation',
  'ease_of_use',
  'sales_experience',
  'integrations',
  'trust',
  'support',
  'no_decision',
  'product_fit',
];
// Interview states of the lost deals, in order; the rest are completed.
const stateCycle: InterviewState[] = ['invited', 'opened', 'declined', 'planned', 'held', 'expired', 'in_progress', 'reminded', 'planned', 'declined'];
const factors = ['price', 'product_fit', 'ease_of_use', 'integrations', 'support', 'sales_experience', 'implementation', 'trust'];

export interface DemoData {
  deals: Record<string, unknown>[];
  interviews: Record<string, unknown>[];
  responses: Record<string, unknown>[];
}

export function buildDemoData(now = new Date(), seed = 20261123): DemoData {
  const rnd = makeRng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const deals: Record<string, unknown>[] = [];
  const interviews: Record<string, unknown>[] = [];
  const responses: Record<string, unknown>[] = [];
  const answered = new Map<string, number>();
  // Each reason's notes go round its reps' voices, so that a reason's theme quotes different notes.
  const noted = new Map<string, number>();
  const repNoteFor = (code: string): string => {
    const seen = noted.get(code) ?? 0;
    noted.set(code, seen + 1);
    const notes = voices[code]!.repNote;
    return notes[seen % notes.length]!;
  };

  companies.forEach(([company, segment], i) => {
    const dealId = new Types.ObjectId();
    const rep = reps[i % reps.length]!;
    const [buyerName, buyerRole] = buyers[(i * 3) % buyers.length]!;
    const email = `${buyerName.toLowerCase().replace(/[^a-z]+/g, '.')}@${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`;
    // The first 30 and the older batch after the open and won deals are lost.
    const status = i < 30 || i >= 36 ? 'lost' : i < 33 ? 'open' : 'won';
    const reason = reasonCycle[i % reasonCycle.length]!;
    const lostAt = new Date(now.getTime() - (2 + i * 4 + Math.floor(rnd() * 3)) * day);
    const amount = Math.round(((segment === 'Enterprise' ? 80000 : segment === 'Mid-market' ? 30000 : 8000) * (0.6 + rnd())) / 500) * 500;
    const competitor = reason === 'no_decision' ? undefined : pick(competitors);
    // Reps often blame price; buyers often say something else. This gap is what the report shows.
    const repReason = rnd() < 0.4 ? 'price' : reason;
    const voice = voices[reason]!;
    deals.push({
      _id: dealId,
      source: 'demo',
      externalId: `DEMO-${String(1001 + i)}`,
      name: `${company} · ${pick(productLines)} rollout`,
      buyerCompany: company,
      amount,
      currency: 'USD',
      segment,
      productLine: pick(productLines),
      region: pick(regions),
      ownerEmail: rep.email,
      ownerName: rep.name,
      status,
      ...(status === 'lost'
        ? {
            lostAt,
            lossType: reason === 'no_decision' ? 'no_decision' : 'competitor',
            repReason: { code: repReason, note: repNoteFor(repReason) },
            competitor,
            lossCount: 1,
          }
        : {}),
      contacts: [{ name: buyerName, email, role: buyerRole, timeZone: 'America/New_York', primary: true }],
      demo: true,
    });
    if (status !== 'lost') return;

    // A few early interviews and every other recent one are still open or were not answered; the rest are completed.
    const state: InterviewState = i < stateCycle.length && i % 3 === 2 ? stateCycle[i]! : i >= 20 && i < 30 && i % 2 === 0 ? stateCycle[i - 20]! : 'completed';
    const interviewId = new Types.ObjectId();
    const marketer = marketers[i % marketers.length]!;
    // Nothing in the demo happens in the future: recent losses are answered within hours, not days.
    const past = (ms: number) => new Date(Math.min(ms, now.getTime() - (i + 1) * 3_600_000));
    const invitedAt = past(lostAt.getTime() + 3 * day);
    const timeline = [{ state: 'planned', at: lostAt }];
    if (state !== 'planned' && state !== 'held') timeline.push({ state: 'invited', at: invitedAt });
    if (state !== 'invited' && state !== 'planned') timeline.push({ state, at: past(invitedAt.getTime() + (1 + Math.floor(rnd() * 5)) * day) });
    interviews.push({
      _id: interviewId,
      dealId,
      planKey: `${String(dealId)}#1`,
      repNotifiedAt: lostAt,
      buyerCompany: company,
      contact: { name: buyerName, email, role: buyerRole },
      interviewer: marketer,
      state,
      plannedFor: invitedAt,
      timeline,
      demo: true,
    });
    if (state !== 'completed') return;

    const seen = answered.get(reason) ?? 0;
    answered.set(reason, seen + 1);
    const ratings: Record<string, number> = {};
    for (const f of factors) ratings[f] = f === reason ? 1 + Math.floor(rnd() * 2) : 2 + Math.floor(rnd() * 4);
    responses.push({
      interviewId,
      dealId,
      templateVersion: 1,
      primaryReason: reason,
      chosenVendor: competitor ?? 'None: no purchase',
      ratings,
      // Each reason's answers go round its voices, so that the demo's themes quote different buyers' words.
      whyText: voice.why[seen % voice.why.length],
      wouldHaveChangedText: voice.changed[(seen + i) % voice.changed.length],
      missingInfoText: voice.missing[(seen * 2 + i) % voice.missing.length],
      quotePermission: pick(['named', 'anonymous', 'anonymous', 'internal'] as const),
      submittedAt: timeline[timeline.length - 1]!.at,
      demo: true,
    });
  });
  return { deals, interviews, responses };
}

export type SeedOutcome = 'seeded' | 'off' | 'not_empty' | 'already_seeded';

export async function seedDemoWorkspace(enabled: boolean, logger: Logger, now = new Date()): Promise<SeedOutcome> {
  if (!enabled) return 'off';
  if ((await Deal.countDocuments()) > 0) return 'not_empty';
  if (!(await claimMarker('demo-seed', now))) return 'already_seeded';
  const data = buildDemoData(now);
  await Deal.insertMany(data.deals);
  await Interview.insertMany(data.interviews);
  await InterviewResponse.insertMany(data.responses);
  // The demo shows its loss themes from the first page view, not after the first recomputation.
  for (const set of themeSets) await recomputeThemes(set, { now });
  logger.info({ deals: data.deals.length, interviews: data.interviews.length, responses: data.responses.length }, 'seeded the demo workspace');
  return 'seeded';
}
