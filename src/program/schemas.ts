// The interview program as marketers and programs set it: one zod schema, used by the settings page,
// the JSON API (PUT /api/v1/program) and the OpenAPI document alike. The sending rules are checked
// once more by sendWindowRulesSchema (src/program/schedule.ts), the authority on them, so a program
// saved here is always one the planner can schedule with.
import { z } from 'zod';
import { oneLine } from '../lib/text.ts';
import { isCalendarDate, sendWindowRulesSchema } from './schedule.ts';
import { isValidTimeZone } from '../lib/time-zones.ts';

const messages = {
  coolOff: 'Enter a whole number of business days from 0 to 30.',
  timeZone: 'Enter a time zone such as Europe/Berlin or America/New_York.',
  sendFrom: 'Enter the opening time as HH:MM, such as 09:00.',
  sendUntil: 'Enter the closing time as HH:MM, such as 17:00 (24:00 for midnight).',
  untilAfterFrom: (from: string) => `Close the sending hours after they open: use a time later than ${from}.`,
  minimumAmount: 'Enter an amount of 0 or more, such as 10000 (0: every deal).',
  segment: 'Enter a segment name of at most 100 characters.',
  segments: 'At most 100 segments.',
  cooldown: 'Enter a whole number of days from 0 to 730.',
  holdOff: 'Enter a whole number of hours from 0 to 168.',
  reasonCode: 'Use lower-case letters, digits and _ only, such as product_fit.',
  reasonCodeMissing: 'Enter a code for this reason.',
  reasonLabel: 'Enter a label of at most 200 characters.',
  reasonLabelMissing: 'Enter a label for this reason.',
  reasonBuyerLabel: 'Enter the buyer’s wording in at most 200 characters.',
  reasonsMin: 'Keep at least one reason.',
  reasonsMax: 'At most 30 reasons.',
  duplicateCode: (code: string) => `The code ${code} is used twice: each reason needs its own.`,
  interviewerSegment: 'Enter the segment.',
  interviewerEmail: 'Enter the interviewer’s email address.',
  interviewersMax: 'At most 100 interviewer rules.',
  duplicateSegment: (segment: string) => `The segment ${segment} already has an interviewer.`,
  // --- competitors
  competitor: 'Write each competitor’s name in at most 100 characters, one a line.',
  competitorsMax: 'At most 50 competitors.',
};

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const hhmmOrMidnight = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const wholeNumber = (min: number, max: number, message: string) => z.number({ error: message }).int(message).min(min, message).max(max, message);

export const reasonInput = z
  .object({
    code: z
      .string({ error: messages.reasonCodeMissing })
      .trim()
      .min(1, messages.reasonCodeMissing)
      .max(50, messages.reasonCode)
      .regex(/^[a-z0-9_]+$/, messages.reasonCode)
      .meta({ description: 'Stable code stored with each loss, e.g. product_fit.' }),
    label: z
      .string({ error: messages.reasonLabelMissing })
      .trim()
      .min(1, messages.reasonLabelMissing)
      .max(200, messages.reasonLabel)
      .meta({ description: 'The team’s wording: what reps pick, and what reports and staff pages show.' }),
    buyerLabel: z
      .string({ error: messages.reasonBuyerLabel })
      .trim()
      .max(200, messages.reasonBuyerLabel)
      .optional()
      .meta({ description: 'What buyers read on the form for this reason. Empty or left out: the default wording for a default code, else the label.' }),
  })
  .strict();

export const interviewerRuleInput = z
  .object({
    segment: z.string({ error: messages.interviewerSegment }).trim().min(1, messages.interviewerSegment).max(100, messages.segment),
    email: z
      .string({ error: messages.interviewerEmail })
      .trim()
      .toLowerCase()
      .max(320, messages.interviewerEmail)
      .pipe(z.email({ error: messages.interviewerEmail }))
      .meta({ description: 'A staff member’s email; if no active user has it, the segment falls back to round-robin.' }),
  })
  .strict();

// ---- Time: the working week and the holidays that business days skip ----
const timeMessages = {
  workingDay: 'Choose working days as ISO weekdays, 1 (Monday) to 7 (Sunday).',
  noWorkingDay: 'Choose at least one working day: with none, no invitation could ever be sent.',
  holidayDate: 'Enter the date as YYYY-MM-DD, such as 2026-12-25.',
  holidayName: 'Keep the holiday’s name to one line of at most 100 characters.',
  holidaysMax: 'At most 500 holidays: remove past years you no longer need.',
};

