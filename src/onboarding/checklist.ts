// The set-up checklist on the overview: what a new installation still needs before its first real
// invitation, each step read from the real state (never a box someone ticks), with where it is done.
// The program and the questionnaire count as done once saved, or once someone confirms their defaults
// suit (they may). The checklist shows to admins and marketers until every step is done, or an admin
// puts it away.
import mongoose from 'mongoose';
import { ApiKey } from '../apikeys/index.ts';
import { ImportRun } from '../imports/index.ts';
import { interviewerPool, type Interviewer } from '../interviews/interviewers.ts';
import { Interview, type InterviewState } from '../interviews/model.ts';
import { mailFromParts } from '../lib/mailer.ts';
import { emailSettingsSaved, loadEmailSettings } from '../outbox/index.ts';
import { programSaved } from '../program/index.ts';
import { currentTemplate } from '../questionnaires/index.ts';
import { WebhookDelivery } from '../webhooks/index.ts';
import { SetupState, setupStateId, type SmtpTest } from './model.ts';

export const stepIds = ['sender', 'smtp', 'interviewer', 'program', 'questionnaire', 'deals', 'test_invitation'] as const;
export type StepId = (typeof stepIds)[number];
/** The steps whose defaults may suit: done once saved or confirmed. */
export const confirmableSteps = ['program', 'questionnaire'] as const;
export type ConfirmableStep = (typeof confirmableSteps)[number];

export interface ChecklistStep {
  id: StepId;
  title: string;
  done: boolean;
  /** What is true now, in a sentence or two. */
  status: string;
  href: string;
  linkLabel: string;
}

export interface TestInvitationState {
  dealId: string;
  state: InterviewState;
  interviewer: string | null;
  at: Date;
}

export interface Checklist {
  steps: ChecklistStep[];
  remaining: number;
  complete: boolean;
  dismissed: boolean;
  interviewers: Interviewer[];
  smtpTest: SmtpTest | null;
  /** Where mail goes (without credentials), or null when it stays in the SMTP catcher. */
  mailServer: string | null;
  testInvitation: TestInvitationState | null;
}

export interface ChecklistDeps {
  mailFrom: string;
  /** describeSmtpUrl(SMTP_URL), or null when SMTP_URL is unset (the catcher keeps the mail). */
  mailServer: string | null;
}

/** An address no mail server out there would take as a sender: the default debrief@localhost, say. */
export function isPlaceholderAddress(address: string): boolean {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return !domain.includes('.') || /\.(localhost|local|invalid)$/.test(domain);
}

async function dealsArrive(): Promise<{ done: boolean; status: string }> {
  const [imported, delivered, keyUsed] = await Promise.all([
    ImportRun.exists({ status: 'done' }),
    WebhookDelivery.exists({ status: 'applied' }),
    ApiKey.exists({ lastUsedAt: mongoose.trusted({ $exists: true }), revokedAt: mongoose.trusted({ $exists: false }) }),
  ]);
  const ways = [imported && 'a CSV import', delivered && 'a CRM webhook', keyUsed && 'an API key in use'].filter(Boolean);
  return ways.length > 0
    ? { done: true, status: `Deals arrive: ${ways.join(', ')}.` }
    : {
        done: false,
        status: 'No deals have come in yet. Import a CSV export of your CRM, or connect the CRM (a webhook or the API), so lost deals reach Debrief.',
      };
}

