// The program settings page: every program field in one form (reasons and interviewer rules as rows,
// segments as a comma-separated list), validated by the same programInput schema as the API, shown
// again with what was typed and each error beside its field, and a preview of the send time.
import type { Request, Response } from 'express';
import { actorOf } from '../accounts/index.ts';
import { typed } from '../lib/http/forms.ts';
import { fieldErrors, fieldErrorRecord } from '../lib/http/validate.ts';
import { loadProgram, type Program } from './model.ts';
import { computeSendTime } from './schedule.ts';
import { isValidTimeZone, timeZoneChoices } from '../lib/time-zones.ts';
import { sendWindowOf } from './send-window.ts';
import { maxSuggestions, programInput, suggestedBody, type ProgramInput } from './schemas.ts';
import { competitorSuggestions, updateProgram, type NamedCompetitor } from './service.ts';
import { takeNotice } from '../lib/http/notice.ts';

type FormValues = Record<string, string>;
type Errors = Record<string, string[]>;

const title = 'Interview program';
/** Rows the form may send back; more than the schema allows, so that too many are refused, not lost. */
const maxRows = 40;
const emptyReasonRows = 3;
const emptyInterviewerRows = 2;
const emptyWinRows = 2;

const scalarFields = ['coolOffBusinessDays', 'timeZone', 'sendFrom', 'sendUntil', 'minimumAmount', 'segments', 'contactCooldownDays', 'holdOffHours'] as const;
const numberFields = ['coolOffBusinessDays', 'minimumAmount', 'contactCooldownDays', 'holdOffHours'] as const;
const rowNumbers = Array.from({ length: maxRows }, (_, i) => i + 1);
const formFields = [
  ...scalarFields,
  ...rowNumbers.flatMap((n) => [`reason${n}Code`, `reason${n}Label`, `reason${n}BuyerLabel`, `interviewer${n}Segment`, `interviewer${n}Email`]),
  // --- competitors
  'competitors',
  ...timeFormFields(),
  // Won deals
  'winPercent',
  ...rowNumbers.flatMap((n) => [`win${n}Segment`, `win${n}Percent`]),
];

/** The settings form's values for a program (also what tests submit). */
export function programToForm(program: Program): FormValues {
  const values: FormValues = {
    coolOffBusinessDays: String(program.coolOffBusinessDays),
    timeZone: program.timeZone,
    sendFrom: program.sendFrom,
    sendUntil: program.sendUntil,
    minimumAmount: String(program.minimumAmount),
    segments: program.segments.join(', '),
    contactCooldownDays: String(program.contactCooldownDays),
    holdOffHours: String(program.holdOffHours),
  };
  program.reasons.forEach((r, i) =>
    Object.assign(values, { [`reason${i + 1}Code`]: r.code, [`reason${i + 1}Label`]: r.label, [`reason${i + 1}BuyerLabel`]: r.buyerLabel }),
  );
  program.interviewerBySegment.forEach((r, i) => Object.assign(values, { [`interviewer${i + 1}Segment`]: r.segment, [`interviewer${i + 1}Email`]: r.email }));
  // --- competitors: one a line
  values.competitors = program.competitors.join('\n');
  Object.assign(values, timeToForm(program));
  // Won deals
  values.winPercent = String(program.winPercent);
  program.winPercentBySegment.forEach((r, i) => Object.assign(values, { [`win${i + 1}Segment`]: r.segment, [`win${i + 1}Percent`]: String(r.percent) }));
  return values;
}

/** How many rows of a kind the form had: what the body sent (on a re-render), else the saved ones and a few empty. */
function rowCount(body: unknown, prefix: string, saved: number, empty: number): number {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const sent = rowNumbers.filter((n) => Object.keys(source).some((k) => k.startsWith(`${prefix}${n}`) && /^[A-Z]/.test(k.slice(`${prefix}${n}`.length))));
  return sent.length > 0 ? Math.max(...sent) : Math.min(maxRows, Math.max(saved + empty, empty));
}

