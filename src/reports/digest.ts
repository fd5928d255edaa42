// The weekly digest: what changed this week (new answers, the top themes, new quotes) with a link to the
// report, emailed to the sales team through the exactly-once outbox and optionally posted to a chat
// webhook. The hourly job (jobs/reports-digest.ts) calls runWeeklyDigest; it sends once the configured
// day and time of this ISO week have come, in the program's time zone. The outbox key
// digest:<week>:<person> makes it once per week per person however often the job runs; a claim document
// does the same for the chat post.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import mongoose, { Schema } from 'mongoose';
import { allStaff } from '../accounts/index.ts';
import { hookSettings } from '../hooks/index.ts';
import { isDuplicateKeyError } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import type { Queue } from '../lib/queue.ts';
import { scheduleEmail } from '../outbox/index.ts';
import { loadProgram } from '../program/index.ts';
import { isValidTimeZone } from '../lib/time-zones.ts';
import { postToChat } from './chat.ts';
import { loadDataset } from './dataset.ts';
import type { DigestContent } from './digest-content.ts';
import { loadDigestSettings, type DigestSettings } from './digest-settings.ts';
import { funnel } from './metrics.ts';
import { showsWins } from './outcomes.ts';
import { reasonLabeller } from './service.ts';
import { quoteOf, themeSection, themeSource } from './themes.ts';

export interface DigestWeek {
  /** "2026-W48" */
  week: string;
  /** When this week's digest is due. */
  dueAt: Date;
  due: boolean;
}

/** This ISO week in the program's time zone, and whether its digest time has come. */
export function digestWeek(now: Date, timeZone: string, settings: Pick<DigestSettings, 'weekday' | 'time'>): DigestWeek {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const local = DateTime.fromJSDate(now, { zone });
  const [hour, minute] = settings.time.split(':').map(Number);
  const due = local
    .startOf('week')
    .plus({ days: settings.weekday - 1 })
    .set({ hour: hour ?? 9, minute: minute ?? 0, second: 0, millisecond: 0 });
  return { week: local.toFormat("kkkk-'W'WW"), dueAt: due.toJSDate(), due: local >= due };
}

const dayMs = 86_400_000;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function lossesOnly(fresh: number, total: number, newLosses: number, period: string): string {
  return fresh === 0
    ? `No new buyer answers this week (${period}); ${plural(newLosses, 'deal was', 'deals were')} lost. ${plural(total, 'answer', 'answers')} in all.`
    : `${plural(fresh, 'new buyer answer', 'new buyer answers')} this week (${period}), ${plural(total, 'answer', 'answers')} in all; ${plural(newLosses, 'deal was', 'deals were')} lost this week.`;
}

/** The summary with won deals beside lost ones: each figure for both sides. */
function withWins(fresh: number, total: number, newLosses: number, wins: NonNullable<DigestContent['wins']>, period: string): string {
  const decided = `${plural(newLosses, 'deal was', 'deals were')} lost and ${wins.newWins} won this week`;
  const all = `${plural(total + wins.totalAnswers, 'answer', 'answers')} in all (${total} about lost deals, ${wins.totalAnswers} about won deals)`;
  const news = fresh + wins.newAnswers;
  return news === 0
    ? `No new buyer answers this week (${period}); ${decided}. ${all}.`
    : `${plural(news, 'new buyer answer', 'new buyer answers')} this week (${period}): ${fresh} about lost deals, ${wins.newAnswers} about won deals; ${all}; ${decided}.`;
}

