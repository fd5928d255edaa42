// A sales deal as Debrief knows it: where it came from (source + external id, unique together), who the
// buyer is, and, once lost, why the rep thinks it was lost.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { tracksChanges } from '../lib/change-token.ts';
import { searchTermsOf } from './search.ts';

export const dealStatuses = ['open', 'won', 'lost'] as const;
export const lossTypes = ['competitor', 'no_decision', 'other'] as const;

const contactSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    email: { type: String, required: true, trim: true, lowercase: true, maxlength: 320 },
    role: { type: String, trim: true, maxlength: 200 },
    timeZone: { type: String, trim: true, maxlength: 64 },
    primary: { type: Boolean, default: false },
  },
  { _id: false },
);

const dealSchema = new Schema(
  {
    source: { type: String, required: true, trim: true, maxlength: 40 },
    externalId: { type: String, required: true, trim: true, maxlength: 200 },
    name: { type: String, required: true, trim: true, maxlength: 300 },
    buyerCompany: { type: String, required: true, trim: true, maxlength: 300 },
    amount: { type: Number, min: 0 },
    currency: { type: String, uppercase: true, minlength: 3, maxlength: 3, default: 'USD' },
    segment: { type: String, trim: true, maxlength: 100 },
    productLine: { type: String, trim: true, maxlength: 100 },
    region: { type: String, trim: true, maxlength: 100 },
    ownerEmail: { type: String, trim: true, lowercase: true, maxlength: 320 },
    ownerName: { type: String, trim: true, maxlength: 200 },
    status: { type: String, enum: dealStatuses, required: true, default: 'open' },
    lostAt: { type: Date },
    lossType: { type: String, enum: lossTypes },
    repReason: {
      code: { type: String, trim: true, maxlength: 100 },
      note: { type: String, trim: true, maxlength: 5000 },
    },
    competitor: { type: String, trim: true, maxlength: 200 },
    contacts: { type: [contactSchema], default: [] },
    // How many times the deal went to lost: numbers the interview plans (see Interview.planKey).
    lossCount: { type: Number, default: 0 },
    // When the deal was last won, and how many times it was: numbers the win interview plans (planKey "<id>#won<n>").
    wonAt: { type: Date },
    winCount: { type: Number, default: 0 },
    // Why the rep thinks the deal was won (their debrief on a win), beside the buyer's answer.
    winReason: {
      code: { type: String, trim: true, maxlength: 100 },
      note: { type: String, trim: true, maxlength: 5000 },
    },
    demo: { type: Boolean, default: false },
    // A test invitation's deal (src/onboarding/test-invitation.ts): shown to staff, counted in no figure.
    test: { type: Boolean },
    // What a search matches (src/deals/search.ts): set on every save, read by no page.
    searchTerms: { type: [String], default: undefined, select: false },
  },
  // searchTerms is an array written whole: without this, its every change would make concurrent saves of
  // the deal (two "lost" at once) fail on the version, where they are meant to both apply.
  { timestamps: true, skipVersioning: { searchTerms: true } },
);
dealSchema.index({ source: 1, externalId: 1 }, { unique: true });
// The deals list's orders (all deals, by status, a rep's own), so a page reads only its own rows.
dealSchema.index({ status: 1, lostAt: -1, createdAt: -1 });
dealSchema.index({ lostAt: -1, createdAt: -1 });
dealSchema.index({ ownerEmail: 1, lostAt: -1, createdAt: -1 });
// What the report's rows read again after a write (src/reports/dataset.ts), and whether demo deals remain.
dealSchema.index({ updatedAt: -1 });
dealSchema.index({ demo: 1 });
dealSchema.index({ searchTerms: 1 });

// Every way a deal is written (create, save, insertMany) validates it first.
dealSchema.pre('validate', function () {
  if (this.isNew || this.isModified('name') || this.isModified('buyerCompany') || this.isModified('competitor') || this.isModified('externalId'))
    this.searchTerms = searchTermsOf(this);
});

export type DealDoc = InferSchemaType<typeof dealSchema>;
// Writes renew the report's change token (src/lib/change-token.ts).
dealSchema.plugin(tracksChanges('reports'));
export const Deal = mongoose.model('Deal', dealSchema);
