// An interview with one buyer contact about one decided deal (lost, or won and sampled in), and the
// answers it collected. States are explicit and every change is kept in the timeline.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { quotePermissions } from '../disclosure/index.ts';
import { tracksChanges } from '../lib/change-token.ts';
import { interviewStates } from './states.ts';

/** The decisions a buyer is interviewed about. */
export const dealOutcomes = ['won', 'lost'] as const;
export type DealOutcome = (typeof dealOutcomes)[number];

/** An interview's or answer's outcome: a document without one (stored before wins were interviewed) is a loss. */
export function outcomeOf(doc: { outcome?: string | null } | null | undefined): DealOutcome {
  return doc?.outcome === 'won' ? 'won' : 'lost';
}

// The states and their labels are the state machine's (states.ts); kept importable from here.
export { interviewStateLabels, interviewStates, pendingStates, type InterviewState } from './states.ts';

const interviewSchema = new Schema(
  {
    dealId: { type: Schema.Types.ObjectId, ref: 'Deal', required: true, index: true },
    // One interview per deal and loss: "<dealId>#<loss number>", or per win: "<dealId>#won<win number>".
    // Inserting it twice fails (E11000), so a deal marked lost (or won) twice, or the same webhook
    // delivered twice, never plans a second interview.
    planKey: { type: String, required: true, unique: true },
    // Which decision the buyer is asked about. Interviews stored before wins were interviewed have none:
    // they are losses (outcomeOf), so no migration is needed.
    outcome: { type: String, enum: dealOutcomes },
    buyerCompany: { type: String, trim: true, maxlength: 300 },
    // The company as the contact cool-down compares accounts (ledger.ts, accountKey).
    accountKey: { type: String, maxlength: 300 },
    exclusionReason: { type: String, maxlength: 300 },
    // Set once the rep has been told about the plan (see jobs/rep-notices.ts).
    repNotifiedAt: { type: Date },
    // Set while the interview waits to be handed to the outbox (handover.ts).
    awaitingHandover: { type: Boolean },
    holdOff: {
      by: { type: String, maxlength: 320 },
      reason: { type: String, maxlength: 2000 },
      at: { type: Date },
    },
    contact: {
      name: { type: String, required: true, trim: true, maxlength: 200 },
      email: { type: String, required: true, trim: true, lowercase: true, maxlength: 320 },
      role: { type: String, trim: true, maxlength: 200 },
    },
    interviewer: {
      name: { type: String, trim: true, maxlength: 200 },
      email: { type: String, trim: true, lowercase: true, maxlength: 320 },
    },
    state: { type: String, enum: interviewStates, required: true, default: 'planned' },
    plannedFor: { type: Date },
    // Set when the invitation goes: an interview still unanswered then expires (src/interviews/expiry.ts).
    expiresAt: { type: Date },
    // The buyer's link token, sealed (see link.ts); its hash is the key of a BuyerLink document.
    linkSealed: { type: String, maxlength: 200 },
    timeline: {
      type: [new Schema({ state: { type: String, enum: interviewStates, required: true }, at: { type: Date, required: true }, note: String }, { _id: false })],
      default: [],
    },
    demo: { type: Boolean, default: false },
    // A test invitation (the admin as the buyer): it walks the buyer's path, and counts in no figure.
    test: { type: Boolean },
    // Set while no one can sign the buyer's emails (src/interviews/interviewers.ts): the dispatcher
    // names an interviewer as soon as there is one, and what waited goes out.
    awaitingInterviewer: { type: Boolean },
  },
  { timestamps: true },
);
interviewSchema.index({ state: 1, updatedAt: -1 });
interviewSchema.index({ updatedAt: -1 }); // the interviews list, unfiltered
interviewSchema.index({ state: 1, plannedFor: 1 }); // the queue and the dispatcher: planned interviews, soonest first
// The contact cool-down: the latest interview for an address, and for an account (ledger.ts).
interviewSchema.index({ 'contact.email': 1, plannedFor: -1 });
interviewSchema.index({ accountKey: 1, plannedFor: -1 });
interviewSchema.index({ repNotifiedAt: 1, createdAt: 1 });
interviewSchema.index({ awaitingHandover: 1 }, { sparse: true });
interviewSchema.index({ awaitingInterviewer: 1 }, { sparse: true });
interviewSchema.index({ test: 1 }, { sparse: true }); // the set-up checklist's test invitations

