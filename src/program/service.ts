// Changing the interview program, whichever way it comes (the settings page, the JSON API): validate
// the whole program, save it, and audit what changed and who changed it. Takes typed input and the
// actor; throws ValidationError for a program that is not valid.
import { audit, type Actor } from '../audit/service.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { loadProgram, saveProgram, type Program } from './model.ts';
import { programInput, type ProgramInput } from './schemas.ts';

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
  // Time
  'workingDays',
  'holidays',
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
    reasons: parsed.reasons.map((r) => ({ code: r.code, label: r.label })),
    interviewerBySegment: parsed.interviewerBySegment.map((r) => ({ segment: r.segment, email: r.email })),
    // Time: a client that does not send these (one written before they existed) keeps what is saved.
    workingDays: parsed.workingDays ?? before.workingDays,
    holidays: parsed.holidays?.map((h) => ({ date: h.date, name: h.name })) ?? before.holidays,
  };
  const changed = fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(program[f]));
  if (changed.length > 0) {
    await saveProgram(program);
    await audit(actor, 'program.updated', 'program', { fields: changed.join(', ') });
  }
  return { program, changed };
}