function filled(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/** A typed number as the schema takes it: '' is missing, '25,000' is 25000, anything else goes as typed (and is refused). */
function numberOf(value: string | undefined): unknown {
  if (!filled(value)) return undefined;
  const cleaned = value!.replace(/[,\s_]/g, '');
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : value;
}

// --- competitors: the list is a textarea, one name a line; the page suggests the names reps gave on lost
// deals that the list does not hold yet, ticked ones added on save.

function competitorLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * The list as typed (read whole: typed() keeps 1,000 characters of a field, and 50 names may be more),
 * with the suggested names ticked on the form added (the schema drops repeats).
 */
function withSuggested(values: FormValues, body: unknown): FormValues {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const typedList = typeof source.competitors === 'string' ? source.competitors.slice(0, 20_000) : '';
  const parsed = suggestedBody.safeParse(source);
  const ticked = parsed.success ? [parsed.data.addCompetitor ?? []].flat() : [];
  return { ...values, competitors: [...competitorLines(typedList), ...ticked].join('\n') };
}

/** Parses the form into the program, or the errors keyed by form field. */
export function parseProgramForm(values: FormValues): { ok: true; input: ProgramInput } | { ok: false; errors: Errors } {
  // A reason row is its code and label: emptying both drops it (its buyer wording with it).
  const reasonRows = rowNumbers.filter((n) => filled(values[`reason${n}Code`]) || filled(values[`reason${n}Label`]));
  const interviewerRows = rowNumbers.filter((n) => filled(values[`interviewer${n}Segment`]) || filled(values[`interviewer${n}Email`]));
  const winRows = rowNumbers.filter((n) => filled(values[`win${n}Segment`]) || filled(values[`win${n}Percent`]));
  const raw = {
    ...Object.fromEntries(numberFields.map((f) => [f, numberOf(values[f])])),
    timeZone: values.timeZone ?? '',
    sendFrom: (values.sendFrom ?? '').trim(),
    sendUntil: (values.sendUntil ?? '').trim(),
    segments: (values.segments ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    reasons: reasonRows.map((n) => ({
      code: values[`reason${n}Code`] ?? '',
      label: values[`reason${n}Label`] ?? '',
      buyerLabel: values[`reason${n}BuyerLabel`] ?? '',
    })),
    interviewerBySegment: interviewerRows.map((n) => ({ segment: values[`interviewer${n}Segment`] ?? '', email: values[`interviewer${n}Email`] ?? '' })),
    // --- competitors
    competitors: competitorLines(values.competitors),
    ...timeFromForm(values),
    // Won deals ("25 %" and "25%" read as 25; empty: 0, off)
    winPercent: numberOf(values.winPercent?.replace('%', '')) ?? 0,
    winPercentBySegment: winRows.map((n) => ({ segment: values[`win${n}Segment`] ?? '', percent: numberOf(values[`win${n}Percent`]?.replace('%', '')) })),
  };
  const parsed = programInput.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors = fieldErrorRecord();
  for (const [path, messages] of Object.entries(fieldErrors(parsed.error))) {
    const [head, index, leaf] = path.split('.');
    let field = head!;
    if (head === 'reasons')
      field =
        index === undefined ? 'reasons' : `reason${reasonRows[Number(index)]}${leaf === 'label' ? 'Label' : leaf === 'buyerLabel' ? 'BuyerLabel' : 'Code'}`;
    else if (head === 'competitors') field = 'competitors';
    else if (head === 'interviewerBySegment')
      field = index === undefined ? 'interviewers' : `interviewer${interviewerRows[Number(index)]}${leaf === 'email' ? 'Email' : 'Segment'}`;
    else if (head === 'winPercentBySegment')
      field = index === undefined ? 'winRates' : `win${winRows[Number(index)]}${leaf === 'percent' ? 'Percent' : 'Segment'}`;
    else if (head === 'holidays' && index !== undefined) {
      (errors.holidays ??= []).push(...messages.map((m) => holidayLineError(values, Number(index), m)));
      continue;
    }
    (errors[field] ??= []).push(...messages);
  }
  return { ok: false, errors };
}

export interface SendPreview {
  lostAt: string;
  sendAt: string;
  reason: string;
}

/** When a deal lost now would be invited under the saved rules, for a buyer whose time zone is unknown. */
export function sendPreview(program: Program, now = new Date()): SendPreview | null {
  try {
    const { sendAt, reason } = computeSendTime(now, sendWindowOf(program), null);
    const format = new Intl.DateTimeFormat('en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: program.timeZone,
      timeZoneName: 'short',
    });
    return { lostAt: format.format(now), sendAt: format.format(sendAt), reason };
  } catch {
    return null; // a program saved before these rules were checked: the form shows what to fix
  }
}

/**
 * What the program page needs from features above it, handed in where the app is wired (src/app.ts): the
 * competitor names reps gave on lost deals (src/deals), which the page suggests adding to the list.
 */
export interface ProgramPageNeeds {
  competitorsOnLostDeals(): Promise<NamedCompetitor[]>;
}

async function render(
  needs: ProgramPageNeeds,
  req: Request,
  res: Response,
  status: number,
  state: { values: FormValues; errors?: Errors; formError?: string },
): Promise<void> {
  const program = await loadProgram();
  const notice = takeNotice(req);
  res.status(status).render('program/index', {
    title,
    values: state.values,
    errors: state.errors ?? {},
    formError: state.formError,
    notice,
    reasonRows: rowNumbers.slice(0, rowCount(status === 200 ? undefined : req.body, 'reason', program.reasons.length, emptyReasonRows)),
    interviewerRows: rowNumbers.slice(
      0,
      rowCount(status === 200 ? undefined : req.body, 'interviewer', program.interviewerBySegment.length, emptyInterviewerRows),
    ),
    winRows: rowNumbers.slice(0, rowCount(status === 200 ? undefined : req.body, 'win', program.winPercentBySegment.length, emptyWinRows)),
    preview: sendPreview(program),
    programTimeZone: program.timeZone,
    // --- competitors
    suggestions: competitorSuggestions(await needs.competitorsOnLostDeals(), program.competitors, maxSuggestions),
    weekdayNames,
    holidays: holidaySummary(program),
    timeZones: timeZoneChoices(),
  });
}

export function show(needs: ProgramPageNeeds) {
  return async (req: Request, res: Response): Promise<void> => {
    await render(needs, req, res, 200, { values: programToForm(await loadProgram()) });
  };
}

export function save(needs: ProgramPageNeeds) {
  return async (req: Request, res: Response): Promise<void> => {
    const values = { ...withSuggested(typed(req.body, formFields), req.body), holidays: typedHolidays(req.body) };
    const parsed = parseProgramForm(values);
    if (!parsed.ok) return render(needs, req, res, 400, { values, errors: parsed.errors });
    const { changed } = await updateProgram(parsed.input, actorOf(req));
    req.session.notice =
      changed.length > 0 ? 'Program saved. New lost and won deals are planned with these rules.' : 'Nothing changed: the program is as it was.';
    res.redirect(303, '/settings/program');
  };
}

// ---- Time: the working week (a checkbox a day) and the holidays (a line each) ----

export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const weekdayNumbers = [1, 2, 3, 4, 5, 6, 7] as const;
/** A year's holidays for a few countries fit many times over; typed() keeps only 1,000 characters. */
const maxHolidayText = 40_000;

// Called while the module loads (formFields, above): only literals here.
function timeFormFields(): string[] {
  return [1, 2, 3, 4, 5, 6, 7].map((d) => `workingDay${d}`);
}

function timeToForm(program: Program): FormValues {
  return {
    ...Object.fromEntries(weekdayNumbers.filter((d) => program.workingDays.includes(d)).map((d) => [`workingDay${d}`, 'on'])),
    holidays: program.holidays.map((h) => `${h.date} ${h.name}`.trim()).join('\n'),
  };
}

/** The holidays box as typed (it may be longer than typed() keeps). */
function typedHolidays(body: unknown): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>).holidays : undefined;
  return typeof value === 'string' ? value.slice(0, maxHolidayText) : '';
}

