// What each email is: who gets it, when it no longer makes sense, what it says, and what sending it
// (or failing to, for good) changes. The sender (send.ts) is the same for all of them.
import type { Types } from 'mongoose';
import { timeZoneOfRecipient } from '../accounts/index.ts';
import { Deal, type DealDoc } from '../deals/model.ts';
import type { Secrets } from '../lib/secrets.ts';
import { openBuyerStates, outcomeWords } from '../interviews/index.ts';
import { buyerFormUrl, buyerLinkToken } from '../interviews/link.ts';
import { Interview, InterviewResponse, outcomeOf, type InterviewState } from '../interviews/model.ts';
import { decidedAt, type StoredInterview } from '../interviews/planner.ts';
import { addresseeOnlyHeader, renderEmail, type RenderedEmail } from '../mail/index.ts';
import { holdOffDeadline } from '../interviews/holdoff.ts';
import { debriefLinkDays, issueRepLink, repLinkUrl } from '../replinks/index.ts';
import { loadProgram, type Program } from '../program/index.ts';
import { unsubscribeHeaders, unsubscribeUrl } from '../suppression/index.ts';
import type { EmailKind } from './model.ts';
import { loadEmailSettings, type EmailSettings } from './settings.ts';
import { paragraphs, textFor, type EditableEmail, type PlaceholderValues } from './texts.ts';

export interface SendContext {
  interview: StoredInterview;
  deal: (DealDoc & { _id: Types.ObjectId }) | null;
  program: Program;
  settings: EmailSettings;
  appUrl: string;
  secrets: Secrets;
  step: number;
}

export interface Composed extends RenderedEmail {
  replyTo?: string;
  fromName?: string;
  headers?: Record<string, string>;
}

export interface KindSpec {
  audience: 'buyer' | 'staff';
  /** Why this email should not go (any more), or null. */
  skip(ctx: SendContext): string | null;
  recipient(ctx: SendContext): string | null;
  compose(ctx: SendContext): Promise<Composed>;
}

/** How a staff email states a time: in the recipient's zone (src/accounts/time-zone.ts), named. */
const whenIn = (timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });

function placeholderValues(ctx: SendContext, signer: string): PlaceholderValues {
  const name = ctx.interview.contact?.name?.trim() || 'there';
  return {
    first_name: name.split(/\s+/)[0] ?? name,
    buyer_name: name,
    buyer_company: ctx.deal?.buyerCompany ?? ctx.interview.buyerCompany ?? '',
    deal_name: ctx.deal?.name ?? '',
    our_company: ctx.settings.companyName,
    marketer_name: signer,
  };
}

const buttonLabels: Record<EditableEmail, string> = {
  invitation: 'Answer the questions (2 minutes)',
  reminder: 'Answer the questions (2 minutes)',
  last_call: 'Answer before the form closes',
  thank_you: '',
  win_invitation: 'Answer the questions (2 minutes)',
  win_reminder: 'Answer the questions (2 minutes)',
  win_last_call: 'Answer before the form closes',
  win_thank_you: '',
};

/**
 * A buyer's email from the marketer's words: the one renderer for what is sent and for the preview on
 * the emails page, so that the preview is the email. `link` is empty for the thank-you.
 */
export function renderBuyerEmail(
  text: EditableEmail,
  settings: Pick<EmailSettings, 'companyName' | 'texts'>,
  values: PlaceholderValues,
  links: { form: string; unsubscribe: string },
): Promise<RenderedEmail> {
  return renderEmail('buyer-message', {
    subject: paragraphs(settings.texts[text].subject, values).join(' '),
    brand: settings.companyName,
    paragraphs: paragraphs(settings.texts[text].body, values),
    link: text === 'thank_you' || text === 'win_thank_you' ? '' : links.form,
    buttonLabel: buttonLabels[text],
    marketerName: values.marketer_name,
    companyName: settings.companyName,
    unsubscribeUrl: links.unsubscribe,
    footerNote: `You get this email because you recently looked at ${settings.companyName} for ${values.buyer_company || 'your team'}. Your answers stay with ${settings.companyName}.`,
  });
}

async function composeBuyer(ctx: SendContext, email: Parameters<typeof textFor>[0]): Promise<Composed> {
  // A won deal's buyer is written to in the won deals' words.
  const text = textFor(email, outcomeOf(ctx.interview));
  const signer = ctx.interview.interviewer;
  // The sender names one before it composes (send.ts): a buyer's email is never signed by no one.
  if (!signer?.name?.trim() || !signer.email) throw new Error('A buyer email without an interviewer to sign it');
  const values = placeholderValues(ctx, signer.name);
  const id = String(ctx.interview._id);
  const link = email === 'thank_you' ? '' : buyerFormUrl(ctx.appUrl, await buyerLinkToken(id, ctx.secrets, ctx.interview));
  const rendered = await renderBuyerEmail(text, ctx.settings, values, { form: link, unsubscribe: unsubscribeUrl(ctx.appUrl, id, ctx.secrets) });
  return {
    ...rendered,
    fromName: signer.name,
    replyTo: signer.email,
    headers: unsubscribeHeaders(ctx.appUrl, id, ctx.secrets),
  };
}