export type InterviewDoc = InferSchemaType<typeof interviewSchema>;
// Writes renew the report's change token (src/lib/change-token.ts).
interviewSchema.plugin(tracksChanges('reports'));
export const Interview = mongoose.model('Interview', interviewSchema);

// How a buyer allows each free-text answer to be used; what that means where is src/disclosure's rule.
export { quotePermissions } from '../disclosure/index.ts';

// A submitted interview. `answers` holds every answer as typed, keyed by the question ids of the
// questionnaire version it was answered on (`templateId`, such as "default@3"; see src/questionnaires),
// already validated by the schema derived from that version. The summary fields below are filled from
// the answers through the questions' roles (src/questionnaires/summary.ts): themes, reports and the
// overview read them. Free text is stored as typed and escaped wherever it is shown.
const responseSchema = new Schema(
  {
    interviewId: { type: Schema.Types.ObjectId, ref: 'Interview', required: true, unique: true },
    dealId: { type: Schema.Types.ObjectId, ref: 'Deal', required: true, index: true },
    templateId: { type: String, maxlength: 100 },
    // The interview's outcome, copied when the answer is stored (none: a loss, see outcomeOf).
    outcome: { type: String, enum: dealOutcomes },
    templateVersion: { type: Number, required: true, default: 1 },
    // question id -> answer (a string, a list of strings, { item: score }, { choice, other } or { text, use }).
    answers: { type: Schema.Types.Mixed, default: undefined },
    primaryReason: { type: String, trim: true, maxlength: 100 },
    contributing: { type: [String], default: undefined },
    chosenVendor: { type: String, trim: true, maxlength: 200 },
    stage: { type: String, maxlength: 100 },
    ratings: { type: Map, of: Number, default: {} },
    whyText: { type: String, maxlength: 5000 },
    wouldHaveChangedText: { type: String, maxlength: 5000 },
    missingInfoText: { type: String, maxlength: 5000 },
    participants: { type: [String], default: undefined },
    considerAgain: { type: String, maxlength: 100 },
    callConsent: { type: Boolean },
    // The buyer's choice for the "why" answer (else their most careful one), and for each text its own.
    quotePermission: { type: String, enum: quotePermissions, default: 'internal' },
    textUses: {
      whyText: { type: String, enum: quotePermissions },
      wouldHaveChangedText: { type: String, enum: quotePermissions },
      missingInfoText: { type: String, enum: quotePermissions },
    },
    // Live interview mode: the staff member who filled the form on a call with the buyer, and their notes.
    interviewedBy: {
      name: { type: String, trim: true, maxlength: 200 },
      email: { type: String, trim: true, lowercase: true, maxlength: 320 },
    },
    notes: { type: String, maxlength: 5000 },
    submittedAt: { type: Date, required: true },
    demo: { type: Boolean, default: false },
    // The answer to a test invitation: counted in no figure, theme or export.
    test: { type: Boolean },
  },
  { timestamps: true },
);
responseSchema.index({ submittedAt: -1 });
responseSchema.index({ submittedAt: -1, _id: -1 }); // the API's answers list, paged by (submittedAt, _id) (src/answers)
responseSchema.index({ updatedAt: -1 }); // what the report's rows read again after a write (src/reports/dataset.ts)

export type ResponseDoc = InferSchemaType<typeof responseSchema>;
// Writes renew the report's change token (src/lib/change-token.ts).
responseSchema.plugin(tracksChanges('reports'));
export const InterviewResponse = mongoose.model('Response', responseSchema);