/** The box's non-empty lines, with their line numbers. */
function holidayLines(text: string | undefined): { line: number; text: string }[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');
}

/** "2026-12-25 Christmas Day", "2026-12-25, Christmas Day" or "2026-12-25": the date, then the name. */
function holidayOfLine(text: string): { date: string; name: string } {
  const [, date = '', name = ''] = /^([^\s,;]+)[\s,;:\u2013\u2014-]*(.*)$/.exec(text) ?? [];
  // 2026-1-5 is 2026-01-05.
  const padded = /^\d{4}-\d{1,2}-\d{1,2}$/.test(date) ? date.replace(/-(\d)(?=-|$)/g, '-0$1') : date;
  return { date: padded, name };
}

function timeFromForm(values: FormValues): { workingDays: number[]; holidays: { date: string; name: string }[] } {
  return {
    workingDays: weekdayNumbers.filter((d) => filled(values[`workingDay${d}`])),
    holidays: holidayLines(values.holidays).map((l) => holidayOfLine(l.text)),
  };
}

/** A holiday's error, naming the line it is on and what it says. */
function holidayLineError(values: FormValues, index: number, message: string): string {
  const line = holidayLines(values.holidays)[index];
  if (!line) return message;
  const shown = line.text.length > 40 ? `${line.text.slice(0, 40)}…` : line.text;
  return `Line ${line.line} (“${shown}”): ${message}`;
}

const holidayDate = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export interface HolidaySummary {
  /** The next few, from today in the program's zone. */
  upcoming: { date: string; label: string; name: string }[];
  /** How many more are ahead after those. */
  later: number;
  /** Dates already past: kept (they explain plans made then), skipped by nothing now. */
  past: number;
}

export function holidaySummary(program: Program, now = new Date(), show = 5): HolidaySummary {
  const zone = isValidTimeZone(program.timeZone) ? program.timeZone : 'UTC';
  const today = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }).format(now);
  const ahead = program.holidays.filter((h) => h.date >= today);
  return {
    upcoming: ahead.slice(0, show).map((h) => ({ date: h.date, label: holidayDate.format(new Date(`${h.date}T00:00:00Z`)), name: h.name })),
    later: Math.max(0, ahead.length - show),
    past: program.holidays.length - ahead.length,
  };
}
