// What outgoing webhook events hold about a buyer: the body sent to each endpoint (the buyer's name and
// address, their answers as their consent allows), kept 30 days (registry: src/lib/buyer-data.ts).
import mongoose from 'mongoose';
import { Interview } from '../interviews/model.ts';
import { buyerData } from '../lib/buyer-data.ts';
import { HookDelivery, HookEvent } from './model.ts';

export const hookEventsBuyerData = buyerData({
  name: 'outgoing webhook events',
  holds: 'the buyer’s contact and answers in the events sent to webhook endpoints (deleted 30 days after the event)',
  models: [HookEvent, HookDelivery],
  async export(email) {
    const interviews = await Interview.find({ 'contact.email': email }).select({ _id: 1 }).lean();
    const events = await HookEvent.find({ interviewId: mongoose.trusted({ $in: interviews.map((i) => i._id) }) })
      .sort({ createdAt: 1 })
      .lean();
    return { webhookEvents: events.map((e) => ({ id: e._id, type: e.type, at: e.createdAt, body: e.body ? (JSON.parse(e.body) as unknown) : null })) };
  },
  async erase(erasure) {
    // The event stays (its id keeps the same happening from being told again), without its body; what
    // was not delivered yet never will be.
    const events = await HookEvent.find({ interviewId: mongoose.trusted({ $in: erasure.interviewIds }) })
      .select({ _id: 1 })
      .lean();
    const ids = events.map((e) => e._id);
    await HookEvent.updateMany({ _id: mongoose.trusted({ $in: ids }) }, { $set: { erasedAt: new Date() }, $unset: { body: 1 } });
    await HookDelivery.updateMany(
      { eventId: mongoose.trusted({ $in: ids }), state: mongoose.trusted({ $in: ['pending', 'retrying'] }) },
      { $set: { state: 'cancelled', lastError: 'The buyer’s data was erased' } },
    );
    return { webhookEvents: ids.length };
  },
  async expire(expiry) {
    const ids = expiry.responseIds.filter((id) => mongoose.isValidObjectId(id));
    const { deletedCount } = await HookEvent.deleteMany({ responseId: mongoose.trusted({ $in: ids }) });
    return { webhookEvents: deletedCount };
  },
});
