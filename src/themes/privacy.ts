// What theme snapshots hold about a buyer: quotes of their answers (registry: src/lib/buyer-data.ts).
// Membership stays (ids of answers, counted only), so the themes' sizes still add up.
import { buyerData } from '../lib/buyer-data.ts';
import { ThemeSnapshot } from './model.ts';
import { dropSnapshotsBefore } from './snapshots.ts';

/** Takes the given answers' quotes out of every stored theme snapshot (their membership stays: counts only). */
async function scrubQuotes(responseIds: string[]): Promise<void> {
  if (responseIds.length === 0) return;
  const erased = new Set(responseIds);
  const snapshots = await ThemeSnapshot.find({}).select({ raw: 1, themes: 1 }).lean();
  for (const snap of snapshots) {
    const scrub = (themes: typeof snap.themes) => themes.map((t) => ({ ...t, quotes: t.quotes.filter((q) => !erased.has(q.responseId)) }));
    const touched = [...snap.themes, ...snap.raw].some((t) => t.quotes.some((q) => erased.has(q.responseId)));
    if (touched) await ThemeSnapshot.updateOne({ _id: snap._id }, { $set: { themes: scrub(snap.themes), raw: scrub(snap.raw) } });
  }
}

export const themeQuotesBuyerData = buyerData({
  name: 'theme snapshots',
  holds: 'quotes of the buyer’s answers kept in stored theme snapshots',
  models: [ThemeSnapshot],
  async erase({ responseIds }) {
    await scrubQuotes(responseIds);
    return {};
  },
  // The deleted answers' quotes go from every snapshot, and snapshots taken before the cutoff go (each
  // set's latest stays, as the pages show it).
  async expire({ cutoff, responseIds }) {
    await scrubQuotes(responseIds);
    return { snapshots: await dropSnapshotsBefore(cutoff) };
  },
});