function buyerKind(text: Parameters<typeof textFor>[0], allowed: readonly InterviewState[]): KindSpec {
  return {
    audience: 'buyer',
    skip: ({ interview }) => (allowed.includes(interview.state) ? null : `the interview is ${interview.state.replace('_', ' ')}`),
    recipient: ({ interview }) => interview.contact?.email ?? null,
    compose: (ctx) => composeBuyer(ctx, text),
  };
}

interface Notice {
  subject: string;
  lines: string[];
}

function staffNotice(describe: (ctx: SendContext) => Notice | Promise<Notice>): KindSpec {
  return {
    audience: 'staff',
    skip: ({ interview }) => (interview.interviewer?.email ? null : 'the interview has no interviewer'),
    recipient: ({ interview }) => interview.interviewer?.email ?? null,
    async compose(ctx) {
      const { subject, lines } = await describe(ctx);
      const link = ctx.deal ? `${ctx.appUrl}/deals/${String(ctx.deal._id)}` : `${ctx.appUrl}/interviews`;
      return renderEmail('staff-notice', { subject, greetingName: ctx.interview.interviewer?.name ?? '', lines, link, linkLabel: 'Open the deal' });
    },
  };
}

const standalone: KindSpec = {
  audience: 'staff',
  skip: () => 'this email is not about an interview',
  recipient: () => null,
  compose: () => Promise.reject(new Error('this email is not about an interview')),
};

const who = (ctx: SendContext) =>
  `${ctx.interview.contact?.name ?? 'The buyer'} (${ctx.deal?.buyerCompany ?? ctx.interview.buyerCompany ?? 'unknown company'})`;
const dealName = (ctx: SendContext) => ctx.deal?.name ?? 'the deal';

/**
 * What the rep's notice says, from the interview as it is when the notice is written: still planned
 * (with the hold-off link), already sent (a marketer sent it at once: too late to hold off), or not to
 * be asked (excluded, held off or cancelled, with why).
 */
function repPlanOf(interview: StoredInterview): { plan: 'planned' | 'asked' | 'not_asked'; askedAt: Date | null; reason: string } {
  const noteOf = (state: InterviewState) => [...interview.timeline].reverse().find((t) => t.state === state)?.note ?? '';
  switch (interview.state) {
    case 'planned':
      return { plan: 'planned', askedAt: null, reason: '' };
    case 'excluded':
      return { plan: 'not_asked', askedAt: null, reason: interview.exclusionReason ?? noteOf('excluded') };
    case 'held':
      return { plan: 'not_asked', askedAt: null, reason: `${interview.holdOff?.by ?? 'Someone'} held it off: ${interview.holdOff?.reason ?? noteOf('held')}` };
    case 'cancelled':
      return { plan: 'not_asked', askedAt: null, reason: noteOf('cancelled') || `the deal is no longer ${outcomeWords(interview).decided}.` };
    default:
      return { plan: 'asked', askedAt: interview.timeline.find((t) => t.state === 'invited')?.at ?? null, reason: '' };
  }
}

