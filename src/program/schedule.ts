// When to invite a buyer after a lost deal: a cool-off of business days, then a moment inside the
// program's sending hours on a business day, in the buyer's time zone when we know it. Pure: no
// database, no clock; the caller passes the loss instant and the rules.
//
// Local times are resolved by hand (resolveLocal) rather than with luxon's DateTime.plus: luxon moves
// a time that a spring-forward change skips by the length of the gap (02:30 -> 03:30) and picks one of
// the two readings of a fall-back hour from the offset it started with. Here a skipped time becomes
// the first instant after the gap (02:30 -> 03:00) and a repeated time its first occurrence, always.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { ValidationError } from '../lib/errors.ts';
import { fieldErrorRecord } from '../lib/http/validate.ts';
import { isValidTimeZone } from '../lib/time-zones.ts';

export interface SendWindowRules {
  /** Whole business days to wait after the loss, 0 to 30. */
  coolOffBusinessDays: number;
  /** IANA zone used when the buyer's is unknown, e.g. 'Europe/Berlin'. */
  programTimeZone: string;
  /** Local time the sending hours open, 'HH:MM'. */
  sendFrom: string;
  /** Local time the sending hours close, 'HH:MM' (exclusive; '24:00' means midnight). */
  sendUntil: string;
  /** ISO weekday numbers, 1 (Monday) to 7 (Sunday); [6, 7] when left out. */
  weekendDays?: number[];
  /** Local dates, 'YYYY-MM-DD', treated like weekend days. */
  holidays?: string[];
}

export interface SendTime {
  sendAt: Date;
  /** The zone the window was applied in: the buyer's when valid, else the program's. */
  timeZone: string;
  /** A short English explanation, fit to show to staff. */
  reason: string;
}

/** What a new program starts with; the program settings replace the zone (UTC is only a placeholder). */
export const defaultSendWindow: SendWindowRules = Object.freeze({
  coolOffBusinessDays: 3,
  programTimeZone: 'UTC',
  sendFrom: '09:00',
  sendUntil: '17:00',
  weekendDays: Object.freeze([6, 7]) as number[],
  holidays: Object.freeze([] as string[]) as string[],
});

/** How the reason names the decision counted from (an interview's outcomeWords, src/interviews/outcome-words.ts). */
export interface DecisionWords {
  decision: string;
  decided: string;
}

const messages = {
  time: 'must be a time of day as HH:MM, from 00:00 to 23:59',
  untilTime: 'must be a time of day as HH:MM, from 00:01 to 24:00',
  untilAfterFrom: 'must be later than sendFrom (the sending hours close after they open)',
  coolOff: 'must be a whole number of business days from 0 to 30',
  timeZone: 'must be an IANA time zone such as Europe/Berlin',
  weekday: 'must be ISO weekday numbers from 1 (Monday) to 7 (Sunday)',
  allWeekend: 'cannot cover all 7 days of the week: nothing would ever be sent',
  holiday: 'must be dates as YYYY-MM-DD',
  invalidRules: (problems: string[]) => `The sending rules are not valid: ${problems.join('; ')}.`,
  noSendableDay: (days: number, zone: string) => `No business day within ${days} days in ${zone}: check the weekend days and holidays.`,
  coolOffDays: (days: number, d: DecisionWords) => `${days} business day${days === 1 ? '' : 's'} after ${d.decision}`,
  coolOffFromNext: (days: number, weekday: string, d: DecisionWords) =>
    `${days} business day${days === 1 ? '' : 's'} after ${d.decision}, counted from ${weekday} as it was ${d.decided} on a non-business day`,
  noCoolOff: 'no cool-off: the next sending time',
  at: (time: string, zone: string) => `at ${time} ${zone}`,
  buyerZone: "the buyer's time zone",
  programZoneNoBuyer: "the program's time zone; the buyer's is unknown",
  programZoneBadBuyer: (given: string) =>
    `the program's time zone; the buyer's "${given.length > 40 ? `${given.slice(0, 40)}...` : given}" is not a valid time zone`,
};

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