export const holidayInput = z
  .object({
    date: z
      .string({ error: timeMessages.holidayDate })
      .trim()
      .refine(isCalendarDate, timeMessages.holidayDate)
      .meta({ description: 'The local date, YYYY-MM-DD.' }),
    name: z
      .string({ error: timeMessages.holidayName })
      .trim()
      .max(100, timeMessages.holidayName)
      .regex(oneLine, timeMessages.holidayName)
      .default('')
      .meta({ description: 'What the day is, e.g. Christmas Day; may be empty.' }),
  })
  .strict();

const timeFields = {
  workingDays: z
    .array(z.number({ error: timeMessages.workingDay }).int(timeMessages.workingDay).min(1, timeMessages.workingDay).max(7, timeMessages.workingDay), {
      error: timeMessages.workingDay,
    })
    .min(1, timeMessages.noWorkingDay)
    .transform((days) => [...new Set(days)].sort((a, b) => a - b))
    .optional()
    .meta({ description: 'ISO weekdays that are business days (1 Monday to 7 Sunday), at least one; [1,2,3,4,5] at first. Left out: kept as saved.' }),
  holidays: z
    .array(holidayInput, { error: timeMessages.holidayDate })
    .max(500, timeMessages.holidaysMax)
    // One entry per date (the first name given), in date order.
    .transform((list) => [...new Map(list.map((h) => [h.date, h] as const)).values()].sort((a, b) => a.date.localeCompare(b.date)))
    .optional()
    .meta({ description: 'Dates that are not business days, in the program’s and each buyer’s local calendar. Left out: kept as saved.' }),
};

// ---- Won deals: which share of them is interviewed, for every segment and per segment ----
const winMessages = {
  percent: 'Enter a whole percentage from 0 to 100 (0: no won deals are interviewed).',
  segment: 'Enter the segment, as deals name it (at most 100 characters).',
  rulesMax: 'At most 100 segment rates.',
  duplicate: (segment: string) => `The segment ${segment} already has a rate.`,
};
const winPercent = wholeNumber(0, 100, winMessages.percent);

export const winRateInput = z
  .object({
    segment: z.string({ error: winMessages.segment }).trim().min(1, winMessages.segment).max(100, winMessages.segment),
    percent: winPercent.meta({ description: 'The share of this segment’s won deals interviewed, 0 to 100.' }),
  })
  .strict();

const winFields = {
  winPercent: winPercent.optional().meta({
    description:
      'The share of won deals interviewed (0 to 100) in segments without a rate of their own; 0 at first (off). Which deals: a hash of the deal’s source and id, so the same deal is always sampled the same way. Left out: kept as saved.',
  }),
  winPercentBySegment: z
    .array(winRateInput, { error: winMessages.rulesMax })
    .max(100, winMessages.rulesMax)
    .optional()
    .meta({ description: 'A segment’s own share of won deals interviewed. Left out: kept as saved.' }),
};