export const kinds: Record<EmailKind, KindSpec> = {
  invitation: buyerKind('invitation', ['planned']),
  reminder: buyerKind('reminder', openBuyerStates),
  last_call: buyerKind('last_call', openBuyerStates),
  thank_you: buyerKind('thank_you', ['completed']),
  rep_plan: {
    audience: 'staff',
    skip: ({ deal }) => (deal?.ownerEmail ? null : 'the deal has no owner email'),
    recipient: ({ deal }) => deal?.ownerEmail ?? null,
    async compose({ interview, deal, program, appUrl }) {
      const lostAt = (deal && decidedAt(deal, outcomeOf(interview))) ?? interview.createdAt;
      const { plan, askedAt, reason } = repPlanOf(interview);
      // Links for the rep alone, each for one purpose and with its own end (src/replinks): no account needed.
      const holdOffUntil = holdOffDeadline({ lostAt, wonAt: lostAt }, interview, program.holdOffHours);
      const to = { dealId: interview.dealId, interviewId: interview._id, repEmail: deal?.ownerEmail ?? '' };
      const holdOffLink = plan === 'planned' ? repLinkUrl(appUrl, 'hold_off', await issueRepLink('hold_off', to, holdOffUntil)) : '';
      const debriefLink = repLinkUrl(appUrl, 'debrief', await issueRepLink('debrief', to, new Date(Date.now() + debriefLinkDays * 86_400_000)));
      const when = whenIn(await timeZoneOfRecipient(deal?.ownerEmail ?? '', program.timeZone));
      const email = await renderEmail('rep-plan', {
        decided: outcomeWords(interview).decided,
        repName: deal?.ownerName || deal?.ownerEmail || '',
        dealName: deal?.name ?? '',
        company: deal?.buyerCompany ?? '',
        buyerName: interview.contact?.name ?? 'the buyer',
        plan,
        when: interview.plannedFor ? when.format(interview.plannedFor) : '',
        askedAt: askedAt ? when.format(askedAt) : '',
        interviewerName: interview.interviewer?.name ?? 'someone',
        interviewerEmail: interview.interviewer?.email ?? '',
        reason,
        holdOffLink,
        holdOffUntil: when.format(holdOffUntil),
        debriefLink,
        debriefDays: debriefLinkDays,
      });
      // The links act for the rep: the dev mailbox shows this email to its addressee only.
      return { ...email, ...(interview.interviewer?.email ? { replyTo: interview.interviewer.email } : {}), headers: { [addresseeOnlyHeader]: 'yes' } };
    },
  },
  marketer_completed: staffNotice(async (ctx) => {
    // The one answer the interviewer acts on: whether the buyer agreed to a short call.
    const response = await InterviewResponse.findOne({ interviewId: ctx.interview._id }).select({ callConsent: 1 }).lean();
    const call = response?.callConsent === true;
    const contact = ctx.interview.contact;
    return {
      subject: `${contact?.name ?? 'A buyer'} answered${call ? ' and agreed to a call' : ''}: ${dealName(ctx)}`,
      lines: [
        `${who(ctx)} completed the interview about ${dealName(ctx)}.`,
        ...(call ? [`They agreed to a short call: write to ${contact?.name ?? 'them'}${contact?.email ? ` at ${contact.email}` : ''} to find a time.`] : []),
        ...(response?.callConsent === false ? ['They would rather not have a call.'] : []),
        'Their answers are on the deal page, and they count in the next themes run.',
      ],
    };
  }),
  marketer_declined: staffNotice((ctx) => ({
    subject: `${ctx.interview.contact?.name ?? 'A buyer'} declined: ${dealName(ctx)}`,
    lines: [`${who(ctx)} chose “No thanks” for the interview about ${dealName(ctx)}. No more reminders go out.`],
  })),
  marketer_bounced: staffNotice((ctx) => ({
    subject: `Not delivered: the interview with ${ctx.interview.contact?.name ?? 'a buyer'}`,
    lines: [
      `The mail server refused the address of ${who(ctx)} for good, so the interview about ${dealName(ctx)} is marked bounced.`,
      'Check the contact’s address on the deal page.',
    ],
  })),
  // Standalone: never reached through an interview (see send.ts, prepare()).
  digest: standalone,
  staff: standalone,
  marketer_held: staffNotice((ctx) => ({
    subject: `Held off by the rep: ${dealName(ctx)}`,
    lines: [
      `${ctx.interview.holdOff?.by ?? 'The rep'} held off the interview with ${who(ctx)}.`,
      `Their reason: ${ctx.interview.holdOff?.reason ?? '(none given)'}`,
    ],
  })),
};

/** What every email of a batch reads alike (the program, the email settings): read once per batch. */
export interface SharedLoads {
  program(): Promise<Program>;
  settings(): Promise<EmailSettings>;
}

export function sharedLoads(mailFrom?: string): SharedLoads {
  // A failed read is not kept: the next email of the batch reads again.
  const once = <T>(load: () => Promise<T>) => {
    let pending: Promise<T> | undefined;
    return () =>
      (pending ??= load().catch((err: unknown) => {
        pending = undefined;
        throw err;
      }));
  };
  return { program: once(loadProgram), settings: once(() => loadEmailSettings(mailFrom)) };
}

export async function loadSendContext(
  interviewId: Types.ObjectId | string,
  step: number,
  appUrl: string,
  secrets: Secrets,
  mailFrom?: string,
  shared = sharedLoads(mailFrom),
): Promise<SendContext | null> {
  const interview = await Interview.findById(interviewId).lean<StoredInterview>();
  if (!interview) return null;
  const [deal, program, settings] = await Promise.all([
    Deal.findById(interview.dealId).lean<DealDoc & { _id: Types.ObjectId }>(),
    shared.program(),
    shared.settings(),
  ]);
  return { interview, deal, program, settings, appUrl, secrets, step };
}
