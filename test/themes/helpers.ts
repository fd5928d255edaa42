// Buyers' answers as the themes read them: a lost deal, its interview and the response, built straight
// into the database (the form and its validation are tested elsewhere).
import { readFileSync } from 'node:fs';
import { Types } from 'mongoose';
import { Deal } from '../../src/deals/model.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';

export interface AnswerSpec {
  why?: string;
  changed?: string;
  missing?: string;
  permission?: 'named' | 'anonymous' | 'internal';
  name?: string;
  company?: string;
  segment?: string;
  primaryReason?: string;
  repReason?: string;
  repNote?: string;
}

let n = 0;

export async function addAnswer(spec: AnswerSpec): Promise<{ responseId: string; dealId: string }> {
  n += 1;
  const dealId = new Types.ObjectId();
  const interviewId = new Types.ObjectId();
  const company = spec.company ?? `Buyer Co ${n}`;
  const name = spec.name ?? `Buyer Person${n}`;
  await Deal.create({
    _id: dealId,
    source: 'test',
    externalId: `T-${n}-${Date.now()}`,
    name: `Deal ${n}`,
    buyerCompany: company,
    segment: spec.segment ?? 'Mid-market',
    ownerName: 'Riley Rep',
    ownerEmail: 'riley@debrief.test',
    status: 'lost',
    lostAt: new Date(Date.now() - n * 60_000),
    ...(spec.repReason || spec.repNote ? { repReason: { code: spec.repReason, note: spec.repNote } } : {}),
    contacts: [{ name, email: `buyer${n}@example.com`, primary: true }],
  });
  await Interview.create({
    _id: interviewId,
    dealId,
    planKey: `${String(dealId)}#1`,
    buyerCompany: company,
    contact: { name, email: `buyer${n}@example.com` },
    state: 'completed',
  });
  const response = await InterviewResponse.create({
    interviewId,
    dealId,
    whyText: spec.why,
    wouldHaveChangedText: spec.changed,
    missingInfoText: spec.missing,
    primaryReason: spec.primaryReason,
    quotePermission: spec.permission ?? 'anonymous',
    submittedAt: new Date(Date.now() - 1000 * (10_000 - n)),
  });
  return { responseId: String(response._id), dealId: String(dealId) };
}

/** Answers in the voice of real buyers with their known reason (the pipeline's labelled set). */
export function labelledAnswers(): { text: string; label: string }[] {
  return readFileSync(new URL('../fixtures/themes/labelled.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; label: string });
}

/** `count` labelled answers from the given reasons, interleaved, as buyers' "why" answers. */
export async function addLabelled(count: number, reasons: readonly string[], offset = 0): Promise<string[]> {
  const byReason = new Map(reasons.map((r) => [r, labelledAnswers().filter((a) => a.label === r)]));
  const ids: string[] = [];
  for (let i = offset; i < offset + count; i++) {
    const reason = reasons[i % reasons.length]!;
    const answer = byReason.get(reason)![Math.floor(i / reasons.length)];
    if (!answer) throw new Error(`not enough labelled answers for ${reason}`);
    const permission = (['anonymous', 'named', 'anonymous', 'internal'] as const)[i % 4];
    ids.push((await addAnswer({ why: answer.text, permission })).responseId);
  }
  return ids;
}
