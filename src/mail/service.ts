// The dev mailbox: what the SMTP catcher kept, newest first, one message at a time, and emptying it.
import mongoose from 'mongoose';
import type { Page } from '../deals/service.ts';
import { audit, type Actor } from '../audit/service.ts';
import { NotFoundError } from '../lib/errors.ts';
import { CaughtMail, type CaughtMailDoc } from './model.ts';

export const mailboxPageSize = 25;

export interface CaughtMailRow {
  id: string;
  receivedAt: Date;
  to: string;
  subject: string;
}

export async function listCaughtMail(page: number): Promise<Page<CaughtMailRow>> {
  const [docs, total] = await Promise.all([
    CaughtMail.find({}, { receivedAt: 1, to: 1, envelopeTo: 1, subject: 1 })
      .sort({ receivedAt: -1, _id: -1 })
      .skip((page - 1) * mailboxPageSize)
      .limit(mailboxPageSize)
      .lean(),
    CaughtMail.countDocuments({}),
  ]);
  return {
    items: docs.map((d) => ({ id: String(d._id), receivedAt: d.receivedAt, to: d.to || d.envelopeTo.join(', '), subject: d.subject })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / mailboxPageSize)),
  };
}

export async function getCaughtMail(id: string): Promise<CaughtMailDoc> {
  const doc = mongoose.isValidObjectId(id) ? await CaughtMail.findById(id).lean<CaughtMailDoc>() : null;
  if (!doc) throw new NotFoundError('That message is not in the mailbox (it may have been deleted).');
  return doc;
}

/** Deletes every caught message; returns how many there were. */
export async function deleteAllCaughtMail(actor: Actor): Promise<number> {
  const { deletedCount } = await CaughtMail.deleteMany({});
  await audit(actor, 'mailbox.cleared', undefined, { deleted: String(deletedCount) });
  return deletedCount;
}
