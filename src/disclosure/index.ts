// How a buyer's answer may be shown, and to whom: the one rule, applied by every page, email, digest,
// export and API read that shows what a buyer wrote. Each free-text answer carries the buyer's choice
// (by name, without their name, for the team only), and each place that shows answers is one of three
// audiences:
//
//               | by name                          | without name                 | for the team only
//   quote       | words*, "Name, Role, Company"    | redacted, "A buyer at ..."   | never shown
//   list        | words as written, named          | redacted, "A buyer at ..."   | redacted, "A buyer at ..."
//   record      | words as written, named          | words as written, named      | words as written, named
//
//   * contact details (emails, links, phone numbers) taken out. Redacted: also the buyer's name,
//     company and email domain, wholly (redact.ts).
//
// quote: words presented as a quote, anywhere they may travel: the overview, the themes, the report and
// the prep brief, the weekly digest and its chat post. list: answers read together for analysis by
// anyone with the reports or themes (a theme's answers, the answers CSV): the buyer's words, never their
// identity unless they gave it. record: the interview itself, for those who run interviews (its answers
// page, the interviewer's notices) and for the buyer (the privacy export).
import { redactContacts, redactIdentity } from './redact.ts';

export { redactContacts, redactIdentity, type Identity } from './redact.ts';

export const quotePermissions = ['named', 'anonymous', 'internal'] as const;
export type QuotePermission = (typeof quotePermissions)[number];
export type Audience = 'quote' | 'list' | 'record';

/**
 * Bumped whenever the rule above changes what is shown: quotes kept with theme snapshots carry the
 * version they were made under and are made again when it is older (src/themes/snapshots.ts).
 */
export const disclosureVersion = 2;

/** Who answered, as far as showing their words needs. */
export interface Buyer {
  name?: string | null | undefined;
  role?: string | null | undefined;
  email?: string | null | undefined;
  company?: string | null | undefined;
  segment?: string | null | undefined;
}

/** One free-text answer and how its author allowed it to be used. */
export interface AnswerPart {
  text: string | null | undefined;
  permission: QuotePermission;
}

export interface ShownAnswer {
  text: string;
  /** Who said it, as this audience may know: "Zoe Zephyr, Head of CX, Zephyr Mutual" or "A buyer at an enterprise company". */
  attribution: string;
  /** Whether the buyer is named (else the text was redacted, or is a record shown as written). */
  named: boolean;
}

const order: readonly QuotePermission[] = ['named', 'anonymous', 'internal'];
/** The most careful of the buyer's choices. */
export function strictest(permissions: readonly QuotePermission[]): QuotePermission {
  return permissions.reduce<QuotePermission>((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), 'named');
}

/** Answers read as one (a reason and what would have changed it): each ends as a sentence. */
function joined(texts: readonly string[]): string {
  return texts.length === 1 ? texts[0]! : texts.map((t) => (/[.!?…]$/.test(t) ? t : `${t}.`)).join(' ');
}

const segmentPhrases: Record<string, string> = {
  smb: 'a small business',
  'mid-market': 'a mid-market company',
  midmarket: 'a mid-market company',
  enterprise: 'an enterprise company',
};

/** "a" or "an" before a word, as it is said: an SMB, an hour, a university, a one-off. */
export function article(word: string): 'a' | 'an' {
  const w = word.trim().split(/\s+/)[0] ?? '';
  const letters = w.replace(/[^A-Za-z]/g, '');
  if (letters.length >= 2 && letters === letters.toUpperCase()) return 'AEFHILMNORSX'.includes(letters[0]!) ? 'an' : 'a';
  const lower = letters.toLowerCase();
  if (/^(uni|use|usu|uti|eu|ewe|one|once|ur)/.test(lower)) return 'a';
  if (/^(hour|honest|honou?r|heir)/.test(lower)) return 'an';
  return /^[aeiou]/.test(lower) ? 'an' : 'a';
}

/** "A buyer at an enterprise company", from the deal's segment. */
export function anonymousAttribution(segment?: string | null): string {
  const s = segment?.trim();
  if (!s) return 'A buyer';
  const phrase = segmentPhrases[s.toLowerCase()] ?? `${article(s)} ${s} company`;
  return `A buyer at ${phrase}`;
}

/** "Zoe Zephyr, Head of CX, Zephyr Mutual": whatever of it is known. */
export function namedAttribution(buyer: Buyer): string {
  return (
    [buyer.name, buyer.role, buyer.company]
      .map((p) => p?.trim())
      .filter(Boolean)
      .join(', ') || anonymousAttribution(buyer.segment)
  );
}

/**
 * How an answer (one free-text answer, or several read as one) may be shown to an audience; null when it
 * may not be shown there at all (nothing written, or for the team only in a quote).
 */
export function showAnswer(answer: { parts: readonly AnswerPart[]; buyer: Buyer }, audience: Audience): ShownAnswer | null {
  const parts = answer.parts
    .map((p) => ({ text: (p.text ?? '').trim(), permission: p.permission }))
    .filter((p) => p.text !== '' && (audience !== 'quote' || p.permission !== 'internal'));
  if (parts.length === 0) return null;
  const text = joined(parts.map((p) => p.text));
  const { buyer } = answer;
  if (audience === 'record') return { text, attribution: namedAttribution(buyer), named: true };
  // Named only when the buyer gave their name for every part shown, and there is a name to give.
  if (strictest(parts.map((p) => p.permission)) === 'named' && buyer.name?.trim()) {
    return { text: audience === 'quote' ? redactContacts(text) : text, attribution: namedAttribution(buyer), named: true };
  }
  return { text: redactIdentity(text, buyer), attribution: anonymousAttribution(buyer.segment), named: false };
}

/** A response's free-text fields, and the choice its buyer made for each. */
export type TextField = 'whyText' | 'wouldHaveChangedText' | 'missingInfoText';

export interface StoredTexts {
  whyText?: string | null | undefined;
  wouldHaveChangedText?: string | null | undefined;
  missingInfoText?: string | null | undefined;
  quotePermission?: string | null | undefined;
  /** Each text's own choice (responses from before it was kept per text have only quotePermission). */
  textUses?: Partial<Record<TextField, string | null | undefined>> | null | undefined;
}

const asPermission = (p: string | null | undefined): QuotePermission | undefined =>
  (quotePermissions as readonly string[]).includes(p ?? '') ? (p as QuotePermission) : undefined;

/** The parts of a stored response to show, each with its buyer's choice for it. */
export function partsOf(r: StoredTexts, fields: readonly TextField[]): AnswerPart[] {
  const fallback = asPermission(r.quotePermission) ?? 'internal';
  return fields.map((f) => ({ text: r[f], permission: asPermission(r.textUses?.[f]) ?? fallback }));
}