/** The digest for the seven days up to `until`, its dates in the program's zone (the week is the program's). */
export async function buildDigest(until: Date, week: string, appUrl: string, timeZone = 'UTC'): Promise<DigestContent> {
  const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: isValidTimeZone(timeZone) ? timeZone : 'UTC' });
  const since = new Date(until.getTime() - 7 * dayMs);
  const [data, won, program] = await Promise.all([loadDataset({}), loadDataset({ outcome: 'won' }), loadProgram()]);
  const label = await reasonLabeller();
  const inWeek = (at: Date | null | undefined) => Boolean(at && at > since && at <= until);
  const fresh = data.responses.filter((r) => inWeek(r.submittedAt));
  const freshIds = new Set(fresh.map((r) => r.id));
  const newLosses = data.deals.filter((d) => inWeek(d.lostAt)).length;
  // Won deals are counted beside lost ones as the overview counts them (showsWins).
  const wins = showsWins(program, funnel(won))
    ? {
        newAnswers: won.responses.filter((r) => inWeek(r.submittedAt)).length,
        totalAnswers: won.responses.length,
        newWins: won.deals.filter((d) => inWeek(d.wonAt)).length,
      }
    : undefined;
  const section = themeSection('reasons', await themeSource('reasons', data.responses, label), data.responses, data);
  const topThemes = section.themes
    .filter((t) => t.id !== 'unclear')
    .slice(0, 3)
    .map((t) => ({
      label: t.label,
      share: t.share.share === null ? 'too few answers to read' : `${Math.round(t.share.share * 100)}%`,
      newThisWeek: t.memberIds.filter((id) => freshIds.has(id)).length,
    }));
  const quotes = [...fresh]
    .reverse()
    .map((r) => quoteOf(r, ['whyText'], data))
    .filter((q) => q !== null)
    .slice(0, 3)
    .map((q) => ({ text: q.text, attribution: q.attribution }));
  const periodLabel = `${dateFormat.format(since)} to ${dateFormat.format(until)}`;
  const title = `Debrief weekly digest, ${week}`;
  const summary = wins
    ? withWins(fresh.length, data.responses.length, newLosses, wins, periodLabel)
    : lossesOnly(fresh.length, data.responses.length, newLosses, periodLabel);
  const newAnswers = fresh.length + (wins?.newAnswers ?? 0);
  return {
    title,
    subject: newAnswers ? `${title}: ${plural(newAnswers, 'new answer', 'new answers')}` : title,
    week,
    periodLabel,
    summary,
    newAnswers: fresh.length,
    totalAnswers: data.responses.length,
    newLosses,
    ...(wins ? { wins, themesTitle: 'Top themes in why we lose' } : {}),
    topThemes,
    quotes,
    reportUrl: `${appUrl}/reports`,
  };
}

export interface Recipient {
  /** What the outbox key names: the user's id, or a hash of a listed address. */
  id: string;
  email: string;
  name: string;
}

export async function digestRecipients(settings: DigestSettings): Promise<Recipient[]> {
  const users = await allStaff();
  if (settings.recipients === 'sales') {
    return users.filter((u) => u.role === 'sales' && !u.disabled).map((u) => ({ id: u.id, email: u.email, name: u.name }));
  }
  const byEmail = new Map(users.map((u) => [u.email, u]));
  return settings.emails
    .map((email) => {
      const user = byEmail.get(email.toLowerCase());
      if (user && user.disabled) return null;
      return user
        ? { id: user.id, email: user.email, name: user.name }
        : { id: createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 24), email: email.toLowerCase(), name: '' };
    })
    .filter((r): r is Recipient => r !== null);
}

// One per week and chat post: inserted before posting (unique _id), removed again if the post fails.
const chatClaimSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });
const DigestChatClaim = mongoose.model('DigestChatClaim', chatClaimSchema);

export interface DigestRun {
  status: 'off' | 'not_yet' | 'sent';
  week: string;
  /** Emails planned by this run (0 when this week's were planned already). */
  scheduled: number;
  recipients: number;
  chat: 'none' | 'posted' | 'already' | 'failed';
}

/** Sends this week's digest if it is due and not sent yet. Safe to call as often as you like. */
export async function runWeeklyDigest(queue: Queue, opts: { appUrl: string; now?: Date; logger?: Logger }): Promise<DigestRun> {
  const now = opts.now ?? new Date();
  const [settings, program] = await Promise.all([loadDigestSettings(), loadProgram()]);
  const when = digestWeek(now, program.timeZone, settings);
  if (!settings.enabled) return { status: 'off', week: when.week, scheduled: 0, recipients: 0, chat: 'none' };
  if (!when.due) return { status: 'not_yet', week: when.week, scheduled: 0, recipients: 0, chat: 'none' };
  const content = await buildDigest(when.dueAt, when.week, opts.appUrl, program.timeZone);
  const recipients = await digestRecipients(settings);
  let scheduled = 0;
  for (const r of recipients) {
    const created = await scheduleEmail(queue, {
      key: `digest:${when.week}:${r.id}`,
      kind: 'digest',
      to: r.email,
      template: 'digest',
      data: { ...content, greetingName: r.name },
    });
    if (created) scheduled += 1;
  }
  let chat: DigestRun['chat'] = 'none';
  if (settings.webhookUrl) {
    const claim = `${when.week}`;
    try {
      await DigestChatClaim.create({ _id: claim, at: now });
      try {
        await postToChat(settings.webhookUrl, settings.webhookFormat, content, await hookSettings());
        chat = 'posted';
      } catch (err) {
        await DigestChatClaim.deleteOne({ _id: claim }); // the next hourly run tries again
        opts.logger?.warn({ err: { message: (err as Error).message } }, 'the digest could not be posted to the chat webhook');
        chat = 'failed';
      }
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      chat = 'already';
    }
  }
  return { status: 'sent', week: when.week, scheduled, recipients: recipients.length, chat };
}
