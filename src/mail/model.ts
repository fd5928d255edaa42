// Mail caught by the SMTP catcher (src/mail/catcher.ts) when SMTP_URL is unset. It lives in the
// database, not in the memory of the process that caught it, so any web process can show the mailbox.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Marks a message only its addressee may read in the mailbox (account mail: invitations, password resets):
 * the sender sets it, the catcher keeps it as addresseeOnly.
 */
export const addresseeOnlyHeader = 'X-Debrief-Addressee-Only';

/** What one caught message may keep of each part; a document must stay well under MongoDB's 16 MB. */
export const caughtLimits = {
  rawChars: 512 * 1024,
  htmlChars: 4 * 1024 * 1024,
  textChars: 1024 * 1024,
  headerValueChars: 4000,
  headers: 200,
} as const;

const caughtMailSchema = new Schema({
  receivedAt: { type: Date, required: true, index: true },
  envelopeFrom: { type: String, default: '' },
  envelopeTo: { type: [String], default: [] },
  messageId: { type: String, default: '' },
  subject: { type: String, default: '' },
  from: { type: String, default: '' },
  to: { type: String, default: '' },
  replyTo: { type: String, default: '' },
  /** In the order the message had them, names as written, values unfolded. */
  headers: { type: [{ _id: false, name: { type: String, required: true }, value: { type: String, default: '' } }], default: [] },
  html: { type: String, default: '' },
  text: { type: String, default: '' },
  attachments: { type: [{ _id: false, filename: String, contentType: String, size: Number }], default: [] },
  /** The message source as received, cut at caughtLimits.rawChars (rawTruncated says so). */
  raw: { type: String, default: '' },
  rawTruncated: { type: Boolean, default: false },
  sizeBytes: { type: Number, default: 0 },
  // Account mail: shown in the mailbox to its addressee only (see addresseeOnlyHeader).
  addresseeOnly: { type: Boolean, default: false },
});

export type CaughtMailDoc = InferSchemaType<typeof caughtMailSchema> & { _id: mongoose.Types.ObjectId };
export const CaughtMail = mongoose.model('CaughtMail', caughtMailSchema);