/** True for a real date written YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

export const sendWindowRulesSchema = z
  .object({
    coolOffBusinessDays: z.number({ error: messages.coolOff }).int(messages.coolOff).min(0, messages.coolOff).max(30, messages.coolOff).default(3),
    programTimeZone: z.string({ error: messages.timeZone }).refine(isValidTimeZone, messages.timeZone),
    sendFrom: z.string({ error: messages.time }).regex(hhmm, messages.time).default('09:00'),
    sendUntil: z
      .string({ error: messages.untilTime })
      .refine((v) => (hhmm.test(v) || v === '24:00') && v !== '00:00', messages.untilTime)
      .default('17:00'),
    weekendDays: z
      .array(z.number({ error: messages.weekday }).int(messages.weekday).min(1, messages.weekday).max(7, messages.weekday), {
        error: messages.weekday,
      })
      .refine((days) => new Set(days).size < 7, messages.allWeekend)
      .transform((days) => [...new Set(days)].sort((a, b) => a - b))
      .default([6, 7]),
    holidays: z.array(z.string({ error: messages.holiday }).refine(isCalendarDate, messages.holiday), { error: messages.holiday }).default([]),
  })
  .superRefine((rules, ctx) => {
    const { sendFrom, sendUntil } = rules;
    if (hhmm.test(sendFrom) && (hhmm.test(sendUntil) || sendUntil === '24:00') && minutesOf(sendFrom) >= minutesOf(sendUntil)) {
      ctx.addIssue({ code: 'custom', path: ['sendUntil'], message: messages.untilAfterFrom });
    }
  });

export type SendWindowRulesInput = z.input<typeof sendWindowRulesSchema>;
type ParsedRules = z.output<typeof sendWindowRulesSchema>;

/** Refused sending rules; `problems` reads "field: what is wrong", `details` groups them by field. */
export class SendWindowRulesError extends ValidationError {
  constructor(
    readonly problems: string[],
    details: Record<string, string[]>,
  ) {
    super(details, messages.invalidRules(problems));
    this.name = 'SendWindowRulesError';
  }
}

/** Validates rules (filling the defaults); throws a SendWindowRulesError naming every problem. */
export function parseSendWindowRules(input: unknown): SendWindowRules {
  return parseRules(input);
}

function parseRules(input: unknown): ParsedRules {
  const parsed = sendWindowRulesSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = fieldErrorRecord();
  const problems = parsed.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? 'rules');
    (details[field] ??= []).push(issue.message);
    return `${issue.path.join('.') || 'rules'}: ${issue.message}`;
  });
  throw new SendWindowRulesError(problems, details);
}

// ---- Wall-clock arithmetic ---------------------------------------------------------------------

const DAY_MS = 86_400_000;
// Search this far for a business day before deciding the holidays leave none (ten years).
const MAX_SEARCH_DAYS = 3_660;

/** The rules, validated once, in the shape the arithmetic uses. */
interface Window {
  zone: IANAZone;
  zoneName: string;
  fromMs: number;
  untilMs: number;
  weekend: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
}

function windowFor(rules: ParsedRules, zoneName: string): Window {
  return {
    zone: IANAZone.create(zoneName) as IANAZone,
    zoneName,
    fromMs: minutesOf(rules.sendFrom) * 60_000,
    untilMs: minutesOf(rules.sendUntil) * 60_000,
    weekend: new Set(rules.weekendDays),
    holidays: new Set(rules.holidays),
  };
}

function offsetMs(zone: IANAZone, instant: number): number {
  return Math.round(zone.offset(instant) * 60_000);
}

/** A calendar date is a luxon DateTime at midnight UTC: plus({ days }) is then pure calendar arithmetic. */
type CivilDate = DateTime;

interface Local {
  date: CivilDate;
  msOfDay: number;
}

function localOf(instant: number, zone: IANAZone): Local {
  const wall = instant + offsetMs(zone, instant);
  const msOfDay = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
  return { date: DateTime.fromMillis(wall - msOfDay, { zone: 'utc' }), msOfDay };
}

/**
 * The instant a wall-clock time on a date shows in the zone. A time the clocks skip becomes the first
 * instant after the skip; a time they show twice becomes its first showing at or after notBefore.
 */
function resolveLocal(date: CivilDate, msOfDay: number, zone: IANAZone, notBefore = -Infinity): number {
  const wall = date.toMillis() + msOfDay;
  // Offsets in force around this wall time (a day and a half either side covers every real change).
  const offsets = [...new Set([wall - 1.5 * DAY_MS, wall, wall + 1.5 * DAY_MS].map((t) => offsetMs(zone, t)))];
  const readings = offsets
    .map((o) => wall - o)
    .filter((u) => offsetMs(zone, u) === wall - u)
    .sort((a, b) => a - b);
  if (readings.length > 0) return readings.find((u) => u >= notBefore) ?? readings[readings.length - 1]!;
  // In a gap: the wall clock jumps over this time between lo (before the change) and hi (after it).
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + offsetMs(zone, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function isBusinessDate(date: CivilDate, w: Window): boolean {
  return !w.weekend.has(date.weekday) && !w.holidays.has(date.toISODate()!);
}

function isSendable(instant: number, w: Window): boolean {
  const { date, msOfDay } = localOf(instant, w.zone);
  return isBusinessDate(date, w) && msOfDay >= w.fromMs && msOfDay < w.untilMs;
}

function firstBusinessDateFrom(date: CivilDate, w: Window): CivilDate {
  let d = date;
  for (let i = 0; i <= MAX_SEARCH_DAYS; i++, d = d.plus({ days: 1 })) {
    if (isBusinessDate(d, w)) return d;
  }
  throw new Error(messages.noSendableDay(MAX_SEARCH_DAYS, w.zoneName));
}

/** The date `days` business days after `date`, counting from the day after it. */
function addBusinessDates(date: CivilDate, days: number, w: Window): CivilDate {
  let d = date;
  for (let n = 0; n < days; n++) d = firstBusinessDateFrom(d.plus({ days: 1 }), w);
  return d;
}

function nextSendable(from: number, w: Window): number {
  if (isSendable(from, w)) return from;
  let d = localOf(from, w.zone).date;
  for (let i = 0; i <= MAX_SEARCH_DAYS; i++, d = d.plus({ days: 1 })) {
    if (!isBusinessDate(d, w)) continue;
    // The opening may fall in a DST gap and resolve past the closing time, or onto the next date.
    const opening = resolveLocal(d, w.fromMs, w.zone, from);
    if (opening >= from && isSendable(opening, w)) return opening;
  }
  throw new Error(messages.noSendableDay(MAX_SEARCH_DAYS, w.zoneName));
}

// ---- Public API ---------------------------------------------------------------------------------

function instantOf(value: Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms)) throw new TypeError(`${name} must be a valid Date`);
  return ms;
}

