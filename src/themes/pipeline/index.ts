// The themes pipeline's public API: what the job, the CLI and the tests may use. No web, express,
// mongoose or database import anywhere under this folder (test/themes/pipeline checks it).
export { clusterAnswers, defaults } from './pipeline.ts';
export { linkThemes, matchThemes, type LinkableTheme, type MatchOptions, type PreviousTheme, type ThemeLink } from './match.ts';
export { BREAK, normalise, tokenise, tokeniseCorpus, stem, isStopword, type Corpus } from './tokenise.ts';
export { vectorise, charNgrams, type SparseMatrix, type Vectors, type VectoriseOptions } from './vectorise.ts';
export { nmi, adjustedRandIndex } from './metrics.ts';
export { slug } from './label.ts';
export {
  UNCLEAR_ID,
  UNCLEAR_LABEL,
  type AnswerInput,
  type ClusterOptions,
  type ClusterResult,
  type Quote,
  type Stage,
  type Theme,
  type ThemeSeed,
} from './types.ts';
