// The suppression list: addresses and whole domains Debrief never emails. Each entry is keyed by what
// it blocks ("ada@example.com", or "@example.com" for a domain), so the check before every send is one
// or two lookups by _id, and adding an entry twice fails on insert (E11000) instead of making a second one.
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { tracksChanges } from '../lib/change-token.ts';

export const suppressionKinds = ['address', 'domain'] as const;
export type SuppressionKind = (typeof suppressionKinds)[number];

/** How an entry came to be: the buyer's link (confirm page), a mail client's one-click POST, staff, a hard bounce. */
export const suppressionSources = ['unsubscribe-link', 'one-click', 'marketer', 'bounce'] as const;
export type SuppressionSource = (typeof suppressionSources)[number];

export const suppressionSourceLabels: Record<SuppressionSource, string> = {
  'unsubscribe-link': 'Buyer unsubscribed (link)',
  'one-click': 'Buyer unsubscribed (one-click)',
  marketer: 'Added by staff',
  bounce: 'Bounced',
};

/** Sources that record the buyer's own choice: taking such an entry off the list needs their say-so. */
export const buyerSources: readonly SuppressionSource[] = ['unsubscribe-link', 'one-click'];

const suppressionSchema = new Schema(
  {
    // "ada@example.com" or "@example.com": lower-case, the domain in its ASCII (punycode) form.
    _id: { type: String, required: true, maxlength: 330 },
    kind: { type: String, enum: suppressionKinds, required: true },
    source: { type: String, enum: suppressionSources, required: true },
    // A staff member's email, "buyer" for an opt-out, or "system".
    addedBy: { type: String, required: true, maxlength: 320 },
    // The interview whose link the buyer used, for an opt-out.
    interviewId: { type: Schema.Types.ObjectId, ref: 'Interview' },
    note: { type: String, maxlength: 500 },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
suppressionSchema.index({ createdAt: -1 });
// The send check keeps what it looked up while the list is unchanged (service.ts, isSuppressed).
suppressionSchema.plugin(tracksChanges('suppressions'));

export type SuppressionDoc = InferSchemaType<typeof suppressionSchema> & { _id: string; createdAt: Date; interviewId?: Types.ObjectId | null };
export const Suppression = mongoose.model('Suppression', suppressionSchema);
