// The rep's emailed links: one to hold the planned interview off, one to give their own view of the
// loss. Each is a random token of its own, stored only as its SHA-256 (the _id), bound to one deal (and
// the interview whose notice carried it), one purpose and the rep it was sent to, and valid until
// expiresAt. No account is needed: the token is the key, as with the buyer's link.
import mongoose, { Schema, type Types } from 'mongoose';

export const repLinkPurposes = ['hold_off', 'debrief'] as const;
export type RepLinkPurpose = (typeof repLinkPurposes)[number];

const repLinkSchema = new Schema(
  {
    _id: { type: String, required: true },
    purpose: { type: String, enum: repLinkPurposes, required: true },
    dealId: { type: Schema.Types.ObjectId, ref: 'Deal', required: true, index: true },
    interviewId: { type: Schema.Types.ObjectId, ref: 'Interview', required: true },
    // The deal's owner when the link was sent: if the deal changes hands, the link stops working.
    repEmail: { type: String, required: true, lowercase: true, trim: true, maxlength: 320 },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const RepLink = mongoose.model('RepLink', repLinkSchema);

export interface StoredRepLink {
  _id: string;
  purpose: RepLinkPurpose;
  dealId: Types.ObjectId;
  interviewId: Types.ObjectId;
  repEmail: string;
  expiresAt: Date;
  createdAt: Date;
}
