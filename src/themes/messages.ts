// Every sentence the themes pages, forms and quotes show, in one place.
import { themeSets } from './model.ts';
import type { ThemeSet } from './types.ts';

export const setLabels: Record<ThemeSet, { tab: string; title: string; lead: string; seeded: string }> = {
  reasons: {
    tab: 'Buyers’ reasons',
    title: 'Why buyers say we lost',
    lead: 'What buyers wrote about why they chose otherwise and what would have changed the outcome, grouped into themes.',
    seeded:
      'Few answers so far, so each theme is a loss reason: the one the buyer chose, or else the one their words match. With more answers, the themes come from what buyers wrote.',
  },
  helped: {
    tab: 'What would have helped',
    title: 'What buyers missed',
    lead: 'The information and material buyers say they lacked. This is what marketing can act on.',
    seeded:
      'Few answers so far, so each theme is a loss reason: the one the buyer chose, or else the one their words match. With more answers, the themes come from what buyers wrote.',
  },
  wins: {
    tab: 'Why we win',
    title: 'Why buyers say they chose us',
    lead: 'What buyers of won deals wrote about why they chose us and what almost made them choose someone else, grouped into themes. A theme that also decides losses is marked: that is where deals are won or lost.',
    seeded:
      'Few answers so far, so each theme is a reason: the one the buyer chose, or else the one their words match. With more answers, the themes come from what buyers wrote.',
  },
  reps: {
    tab: 'Reps’ notes',
    title: 'What our reps say',
    lead: 'The reps’ own notes on why each deal was lost, grouped the same way, to set beside what buyers say.',
    seeded:
      'Few notes so far, so each theme is a loss reason: the one the rep chose, or else the one their words match. With more notes, the themes come from what reps wrote.',
  },
};

const afterNewAnswers = (minutes: number) => `${minutes} minute${minutes === 1 ? '' : 's'} after new answers arrive`;

export const messages = {
  recomputedAfter: (minutes: number) => `Themes are also recomputed ${afterNewAnswers(minutes)}.`,
  pending: (at: string, minutes: number) =>
    `New answers are in: the themes are recomputed at ${at} (${afterNewAnswers(minutes)}). This page refreshes itself then.`,
  repAttribution: (rep: string | undefined, company: string) => `${rep ?? 'The rep'}, on the ${company} deal`,
  splitOther: (label: string) => `${label}: other answers`,
  noSnapshot: 'No themes yet: they are computed from the answers in the background.',
  queued: 'Recomputing the themes: this page shows them as soon as the run ends.',
  alreadyQueued: 'The themes are already being recomputed.',
  renamed: (from: string, to: string) => `Renamed “${from}” to “${to}”. The name is kept when the themes are recomputed.`,
  merged: (from: string, into: string) => `Merged “${from}” into “${into}”.`,
  split: (label: string, parts: string[]) => `Split “${label}” into ${parts.map((p) => `“${p}”`).join(' and ')}.`,
  moved: (into: string) => `Moved the answer to “${into}”.`,
  quote: {
    pin: 'Pinned the quote: it is shown first.',
    unpin: 'Unpinned the quote.',
    hide: 'Hid the quote: it is not shown again.',
    unhide: 'The quote may be shown again.',
  },
  errors: {
    labelRequired: 'Enter the theme’s new name.',
    labelTooLong: 'Keep the name to 80 characters or fewer.',
    labelTaken: (label: string) => `Another theme is already called “${label}”: choose another name, or merge the two.`,
    unclearFixed: 'The unclear group keeps its name: move its answers to a theme instead.',
    intoRequired: 'Choose the theme to merge into.',
    intoUnknown: 'Choose one of the other themes.',
    mergeSelf: 'Choose a different theme: a theme cannot be merged into itself.',
    splitTooSmall: 'A theme needs at least 4 answers, and two different ones, to be split.',
    moveToRequired: 'Choose the theme to move the answer to.',
    moveSame: 'The answer is already in this theme: choose another one.',
    answerUnknown: 'That answer is not in this theme any more: reload the page.',
    notQuotable: 'This buyer did not agree to be quoted: their answer cannot be pinned as a quote.',
    noTheme: 'We could not find that theme: the themes may have been recomputed. Reload the page.',
  },
};

/** The themes area's tabs: one per theme set, then the perception gap (whose page the reports own). */
export const themeTabs = themeSets.map((set) => ({ set, label: setLabels[set].tab, href: `/themes?set=${set}` }));
