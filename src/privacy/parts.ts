// Every part of Debrief that holds something of a buyer, in the order erasure runs them: the interviews
// part finds the buyer's interviews and answers, which the parts after it erase by. A new model goes
// here (a part in src/<feature>/privacy.ts) or in one of the lists below; test/privacy/coverage.test.ts
// fails until it is in one of them.
import { formDraftsBuyerData } from '../buyer/index.ts';
import { hookEventsBuyerData } from '../hooks/index.ts';
import { dealHistoryBuyerData, dealsBuyerData } from '../deals/privacy.ts';
import { buyerLinksBuyerData, interviewsBuyerData } from '../interviews/privacy.ts';
import { themeQuotesBuyerData } from '../themes/index.ts';
import { webhookDeliveriesBuyerData } from '../webhooks/index.ts';

export const buyerDataParts = [
  dealsBuyerData,
  dealHistoryBuyerData,
  interviewsBuyerData,
  formDraftsBuyerData,
  buyerLinksBuyerData,
  themeQuotesBuyerData,
  webhookDeliveriesBuyerData,
  hookEventsBuyerData,
] as const;

/** Models that hold nothing of a buyer, by model name, and why. */
export const modelsWithoutBuyerData: Readonly<Record<string, string>> = {
  ApiKey: 'staff’s API keys (hashes, names, scopes)',
  ChangeToken: 'a counter per collection that tells caches it changed',
  DigestChatClaim: 'which weekly digest was posted to chat',
  DigestSettings: 'the weekly digest’s settings',
  EmailSettings: 'the workspace’s email settings (sender, SMTP)',
  HookEndpoint: 'outgoing webhook endpoints (URLs, events, sealed signing secrets)',
  HookSettings: 'whether outgoing webhooks may reach private addresses',
  ImportRun: 'a CSV import’s mapping, progress and counts; the rows are in ImportChunk',
  InterviewerLoad: 'a counter of interviews per staff interviewer',
  MailClaim: 'one id per send attempt, so two workers never send the same email',
  MailSend: 'an email’s send record; buyer emails reach the buyer through the interview (only the domain is copied), standalone ones go to staff',
  Marker: 'one-off markers (migrations, backfills)',
  Program: 'the interview program’s settings',
  QuestionnaireHead: 'which questionnaire version is current',
  QuestionnaireVersion: 'the questions asked',
  RepLink: 'a rep’s emailed links (token hashes, the rep’s address)',
  SetupState: 'the set-up checklist (staff confirmations, the SMTP test to staff)',
  SignInFailures: 'failed staff sign-ins per address',
  StaffToken: 'staff invitation and password-reset tokens',
  StaffTokenUse: 'which staff tokens were used',
  ThemeCuration: 'marketers’ changes to themes; answers by id only (they stay, anonymously)',
  ThemePendingRun: 'when the next themes run is due',
  ThemeRun: 'the state of a themes run',
  User: 'staff accounts',
  WebAddress: 'the address the web process answers on',
  WebhookCursor: 'per CRM deal, the time of the newest event applied',
  WebhookLease: 'short per-deal locks while a delivery is applied',
  WebhookSignedRequest: 'hashes of signed CRM requests, against replays',
  WorkerHeartbeat: 'when the worker last ran',
  WorkspaceSettings: 'the workspace’s settings (retention period among them)',
};

/** Models that hold something of a buyer which erasure leaves, and why: each is a decision to revisit. */
export const modelsKeptOnErasure: Readonly<Record<string, string>> = {
  Suppression: 'the buyer’s opt-out: the address must stay listed, or Debrief would email them again',
  AuditEntry: 'who did what: suppression entries name the suppressed address (privacy entries never do)',
  CaughtMail: 'the development mailbox (only without SMTP_URL): copies of sent mail; not yet erased',
  ImportChunk: 'an uploaded CSV’s rows, deleted when the import finishes or is left too long',
};
