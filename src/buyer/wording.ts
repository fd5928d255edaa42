// What the form says that comes from the program rather than the questionnaire: each loss reason in the
// buyer's wording (the questionnaire's options keep the team's labels, which staff pages show), and the
// named competitors the vendor question offers. Read with each form page (alongside the interview and
// its draft, so it costs no extra round trip): a marketer's change reaches buyers at once.
import type { Question } from '../questionnaires/index.ts';
import { loadProgram } from '../program/index.ts';

export interface FormWording {
  /** Reason code -> what the buyer reads. */
  reasons: ReadonlyMap<string, string>;
  /** Named competitors, in the program's order and spelling. */
  competitors: readonly string[];
}

export async function formWording(): Promise<FormWording> {
  const program = await loadProgram();
  return { reasons: new Map(program.reasons.map((r) => [r.code, r.buyerLabel])), competitors: [...program.competitors] };
}

/** The question as the buyer reads it: a reason question's options in the buyer's wording. */
export function asBuyerReads(q: Question, wording: FormWording): Question {
  if (q.role !== 'primaryReason' && q.role !== 'contributing') return q;
  return { ...q, options: q.options.map((o) => ({ value: o.value, label: wording.reasons.get(o.value) || o.label })) };
}

/** The listed competitor a typed name means (same letters, any case or spacing), else the name as typed. */
export function listedName(name: string, wording: FormWording): string {
  const key = name.trim().replace(/\s+/g, ' ').toLowerCase();
  return wording.competitors.find((c) => c.trim().replace(/\s+/g, ' ').toLowerCase() === key) ?? name.trim();
}
