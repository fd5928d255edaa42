// The interview program's rules, set by marketers: when buyers are contacted after a loss, who is left
// out, who interviews. One document; defaults make a sensible program out of the box.
import mongoose, { Schema } from 'mongoose';
import { defaultBuyerLabel, defaultReasonTaxonomy, type ProgramReason } from './taxonomy.ts';
import { tracksChanges } from '../lib/change-token.ts';
import { isValidTimeZone } from '../lib/time-zones.ts';

const programSchema = new Schema(
  {
    _id: { type: String, required: true },
    coolOffBusinessDays: { type: Number, default: 3 },
    timeZone: { type: String, default: 'UTC' },
    sendFrom: { type: String, default: '09:00' },
    sendUntil: { type: String, default: '17:00' },
    minimumAmount: { type: Number, default: 0 },
    // Empty: every segment is in the program.
    segments: { type: [String], default: [] },
    contactCooldownDays: { type: Number, default: 180 },
    holdOffHours: { type: Number, default: 24 },
    // buyerLabel: the buyer's wording on the form (taxonomy.ts); programs saved before it get the default.
    reasons: { type: [new Schema({ code: String, label: String, buyerLabel: String }, { _id: false })], default: () => [...defaultReasonTaxonomy] },
    // segment -> interviewer email; others go round-robin among marketers.
    interviewerBySegment: { type: [new Schema({ segment: String, email: String }, { _id: false })], default: [] },
    // --- competitors: the vendors buyers pick from on the form (and reports name), as the program spells them.
    competitors: { type: [String], default: [] },
    // Time: the working week (ISO weekdays, 1 Monday to 7 Sunday) and the holidays that business days skip.
    workingDays: { type: [Number], default: () => [...defaultWorkingDays] },
    holidays: { type: [new Schema({ date: String, name: String }, { _id: false })], default: [] },
    // Won deals: the share interviewed (0-100 %), for every segment and per segment; 0 and none: off.
    winPercent: { type: Number, default: 0 },
    winPercentBySegment: { type: [new Schema({ segment: String, percent: Number }, { _id: false })], default: [] },
  },
  { timestamps: true, versionKey: false },
);
// Writes renew the report's change token (src/lib/change-token.ts).
programSchema.plugin(tracksChanges('reports'));
const ProgramDoc = mongoose.model('Program', programSchema);

/** Monday to Friday. */
export const defaultWorkingDays: readonly number[] = Object.freeze([1, 2, 3, 4, 5]);

/** A day off for the whole program: a local date, 'YYYY-MM-DD', and what it is ('' when not named). */
export interface Holiday {
  date: string;
  name: string;
}

export interface Program {
  coolOffBusinessDays: number;
  timeZone: string;
  sendFrom: string;
  sendUntil: string;
  minimumAmount: number;
  segments: string[];
  contactCooldownDays: number;
  holdOffHours: number;
  reasons: ProgramReason[];
  interviewerBySegment: { segment: string; email: string }[];
  // --- competitors
  /** Named competitors, in the order buyers see them; empty: buyers type the vendor's name. */
  competitors: string[];
  // Time
  /** ISO weekdays that are business days, ascending; at least one. */
  workingDays: number[];
  /** Dates business days skip, ascending. */
  holidays: Holiday[];
  // Won deals
  /** The share of won deals interviewed (0 to 100) in a segment without a rate of its own; 0: none. */
  winPercent: number;
  /** A segment's own share of won deals interviewed, 0 to 100. */
  winPercentBySegment: { segment: string; percent: number }[];
}

export const defaultProgram: Program = {
  coolOffBusinessDays: 3,
  timeZone: 'UTC',
  sendFrom: '09:00',
  sendUntil: '17:00',
  minimumAmount: 0,
  segments: [],
  contactCooldownDays: 180,
  holdOffHours: 24,
  reasons: [...defaultReasonTaxonomy],
  interviewerBySegment: [],
  // --- competitors
  competitors: [],
  // Time
  workingDays: [...defaultWorkingDays],
  holidays: [],
  // Won deals: off until a marketer turns them on
  winPercent: 0,
  winPercentBySegment: [],
};

export async function loadProgram(): Promise<Program> {
  const doc = await ProgramDoc.findById('program').lean();
  if (!doc) return { ...defaultProgram, reasons: [...defaultProgram.reasons], competitors: [...defaultProgram.competitors], winPercentBySegment: [] };
  return {
    coolOffBusinessDays: doc.coolOffBusinessDays,
    timeZone: doc.timeZone,
    sendFrom: doc.sendFrom,
    sendUntil: doc.sendUntil,
    minimumAmount: doc.minimumAmount,
    segments: [...doc.segments],
    contactCooldownDays: doc.contactCooldownDays,
    holdOffHours: doc.holdOffHours,
    reasons: doc.reasons.map((r) => {
      const reason = { code: r.code ?? '', label: r.label ?? '' };
      return { ...reason, buyerLabel: r.buyerLabel || defaultBuyerLabel(reason) };
    }),
    interviewerBySegment: doc.interviewerBySegment.map((r) => ({ segment: r.segment ?? '', email: r.email ?? '' })),
    // --- competitors
    competitors: [...(doc.competitors ?? [])],
    // Time (a program saved before these existed works Monday to Friday, without holidays)
    workingDays: doc.workingDays?.length ? [...doc.workingDays] : [...defaultWorkingDays],
    holidays: (doc.holidays ?? []).map((h) => ({ date: h.date ?? '', name: h.name ?? '' })),
    // Won deals (a program saved before these existed interviews none)
    winPercent: doc.winPercent ?? 0,
    winPercentBySegment: (doc.winPercentBySegment ?? []).map((r) => ({ segment: r.segment ?? '', percent: r.percent ?? 0 })),
  };
}

export async function saveProgram(program: Program): Promise<void> {
  await ProgramDoc.updateOne({ _id: 'program' }, { $set: program }, { upsert: true });
}

// --- For the set-up checklist (src/onboarding): whether the program was ever saved. ---
export async function programSaved(): Promise<boolean> {
  return Boolean(await ProgramDoc.exists({ _id: 'program' }));
}

/** The program's zone, or UTC for one saved before zones were checked: what staff follow until they choose their own. */
export async function programTimeZone(): Promise<string> {
  const { timeZone } = await loadProgram();
  return isValidTimeZone(timeZone) ? timeZone : 'UTC';
}