export async function setupChecklist(deps: ChecklistDeps): Promise<Checklist> {
  const [state, settings, settingsSaved, interviewers, savedProgram, questionnaire, deals, tests] = await Promise.all([
    SetupState.findById(setupStateId).lean(),
    loadEmailSettings(deps.mailFrom),
    emailSettingsSaved(),
    interviewerPool(),
    programSaved(),
    currentTemplate(),
    dealsArrive(),
    Interview.find({ test: true }).sort({ createdAt: -1 }).limit(20).select({ dealId: 1, state: 1, interviewer: 1, createdAt: 1 }).lean(),
  ]);
  const from = mailFromParts(deps.mailFrom).address;
  const placeholder = isPlaceholderAddress(from);
  const smtpTest: SmtpTest | null = state?.smtpTest
    ? {
        at: state.smtpTest.at,
        by: state.smtpTest.by ?? null,
        to: state.smtpTest.to ?? null,
        server: state.smtpTest.server ?? null,
        ok: state.smtpTest.ok,
        answer: state.smtpTest.answer ?? '',
      }
    : null;
  const testedHere = Boolean(deps.mailServer && smtpTest?.ok && smtpTest.server === deps.mailServer);
  const completedTest = tests.find((t) => t.state === 'completed');
  const latestTest = completedTest ?? tests[0];
  const testInvitation = latestTest
    ? { dealId: String(latestTest.dealId), state: latestTest.state, interviewer: latestTest.interviewer?.name ?? null, at: latestTest.createdAt }
    : null;
  const confirmedBy = (step: ConfirmableStep) => state?.confirmed?.[step]?.by ?? null;

  const steps: ChecklistStep[] = [
    {
      id: 'sender',
      title: 'Name your company and the sender',
      done: settingsSaved && !placeholder,
      status: [
        settingsSaved ? `Buyers know you as ${settings.companyName}.` : `Say what buyers know your company as (until then, “${settings.companyName}”).`,
        placeholder
          ? `Emails come from ${from}, which no mail server will accept: set MAIL_FROM to an address at your company’s domain (an environment variable; restart Debrief).`
          : `Emails come from ${from}, under the interviewer’s name.`,
      ].join(' '),
      href: '/settings/emails',
      linkLabel: 'Emails to buyers',
    },
    {
      id: 'smtp',
      title: 'Connect your mail server',
      done: testedHere,
      status: !deps.mailServer
        ? 'SMTP_URL is not set: mail stays in the built-in catcher (the Mailbox) and reaches no one. Set SMTP_URL to your mail server, then send a test email.'
        : testedHere
          ? `Mail goes through ${deps.mailServer}, and it accepted the test email.`
          : `Mail goes through ${deps.mailServer}. Send a test email to see what the server answers.`,
      href: '/settings',
      linkLabel: 'This installation',
    },
    {
      id: 'interviewer',
      title: 'Add at least one interviewer',
      done: interviewers.length > 0,
      status:
        interviewers.length > 0
          ? `Invitations are signed by ${interviewers.map((i) => i.name).join(', ')}.`
          : 'No one signs buyers’ emails yet, so no invitation goes out: lost deals’ interviews wait. Invite a marketer, or interview buyers yourself.',
      href: '/admin/users',
      linkLabel: 'Users',
    },
    {
      id: 'program',
      title: 'Review the interview program',
      done: savedProgram || confirmedBy('program') !== null,
      status: savedProgram
        ? 'Saved: when buyers are asked, who is left out, the loss reasons.'
        : confirmedBy('program')
          ? `The defaults suit (confirmed by ${confirmedBy('program')}).`
          : 'When buyers are asked after a loss, in which hours, who is left out, and the loss reasons: check the defaults suit you.',
      href: '/settings/program',
      linkLabel: 'Interview program',
    },
    {
      id: 'questionnaire',
      title: 'Review the questionnaire',
      done: questionnaire.version > 1 || confirmedBy('questionnaire') !== null,
      status:
        questionnaire.version > 1
          ? `Saved: version ${questionnaire.version}, ${questionnaire.questions.length} questions.`
          : confirmedBy('questionnaire')
            ? `The default questions suit (confirmed by ${confirmedBy('questionnaire')}).`
            : `Buyers answer ${questionnaire.questions.length} questions out of the box: check they fit your sales.`,
      href: '/settings/questionnaire',
      linkLabel: 'Questionnaire',
    },
    { id: 'deals', title: 'Bring in your deals', ...deals, href: '/imports/new', linkLabel: 'Import a CSV' },
    {
      id: 'test_invitation',
      title: 'Send a test invitation to yourself',
      done: Boolean(completedTest),
      status: completedTest
        ? 'You answered a test invitation as a buyer would. It counts in no figure.'
        : latestTest
          ? `Sent${latestTest.interviewer?.name ? `, signed by ${latestTest.interviewer.name}` : ''}: open it in your inbox and answer as a buyer would (it counts in no figure).`
          : 'Get the invitation a buyer gets, signed by a real interviewer, and answer it as a buyer would. It is marked as a test and counts in no figure.',
      href: latestTest ? `/deals/${String(latestTest.dealId)}` : '/#setup',
      linkLabel: 'The test invitation',
    },
  ];
  const remaining = steps.filter((s) => !s.done).length;
  return {
    steps,
    remaining,
    complete: remaining === 0,
    dismissed: Boolean(state?.dismissed),
    interviewers,
    smtpTest,
    mailServer: deps.mailServer,
    testInvitation,
  };
}

/** Someone confirms a step's defaults suit. */
export async function confirmStep(step: ConfirmableStep, by: string, now = new Date()): Promise<void> {
  await SetupState.updateOne({ _id: setupStateId }, { $set: { [`confirmed.${step}`]: { at: now, by } } }, { upsert: true });
}

/**
 * The checklist the overview shows, or null: put away by an admin, or done. Once every step has been
 * seen done it is not worked out again (one read by _id per view), so a finished installation pays
 * nothing for it.
 */
export async function overviewChecklist(deps: ChecklistDeps, now = new Date()): Promise<Checklist | null> {
  const state = await SetupState.findById(setupStateId).select({ dismissed: 1, completedAt: 1 }).lean();
  if (state?.dismissed || state?.completedAt) return null;
  const checklist = await setupChecklist(deps);
  if (!checklist.complete) return checklist;
  await SetupState.updateOne({ _id: setupStateId }, { $set: { completedAt: now } }, { upsert: true });
  return null;
}

/** Whether an admin put the checklist away. */
export async function checklistDismissed(): Promise<boolean> {
  return Boolean((await SetupState.findById(setupStateId).select({ dismissed: 1 }).lean())?.dismissed);
}

/** An admin puts the checklist away, or brings it back. */
export async function setDismissed(dismissed: boolean, by: string, now = new Date()): Promise<void> {
  await SetupState.updateOne({ _id: setupStateId }, dismissed ? { $set: { dismissed: { at: now, by } } } : { $unset: { dismissed: 1 } }, { upsert: true });
}
