// Posts the weekly digest to a chat tool's incoming webhook: Slack ({"text": ...} with its mrkdwn) or
// Microsoft Teams (a MessageCard). The URL is checked when it is saved (https, see digest-settings.ts);
// the post goes through the address guard, has a timeout and throws on anything but a 2xx answer, so
// the caller can try again later.
import { postJson } from '../lib/outgoing/post.ts';
import type { DigestContent } from './digest-content.ts';

export type ChatFormat = 'slack' | 'teams';

function lines(content: DigestContent, bold: (s: string) => string, link: (url: string, label: string) => string): string[] {
  const out = [`${bold(content.title)}`, content.summary];
  if (content.topThemes.length) {
    out.push('', bold(content.themesTitle ?? 'Top themes'));
    for (const t of content.topThemes) out.push(`• ${t.label}: ${t.share}${t.newThisWeek ? ` (${t.newThisWeek} new this week)` : ''}`);
  }
  if (content.quotes.length) {
    out.push('', bold('New quotes'));
    for (const q of content.quotes) out.push(`> “${q.text}” (${q.attribution})`);
  }
  out.push('', link(content.reportUrl, 'Open the deal-review report'));
  return out;
}

// Slack's mrkdwn treats & < > as control characters: escape them in what buyers wrote.
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chatPayload(format: ChatFormat, content: DigestContent): Record<string, unknown> {
  if (format === 'teams') {
    return {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: content.title,
      themeColor: '2449A8',
      title: content.title,
      text: lines(
        content,
        (s) => `**${s}**`,
        (url, label) => `[${label}](${url})`,
      )
        .slice(1)
        .join('\n\n'),
    };
  }
  const safe: DigestContent = {
    ...content,
    summary: slackEscape(content.summary),
    quotes: content.quotes.map((q) => ({ ...q, text: slackEscape(q.text), attribution: slackEscape(q.attribution) })),
    topThemes: content.topThemes.map((t) => ({ ...t, label: slackEscape(t.label) })),
  };
  return {
    text: lines(
      safe,
      (s) => `*${s}*`,
      (url, label) => `<${url}|${label}>`,
    ).join('\n'),
  };
}

/** Through the address guard (src/lib/outgoing/): a private address is refused unless an admin allowed them. */
export async function postToChat(url: string, format: ChatFormat, content: DigestContent, opts: { allowPrivateAddresses: boolean }): Promise<void> {
  const result = await postJson(url, JSON.stringify(chatPayload(format, content)), {}, { ...opts, userAgent: 'Debrief-Digest/1' });
  if (result.status === undefined) throw new Error(result.error ?? 'The chat webhook did not answer.');
  if (result.status < 200 || result.status >= 300) throw new Error(`The chat webhook answered ${result.status}.`);
}
