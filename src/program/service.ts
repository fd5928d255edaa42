// Changing the interview program, whichever way it comes (the settings page, the JSON API): validate
// the whole program, save it, and audit what changed and who changed it. Takes typed input and the
// actor; throws ValidationError for a program that is not valid.
import { audit, type Actor } from '../audit/index.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { loadProgram, saveProgram, type Program } from './model.ts';
import { programInput, type ProgramInput } from './schemas.ts';
import { defaultBuyerLabel } from './taxonomy.ts';

const fields = [
  'coolOffBusinessDays',
  'timeZone',
  'sendFrom',
  'sendUntil',
  'minimumAmount',
  'segments',
  'contactCooldownDays',
  'holdOffHours',
  'reasons',
  'interviewerBySegment',
  // --- competitors
  'competitors',
  // Time
  'workingDays',
  'holidays',
  // Won deals
  'winPercent',
  'winPercentBySegment',
] as const satisfies readonly (keyof Program)[];

export interface ProgramUpdate {
  program: Program;
  /** The fields whose value changed; empty when the same program was saved again. */
  changed: string[];
}

/**
 * Replaces the whole program (every field is required but the working week and holidays, kept when left out). Saving the same program again changes
 * nothing and writes no audit entry; a change is audited as `program.updated` naming the fields.
 */
export async function updateProgram(input: ProgramInput, actor: Actor): Promise<ProgramUpdate> {
  const parsed = parseOrThrow(programInput, input);
  const before = await loadProgram();
  const program: Program = {
    coolOffBusinessDays: parsed.coolOffBusinessDays,
    timeZone: parsed.timeZone,
    sendFrom: parsed.sendFrom,
    sendUntil: parsed.sendUntil,
    minimumAmount: parsed.minimumAmount,
    segments: parsed.segments,
    contactCooldownDays: parsed.contactCooldownDays,
    holdOffHours: parsed.holdOffHours,
    reasons: parsed.reasons.map((r) => ({ code: r.code, label: r.label, buyerLabel: r.buyerLabel || defaultBuyerLabel(r) })),
    interviewerBySegment: parsed.interviewerBySegment.map((r) => ({ segment: r.segment, email: r.email })),
    // --- competitors (left out: the saved list stays, so a client that does not know the field keeps it)
    competitors: parsed.competitors ?? before.competitors,
    // Time: a client that does not send these (one written before they existed) keeps what is saved.
    workingDays: parsed.workingDays ?? before.workingDays,
    holidays: parsed.holidays?.map((h) => ({ date: h.date, name: h.name })) ?? before.holidays,
    // Won deals: likewise kept when left out.
    winPercent: parsed.winPercent ?? before.winPercent,
    winPercentBySegment: parsed.winPercentBySegment?.map((r) => ({ segment: r.segment, percent: r.percent })) ?? before.winPercentBySegment,
  };
  const changed = fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(program[f]));
  if (changed.length > 0) {
    await saveProgram(program);
    await audit(actor, 'program.updated', 'program', { fields: changed.join(', ') });
  }
  return { program, changed };
}

// --- competitors

/** A competitor name as reps gave it on lost deals, with how many deals name it so (src/deals counts them). */
export interface NamedCompetitor {
  name: string;
  deals: number;
}

/**
 * Competitor names reps gave on lost deals that the program's list does not hold yet (compared without
 * case), the most frequent first: what the program page suggests adding.
 */
export function competitorSuggestions(named: readonly NamedCompetitor[], listed: readonly string[], max: number): NamedCompetitor[] {
  const known = new Set(listed.map((n) => n.trim().toLowerCase()));
  const byName = new Map<string, { name: string; most: number; deals: number }>();
  for (const row of named) {
    const name = row.name.trim();
    const key = name.toLowerCase();
    if (!name || known.has(key)) continue;
    // Spellings of one name add up; the most used spelling names it.
    const seen = byName.get(key) ?? { name, most: 0, deals: 0 };
    byName.set(key, { name: row.deals > seen.most ? name : seen.name, most: Math.max(seen.most, row.deals), deals: seen.deals + row.deals });
  }
  return [...byName.values()]
    .map(({ name, deals }) => ({ name, deals }))
    .sort((a, b) => b.deals - a.deals || a.name.localeCompare(b.name))
    .slice(0, max);
}

export { loadProgram } from './model.ts';
