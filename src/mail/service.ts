// The dev mailbox: what the SMTP catcher kept, newest first, one message at a time, and emptying it.
// Account mail is read by its addressee only: a link in it is the key to their account.
import mongoose from 'mongoose';
import type { Page } from '../lib/paging.ts';
import { audit, type Actor } from '../audit/index.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { CaughtMail, type CaughtMailDoc } from './model.ts';

export const mailboxPageSize = 25;

export interface CaughtMailRow {
  id: string;
  receivedAt: Date;
  to: string;
  subject: string;
  /** Account mail for someone else: listed, not readable here. */
  private: boolean;
}

/** Who reads the mailbox: account mail is theirs to read only when it was sent to them. */
export interface MailboxReader {
  email: string;
}

const readableBy = (doc: { addresseeOnly?: boolean | null; envelopeTo: string[] }, reader: MailboxReader) =>
  !doc.addresseeOnly || doc.envelopeTo.some((a) => a.toLowerCase() === reader.email.toLowerCase());

export async function listCaughtMail(page: number, reader: MailboxReader): Promise<Page<CaughtMailRow>> {
  const [docs, total] = await Promise.all([
    CaughtMail.find({}, { receivedAt: 1, to: 1, envelopeTo: 1, subject: 1, addresseeOnly: 1 })
      .sort({ receivedAt: -1, _id: -1 })
      .skip((page - 1) * mailboxPageSize)
      .limit(mailboxPageSize)
      .lean(),
    CaughtMail.countDocuments({}),
  ]);
  return {
    items: docs.map((d) => ({
      id: String(d._id),
      receivedAt: d.receivedAt,
      to: d.to || d.envelopeTo.join(', '),
      subject: d.subject,
      private: !readableBy(d, reader),
    })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / mailboxPageSize)),
  };
}

/** The message, if the reader may read it: account mail (an invitation, a reset link) only by its addressee. */
export async function getCaughtMail(id: string, reader: MailboxReader): Promise<CaughtMailDoc> {
  const doc = mongoose.isValidObjectId(id) ? await CaughtMail.findById(id).lean<CaughtMailDoc>() : null;
  if (!doc) throw new NotFoundError('That message is not in the mailbox (it may have been deleted).');
  if (!readableBy(doc, reader)) throw new ForbiddenError(messages.private);
  return doc;
}

/** The newest mail the catcher kept for an address, account mail included: the operator's view (the CLI). */
export async function caughtMailTo(address: string, limit = 5): Promise<CaughtMailDoc[]> {
  return CaughtMail.find({ envelopeTo: address.toLowerCase() }).sort({ receivedAt: -1, _id: -1 }).limit(limit).lean<CaughtMailDoc[]>();
}

export const messages = {
  private:
    'This is account mail (an invitation or a password reset): only the person it was sent to may read it. On the server, `npm run cli -- mailbox --to <address>` prints it.',
} as const;

/** Deletes every caught message; returns how many there were. */
export async function deleteAllCaughtMail(actor: Actor): Promise<number> {
  const { deletedCount } = await CaughtMail.deleteMany({});
  await audit(actor, 'mailbox.cleared', undefined, { deleted: String(deletedCount) });
  return deletedCount;
}
