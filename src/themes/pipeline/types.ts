// The pipeline's public shapes, apart from the code, so the CLI, the job and the pages share one vocabulary.

/** One free-text answer to cluster. */
export interface AnswerInput {
  id: string;
  text: string;
  /** the author agreed to be quoted (default true) */
  quotable?: boolean;
  /** the author agreed to be named beside the quote (default false) */
  named?: boolean;
  /** shown beside a quote only when `named` */
  author?: string;
  /** the reason code the author chose (a buyer's primary reason, a rep's reason): with few answers, the
   * answer joins the seed with this id */
  reason?: string;
}

/** One entry of the reason taxonomy, used to seed themes when there are few answers. */
export interface ThemeSeed {
  id: string;
  label: string;
  keywords?: string[];
}

export interface Quote {
  /** the answer it comes from */
  id: string;
  /** the text, anonymised unless the author agreed to be named */
  text: string;
  /** present only when the author agreed to be named */
  author?: string;
}

export interface Theme {
  /** stable id: derived from the label, carried over from the previous run by matchThemes; "unclear" for that group */
  id: string;
  label: string;
  /** most distinctive words and phrases, surface forms */
  terms: string[];
  size: number;
  /** size / number of answers */
  share: number;
  quotes: Quote[];
  memberIds: string[];
}

export type Stage = 'tokenise' | 'vectorise' | 'reduce' | 'cluster' | 'label';

export interface ClusterOptions {
  /** exactly this many themes (the unclear group, if any, counting as one) */
  k?: number;
  /** seed of every random choice (default 1) */
  seed?: number;
  /** the reason taxonomy: seeds the themes when there are fewer than `seedBelow` answers */
  seeds?: ThemeSeed[];
  /** below this many answers, `seeds` (when given) define the themes (default 30; when most answers
   * carry a seed's `reason`, five per seed if that is more) */
  seedBelow?: number;
  /** called with each stage and the fraction of it done */
  onProgress?: (stage: Stage, fraction: number) => void;
}

export interface ClusterResult {
  themes: Theme[];
  /** answer id -> theme id, for every answer */
  assignments: Record<string, string>;
  /** milliseconds per stage, and in total */
  timings: Record<Stage | 'total', number>;
  /** how the themes were found: "graph", "seeds", "single" or "empty" */
  method: 'graph' | 'seeds' | 'single' | 'empty';
}

export const UNCLEAR_ID = 'unclear';
export const UNCLEAR_LABEL = 'Unclear';