export const programInput = z
  .object({
    coolOffBusinessDays: wholeNumber(0, 30, messages.coolOff).meta({
      description: 'Business days to wait after the loss (or the win) before inviting the buyer.',
    }),
    timeZone: z
      .string({ error: messages.timeZone })
      .trim()
      .refine(isValidTimeZone, messages.timeZone)
      .meta({ description: 'IANA time zone for the sending hours when the buyer’s is unknown.' }),
    sendFrom: z.string({ error: messages.sendFrom }).regex(hhmm, messages.sendFrom).meta({ description: 'Local time the sending hours open, HH:MM.' }),
    sendUntil: z
      .string({ error: messages.sendUntil })
      .regex(hhmmOrMidnight, messages.sendUntil)
      .refine((v) => v !== '00:00', messages.sendUntil)
      .meta({ description: 'Local time the sending hours close (exclusive), HH:MM, later than sendFrom; 24:00 for midnight.' }),
    minimumAmount: z
      .number({ error: messages.minimumAmount })
      .min(0, messages.minimumAmount)
      .max(1e12, messages.minimumAmount)
      .meta({ description: 'Deals below this amount get no interview; 0 for every deal.' }),
    segments: z
      .array(z.string({ error: messages.segment }).trim().min(1, messages.segment).max(100, messages.segment), { error: messages.segment })
      .max(100, messages.segments)
      .transform((list) => [...new Set(list)])
      .meta({ description: 'The segments in the program; empty for every segment.' }),
    contactCooldownDays: wholeNumber(0, 730, messages.cooldown).meta({
      description: 'Days a buyer contact (and their account) is left alone after being asked.',
    }),
    holdOffHours: wholeNumber(0, 168, messages.holdOff).meta({
      description: 'Hours after the loss (or the win) during which the rep may hold the interview off.',
    }),
    reasons: z
      .array(reasonInput, { error: messages.reasonsMin })
      .min(1, messages.reasonsMin)
      .max(30, messages.reasonsMax)
      .meta({ description: 'The loss-reason taxonomy, in the order shown; codes are unique.' }),
    interviewerBySegment: z
      .array(interviewerRuleInput, { error: messages.interviewersMax })
      .max(100, messages.interviewersMax)
      .meta({ description: 'Who interviews for a segment; other segments go round-robin among marketers.' }),
    // --- competitors
    competitors: z
      .array(z.string({ error: messages.competitor }).trim().min(1, messages.competitor).max(100, messages.competitor), { error: messages.competitor })
      .max(50, messages.competitorsMax)
      // One spelling per vendor: "clearpath" after "Clearpath" is the same one.
      .transform((list) => list.filter((name, i) => list.findIndex((n) => n.toLowerCase() === name.toLowerCase()) === i))
      .optional()
      .meta({
        description:
          'Named competitors, in the order buyers see them on the form’s vendor question (with “another” and “none” after them); answers name them as spelled here. Left out: the saved list stays.',
      }),
    // Time
    ...timeFields,
    // Won deals
    ...winFields,
  })
  .strict()
  // Runs even when some fields are wrong, so that a form shows every problem at once; a refused field
  // still holds what was sent, so each check looks only at parts that are well-formed.
  .superRefine(
    (program, ctx) => {
      const seenCodes = new Set<string>();
      program.reasons?.forEach((reason, i) => {
        if (typeof reason?.code !== 'string') return;
        if (seenCodes.has(reason.code)) ctx.addIssue({ code: 'custom', path: ['reasons', i, 'code'], message: messages.duplicateCode(reason.code) });
        seenCodes.add(reason.code);
      });
      const seenWinSegments = new Set<string>();
      program.winPercentBySegment?.forEach((rule, i) => {
        if (typeof rule?.segment !== 'string') return;
        const key = rule.segment.toLowerCase();
        if (seenWinSegments.has(key))
          ctx.addIssue({ code: 'custom', path: ['winPercentBySegment', i, 'segment'], message: winMessages.duplicate(rule.segment) });
        seenWinSegments.add(key);
      });
      const seenSegments = new Set<string>();
      program.interviewerBySegment?.forEach((rule, i) => {
        if (typeof rule?.segment !== 'string') return;
        if (seenSegments.has(rule.segment))
          ctx.addIssue({ code: 'custom', path: ['interviewerBySegment', i, 'segment'], message: messages.duplicateSegment(rule.segment) });
        seenSegments.add(rule.segment);
      });
      // The sending rules as the scheduler reads them: once the hours are well-formed, whatever the
      // scheduler still refuses (sendUntil not after sendFrom) is reported against our fields. A zone
      // or cool-off that is wrong is reported above; a placeholder stands in for it here.
      const { coolOffBusinessDays, timeZone, sendFrom, sendUntil } = program;
      if (typeof sendFrom !== 'string' || !hhmm.test(sendFrom) || typeof sendUntil !== 'string' || !hhmmOrMidnight.test(sendUntil)) return;
      const rules = sendWindowRulesSchema.safeParse({
        coolOffBusinessDays: Number.isInteger(coolOffBusinessDays) && coolOffBusinessDays >= 0 && coolOffBusinessDays <= 30 ? coolOffBusinessDays : 0,
        programTimeZone: typeof timeZone === 'string' && isValidTimeZone(timeZone) ? timeZone : 'UTC',
        sendFrom,
        sendUntil,
      });
      if (rules.success) return;
      for (const issue of rules.error.issues) {
        const field = issue.path[0] === 'programTimeZone' ? 'timeZone' : String(issue.path[0] ?? 'sendUntil');
        ctx.addIssue({ code: 'custom', path: [field], message: field === 'sendUntil' ? messages.untilAfterFrom(sendFrom) : issue.message });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

/** Competitor names suggested from lost deals, at most. */
export const maxSuggestions = 12;

/** The suggested competitor names ticked on the settings form (one, or several). */
export const suggestedBody = z.object({
  addCompetitor: z.union([z.string().trim().min(1).max(100), z.array(z.string().trim().min(1).max(100)).max(maxSuggestions)]).optional(),
});

/** What a client sends (PUT /api/v1/program, the settings form): every field, the whole program. */
export type ProgramInput = z.input<typeof programInput>;
/** The program after validation: trimmed, segments without repeats. */
export type ValidProgram = z.output<typeof programInput>;
