// The themes feature's face for the rest of the app: the theme sets and their latest snapshots, the
// themes' event and recompute, linking themes across sets, and the buyer data the quotes hold (privacy).
export type { ThemesEvent } from './events.ts';
export { themeTabs } from './messages.ts';
export { ThemeSnapshot } from './model.ts';
export { linkThemes } from './pipeline/index.ts';
export { makeRng } from './pipeline/prng.ts';
export { themeQuotesBuyerData } from './privacy.ts';
export { latestSnapshot, recomputeThemes, type SnapshotView } from './snapshots.ts';
export { setOutcome, type ThemeQuote, type ThemeSet, themeSets } from './types.ts';
