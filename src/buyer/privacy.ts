// What the buyer's form holds about them: a half-typed draft of their answers (registry: src/lib/buyer-data.ts).
import mongoose from 'mongoose';
import { buyerData } from '../lib/buyer-data.ts';
import { FormDraft } from './model.ts';

export const formDraftsBuyerData = buyerData({
  name: 'form drafts',
  holds: 'half-typed answers the buyer has not sent yet',
  models: [FormDraft],
  async erase({ interviewIds }) {
    await FormDraft.deleteMany({ _id: mongoose.trusted({ $in: interviewIds }) });
    return {};
  },
});
