// What interviews hold about a buyer (registry: src/lib/buyer-data.ts): the contact an interview asks,
// their answers, and the personal link to their form. Two parts, as the form's drafts (src/buyer) are
// erased between them.
import mongoose from 'mongoose';
import { partsOf, showAnswer, type TextField } from '../disclosure/index.ts';
import { buyerData, erasedName } from '../lib/buyer-data.ts';
import { BuyerLink } from './link.ts';
import { Interview, InterviewResponse } from './model.ts';

export const interviewsBuyerData = buyerData({
  name: 'interviews and answers',
  holds: 'the buyer as an interview’s contact, the interview’s timeline, and their answers with free text',
  models: [Interview, InterviewResponse],
  async export(email) {
    const interviews = await Interview.find({ 'contact.email': email }).lean();
    const responses = await InterviewResponse.find({ interviewId: mongoose.trusted({ $in: interviews.map((i) => i._id) }) }).lean();
    return {
      interviews: interviews.map((i) => ({ id: String(i._id), deal: String(i.dealId), state: i.state, contact: { ...i.contact }, timeline: i.timeline })),
      answers: responses.map((r) => {
        // The buyer's own copy: their words as they wrote them (src/disclosure's record).
        const own = (field: TextField) => showAnswer({ parts: partsOf(r, [field]), buyer: { email } }, 'record')?.text ?? null;
        return {
          interview: String(r.interviewId),
          submittedAt: r.submittedAt,
          primaryReason: r.primaryReason ?? null,
          chosenVendor: r.chosenVendor ?? null,
          ratings: r.ratings ?? {},
          whyText: own('whyText'),
          wouldHaveChangedText: own('wouldHaveChangedText'),
          missingInfoText: own('missingInfoText'),
          quotePermission: r.quotePermission,
          textUses: { ...r.textUses },
        };
      }),
    };
  },
  // Contact details and free text go; the interview's state and the structured answers stay, anonymously.
  async erase(erasure) {
    const interviews = await Interview.find({ 'contact.email': erasure.email }).select({ _id: 1 }).lean();
    const ids = interviews.map((i) => i._id);
    erasure.interviewIds = ids;
    await Interview.updateMany(
      { _id: mongoose.trusted({ $in: ids }) },
      { $set: { 'contact.name': erasedName, 'contact.email': erasure.standIn }, $unset: { 'contact.role': 1 } },
    );
    const erasedResponses = await InterviewResponse.find({ interviewId: mongoose.trusted({ $in: ids }) })
      .select({ _id: 1 })
      .lean();
    erasure.responseIds = erasedResponses.map((r) => String(r._id));
    const answers = await InterviewResponse.updateMany(
      { interviewId: mongoose.trusted({ $in: ids }) },
      {
        $unset: { whyText: 1, wouldHaveChangedText: 1, missingInfoText: 1, textUses: 1, chosenVendor: 1, answers: 1, notes: 1, participants: 1 },
        $set: { quotePermission: 'internal' },
      },
    );
    return { interviews: ids.length, answers: answers.modifiedCount };
  },
  // Answers past the retention period are deleted outright; the interviews stay, so the funnel still counts them.
  async expire(expiry) {
    const old = await InterviewResponse.find({ submittedAt: mongoose.trusted({ $lt: expiry.cutoff }) })
      .select({ _id: 1 })
      .lean();
    const ids = old.map((r) => r._id);
    const { deletedCount } = ids.length > 0 ? await InterviewResponse.deleteMany({ _id: mongoose.trusted({ $in: ids }) }) : { deletedCount: 0 };
    expiry.responseIds = ids.map(String);
    return { deleted: deletedCount };
  },
});

export const buyerLinksBuyerData = buyerData({
  name: 'personal links',
  holds: 'the buyer’s personal link to the form (its token, and the interview’s sealed copy)',
  models: [BuyerLink],
  async erase({ interviewIds }) {
    await BuyerLink.deleteMany({ interviewId: mongoose.trusted({ $in: interviewIds }) });
    await Interview.updateMany({ _id: mongoose.trusted({ $in: interviewIds }) }, { $unset: { linkSealed: 1 } });
    return {};
  },
});