// Validated windows by their rules and zone: the same few are asked for again and again (every email
// followed up plans its reminders), and validating the rules costs more than the arithmetic.
const windows = new Map<string, Window>();

function checkedWindow(rules: SendWindowRules, timeZone: string): Window {
  const key = JSON.stringify([rules, timeZone]);
  const known = windows.get(key);
  if (known) return known;
  const parsed = parseRules(rules);
  if (!isValidTimeZone(timeZone)) throw new RangeError(`"${timeZone}" is not a valid IANA time zone`);
  const window = windowFor(parsed, timeZone);
  if (windows.size >= 200) windows.clear();
  windows.set(key, window);
  return window;
}

/** The earliest instant at or after `from` inside the sending hours of a business day in `timeZone`. */
export function nextSendableTime(from: Date, rules: SendWindowRules, timeZone: string): Date {
  return new Date(nextSendable(instantOf(from, 'from'), checkedWindow(rules, timeZone)));
}

/**
 * The same wall-clock time `days` business days after `from` in `timeZone` (counting from the next
 * day; sending hours play no part). `days` 0 returns `from`.
 */
export function addBusinessDays(from: Date, days: number, rules: SendWindowRules, timeZone: string): Date {
  const start = instantOf(from, 'from');
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number, 0 or more');
  const w = checkedWindow(rules, timeZone);
  if (days === 0) return new Date(start);
  const { date, msOfDay } = localOf(start, w.zone);
  return new Date(resolveLocal(addBusinessDates(date, days, w), msOfDay, w.zone, start));
}

/**
 * When to send the interview invitation for a deal lost at `lostAt`: on the Nth business day after the
 * loss (a loss on a weekend day or holiday counts from the next business day), at the time of day of
 * the loss when it fell inside the sending hours, else when they open; never before the loss and
 * always inside the sending hours of a business day. Throws a SendWindowRulesError for invalid rules.
 */
export function computeSendTime(
  lostAt: Date,
  rules: SendWindowRules,
  buyerTimeZone?: string | null,
  words: DecisionWords = { decision: 'the loss', decided: 'lost' },
): SendTime {
  const lost = instantOf(lostAt, 'lostAt');
  const parsed = parseRules(rules);

  const buyerGiven = typeof buyerTimeZone === 'string' && buyerTimeZone.trim() !== '';
  const useBuyer = buyerGiven && isValidTimeZone(buyerTimeZone);
  const timeZone = useBuyer ? buyerTimeZone : parsed.programTimeZone;
  const whose = useBuyer ? messages.buyerZone : buyerGiven ? messages.programZoneBadBuyer(buyerTimeZone) : messages.programZoneNoBuyer;
  const w = windowFor(parsed, timeZone);

  const days = parsed.coolOffBusinessDays;
  const loss = localOf(lost, w.zone);
  const lostInWindow = isSendable(lost, w);
  const countFrom = firstBusinessDateFrom(loss.date, w);
  const sendDate = addBusinessDates(countFrom, days, w);
  const candidate = resolveLocal(sendDate, lostInWindow ? loss.msOfDay : w.fromMs, w.zone, lost);
  const sendAt = nextSendable(Math.max(candidate, lost), w);

  const when =
    days === 0
      ? messages.noCoolOff
      : countFrom.equals(loss.date)
        ? messages.coolOffDays(days, words)
        : messages.coolOffFromNext(days, countFrom.setLocale('en').toFormat('cccc'), words);
  const time = DateTime.fromMillis(sendAt, { zone: timeZone }).toFormat('HH:mm');
  return { sendAt: new Date(sendAt), timeZone, reason: `${when}, ${messages.at(time, timeZone)} (${whose})` };
}
