// The program's sending rules as the scheduler (schedule.ts) reads them: the one place that turns the
// saved program into SendWindowRules, for the planner, the reminders and the settings page's preview.
import type { Program } from './model.ts';
import type { SendWindowRules } from './schedule.ts';

const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

export function sendWindowOf(
  program: Pick<Program, 'coolOffBusinessDays' | 'timeZone' | 'sendFrom' | 'sendUntil' | 'workingDays' | 'holidays'>,
): SendWindowRules {
  return {
    coolOffBusinessDays: program.coolOffBusinessDays,
    programTimeZone: program.timeZone,
    sendFrom: program.sendFrom,
    sendUntil: program.sendUntil,
    weekendDays: weekdays.filter((d) => !program.workingDays.includes(d)),
    holidays: program.holidays.map((h) => h.date),
  };
}
