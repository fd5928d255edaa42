// The themes benchmark (not a timed test): `npx tsx bench/themes.ts [--sizes 1000,10000,100000]
// [--processes P] [--runs R]`. Times each stage of the pipeline and its peak memory on 1k/10k/100k
// synthetic answers, beside the same texts vectorised by natural's own TfIdf class and, where Debian's
// python3-sklearn is installed, scikit-learn's TfidfVectorizer + KMeans with the same k. Then the
// labelled set: NMI and ARI against the known reasons, ours beside scikit-learn's. Ends with one
// `name value` line per figure.
//
// What is timed, the same way on both sides (bench/themes_sklearn.py times scikit-learn):
//   first call     the first clustering in a fresh process, after the imports and after reading the
//                  answers. Ours includes V8 compiling the pipeline's code as it runs (JIT warm-up);
//                  scikit-learn's code is compiled ahead of time, and its import (about a second) is
//                  outside this figure, so this one favours scikit-learn at small sizes.
//   warm           each further clustering of the same answers in the same process: the code is loaded
//                  and compiled, as in the worker, which keeps running between recomputations. Ours
//                  forgets its memo of natural's stems before each, so that it does all its work again,
//                  as scikit-learn does.
//   warm, stems kept  the same, keeping the stems of the calls before, as the worker does: natural's
//                  Porter stemmer (7-25 us a word) is work scikit-learn, stemming nothing, never does.
//   whole process  from spawning the process to the end of the first clustering: runtime start-up,
//                  imports, reading the same JSON-lines file, JIT warm-up and the first clustering;
//                  what `npm run themes` or a one-off Python script costs.
// Both sides read the same JSON-lines file. The shared machine is noisy, so each side runs in several
// fresh processes, interleaved (ours, scikit-learn, ours, ...), and the figures are medians; each
// process measures its own memory, so figures do not leak from one measurement into the next.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adjustedRandIndex, clusterAnswers, nmi, type ClusterResult, type Stage } from '../src/themes/pipeline/index.ts';
import { forgetStems } from '../src/themes/pipeline/tokenise.ts';
import { syntheticAnswers, type LabelledAnswer } from './themes-corpus.ts';

const stages: Stage[] = ['tokenise', 'vectorise', 'reduce', 'cluster', 'label'];
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const naturalTimeoutS = 60;
const sklearnTimeoutS = 600;
const MB = 1024 * 1024;

interface OursResult {
  n: number;
  /** per stage and total, of the first call */
  timings: Record<string, number>;
  /** the total of each further call */
  warm: number[];
  /** per stage, the median over the further calls */
  warmTimings: Record<string, number>;
  /** the total of further calls that keep natural's stems from the calls before, as the worker does */
  warmKept: number[];
  processMs: number;
  peak: Record<string, { rss: number; heap: number }>;
  maxRssMb: number;
  themes: number;
  nmi: number;
  ari: number;
}

interface NaturalResult {
  n: number;
  vectoriseMs: number;
  maxRssMb: number;
}

interface SklearnResult {
  n: number;
  k: number;
  vectorise_ms: number;
  cluster_ms: number;
  total_ms: number;
  first_ms: number;
  warm_ms: number[];
  process_ms?: number;
  peak_rss_mb: number;
  nmi?: number;
  ari?: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function readAnswers(file: string): LabelledAnswer[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabelledAnswer);
}

// ---- children -------------------------------------------------------------------------------------

function childOurs(file: string, runs: number, spawnedAt: number): void {
  const answers = readAnswers(file);
  const input = answers.map(({ id, text }) => ({ id, text }));
  const peak: Record<string, { rss: number; heap: number }> = {};
  const sample = (stage: string): void => {
    const m = process.memoryUsage();
    const p = (peak[stage] ??= { rss: 0, heap: 0 });
    p.rss = Math.max(p.rss, m.rss / MB);
    p.heap = Math.max(p.heap, m.heapUsed / MB);
  };
  const first = clusterAnswers(input, { onProgress: (stage) => sample(stage) });
  const processMs = Date.now() - spawnedAt;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const further: ClusterResult['timings'][] = [];
  const warmKept: number[] = [];
  for (let r = 1; r < runs; r++) {
    forgetStems(); // like scikit-learn's, each run does all its work again (the worker would keep the stems)
    further.push(clusterAnswers(input).timings);
    warmKept.push(clusterAnswers(input).timings.total); // alternated, so neither side gets more warm-up: the stems of the call before are kept
  }
  const warmTimings: Record<string, number> = {};
  for (const s of [...stages, 'total'] as const) warmTimings[s] = median(further.map((t) => t[s]));
  const truth = answers.map((a) => a.label);
  const pred = answers.map((a) => first.assignments[a.id] as string);
  const out: OursResult = {
    n: answers.length,
    timings: first.timings,
    warm: further.map((t) => t.total),
    warmTimings,
    warmKept,
    processMs,
    peak,
    maxRssMb,
    themes: first.themes.length,
    nmi: nmi(truth, pred),
    ari: adjustedRandIndex(truth, pred),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function childNatural(file: string): Promise<void> {
  // natural's TfIdf class by path, as the pipeline imports natural (its entry loads every module)
  const { TfIdf } = await import('natural/lib/natural/tfidf/index.js');
  const answers = readAnswers(file);
  const t = performance.now();
  const tfidf = new TfIdf();
  for (const a of answers) tfidf.addDocument(a.text);
  let terms = 0;
  for (let d = 0; d < answers.length; d++) terms += tfidf.listTerms(d).length; // the tf-idf vector of each answer
  const out: NaturalResult = { n: answers.length, vectoriseMs: performance.now() - t, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  if (terms < 0) throw new Error('unreachable');
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

// ---- parent ---------------------------------------------------------------------------------------

type Outcome<T> = T | 'timeout' | Error;

function lastJsonLine<T>(stdout: string): T | Error {
  const line = stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  return line ? (JSON.parse(line) as T) : new Error('no output');
}

function runChild<T>(args: string[], timeoutS: number): Outcome<T> {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'themes.ts'), ...args, '--spawned-at', String(Date.now())], {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutS * 1000,
    maxBuffer: 64 * MB,
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
  });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'timeout';
  if (res.status !== 0) return new Error(res.stderr.trim().split('\n').slice(-3).join(' '));
  return lastJsonLine<T>(res.stdout);
}

function sklearnAvailable(): string | null {
  const res = spawnSync('/usr/bin/python3', ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : null;
}

function runSklearn(file: string, k: number, mode: 'kmeans' | 'spectral', runs = 1): Outcome<SklearnResult> {
  const res = spawnSync(
    '/usr/bin/python3',
    [join(here, 'themes_sklearn.py'), file, String(k), mode, '--runs', String(runs), '--spawned-at', String(Date.now())],
    {
      encoding: 'utf8',
      timeout: sklearnTimeoutS * 1000,
      maxBuffer: 16 * MB,
    },
  );
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'timeout';
  if (res.status !== 0) return new Error(res.stderr.trim().split('\n').slice(-2).join(' '));
  return lastJsonLine<SklearnResult>(res.stdout);
}

const failure = (o: 'timeout' | Error, timeoutS: number): string => (o === 'timeout' ? `timeout (>${timeoutS}s)` : o.message);
const fmt = (x: number): string => x.toFixed(0).padStart(8);
const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
const figures: [string, number | string][] = [];
const figure = (name: string, value: number): void => {
  figures.push([name, Number.isInteger(value) ? value : Number(value.toFixed(3))]);
};

/** Default fresh processes per side and calls per process, fewer at the larger sizes. */
function repeats(n: number): { processes: number; runs: number } {
  const processes = Number(arg('--processes') ?? (n <= 10_000 ? 3 : 2));
  const runs = Number(arg('--runs') ?? (n <= 1_000 ? 10 : n <= 10_000 ? 6 : 3));
  return { processes: Math.max(1, processes), runs: Math.max(2, runs) };
}

async function parent(): Promise<void> {
  const sizes = (arg('--sizes') ?? '1000,10000,100000').split(',').map(Number);
  const tmp = mkdtempSync(join(tmpdir(), 'themes-bench-'));
  const sk = sklearnAvailable();
  console.log(
    `Themes benchmark on ${process.platform}/${process.arch}, node ${process.version}; scikit-learn: ${sk ?? 'not installed (apt-get install python3-sklearn), skipped'}`,
  );
  console.log('Timed the same way on both sides (medians over fresh processes, run one after the other):');
  console.log('  first call    = the first clustering in a process, after imports and reading the file (ours: with JIT warm-up)');
  console.log("  warm          = a further clustering of the same answers in the same process, natural's stems forgotten");
  console.log("  warm, stems kept = the same, keeping the stems the call before found (the worker's case)");
  console.log("  whole process = from spawn to the first result: start-up, imports, reading the file, first call (the CLI's case)");
  let naturalTooSlow = false;
  try {
    for (const n of sizes) {
      console.log(`\n== ${n.toLocaleString('en')} answers ==`);
      const file = join(tmp, `answers-${n}.jsonl`);
      writeFileSync(
        file,
        syntheticAnswers(n, 42)
          .map((a) => JSON.stringify(a))
          .join('\n'),
      );
      const { processes, runs } = repeats(n);
      const ours: OursResult[] = [];
      const theirs: SklearnResult[] = [];
      let oursFailed = '';
      for (let p = 0; p < processes; p++) {
        const o = runChild<OursResult>(['--child', 'ours', '--in', file, '--runs', String(runs)], 900);
        if (o === 'timeout' || o instanceof Error) {
          oursFailed = failure(o, 900);
          break;
        }
        ours.push(o);
        if (sk) {
          const r = runSklearn(file, Math.max(2, o.themes), 'kmeans', runs);
          if (r === 'timeout' || r instanceof Error) console.log(`scikit-learn: failed: ${failure(r, sklearnTimeoutS)}`);
          else theirs.push(r);
        }
      }
      const first = ours[0];
      if (first === undefined) {
        console.log(`ours: failed: ${oursFailed}`);
        continue;
      }
      // the stage table: the process with the median first call (its memory), and the median warm stages
      const mid = [...ours].sort((a, b) => (a.timings.total ?? 0) - (b.timings.total ?? 0))[Math.floor((ours.length - 1) / 2)] as OursResult;
      console.log(
        `${processes} processes x ${runs} calls per side; load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} (scikit-learn's KMeans threads slow down far more than ours when the machine is busy)`,
      );
      console.log(`${'stage'.padEnd(12)}${'first ms'.padStart(9)}${'warm ms'.padStart(9)}${'rss MB'.padStart(9)}${'heap MB'.padStart(9)}`);
      for (const s of stages) {
        const p = mid.peak[s] ?? { rss: 0, heap: 0 };
        const warmStage = median(ours.map((o) => o.warmTimings[s] ?? 0));
        console.log(`${s.padEnd(12)}${fmt(mid.timings[s] ?? 0).padStart(9)}${fmt(warmStage).padStart(9)}${fmt(p.rss).padStart(9)}${fmt(p.heap).padStart(9)}`);
        figure(`themes.${n}.${s}_ms`, Math.round(mid.timings[s] ?? 0));
      }
      const oFirst = median(ours.map((o) => o.timings.total ?? 0));
      const oWarm = median(ours.flatMap((o) => o.warm));
      const oWarmKept = median(ours.flatMap((o) => o.warmKept));
      const oProcess = median(ours.map((o) => o.processMs));
      const oRss = Math.max(...ours.map((o) => o.maxRssMb));
      console.log(`${'total'.padEnd(12)}${fmt(oFirst).padStart(9)}${fmt(oWarm).padStart(9)}${fmt(oRss).padStart(9)}  (peak RSS of the process)`);
      console.log(`themes found: ${first.themes}; against the generator's reasons: NMI ${first.nmi.toFixed(3)}, ARI ${first.ari.toFixed(3)}`);
      figure(`themes.${n}.total_ms`, Math.round(oFirst));
      figure(`themes.${n}.warm_ms`, Math.round(oWarm));
      figure(`themes.${n}.warm_stems_kept_ms`, Math.round(oWarmKept));
      figure(`themes.${n}.process_ms`, Math.round(oProcess));
      figure(`themes.${n}.peak_rss_mb`, Math.round(oRss));
      figure(`themes.${n}.themes`, first.themes);
      figure(`themes.${n}.nmi`, first.nmi);
      figure(`themes.${n}.ari`, first.ari);

      if (theirs.length > 0) {
        const r = theirs[0] as SklearnResult;
        const sFirst = median(theirs.map((t) => t.first_ms));
        const sWarm = median(theirs.flatMap((t) => t.warm_ms));
        const sProcess = median(theirs.map((t) => t.process_ms ?? Number.NaN));
        const sRss = Math.max(...theirs.map((t) => t.peak_rss_mb));
        console.log(
          `scikit-learn TfidfVectorizer + KMeans (k=${r.k}): vectorise ${median(theirs.map((t) => t.vectorise_ms))} ms, cluster ${median(theirs.map((t) => t.cluster_ms))} ms (first call); peak RSS ${sRss} MB; NMI ${(r.nmi ?? 0).toFixed(3)}, ARI ${(r.ari ?? 0).toFixed(3)}`,
        );
        console.log(`${''.padEnd(16)}${'ours'.padStart(10)}${'sklearn'.padStart(10)}   ours/sklearn`);
        for (const [name, a, b] of [
          ['first call', oFirst, sFirst],
          ['warm', oWarm, sWarm],
          ['warm, stems kept', oWarmKept, sWarm],
          ['whole process', oProcess, sProcess],
        ] as const) {
          console.log(`${name.padEnd(16)}${ms(a).padStart(10)}${ms(b).padStart(10)}   ${(a / b).toFixed(2)}`);
        }
        figure(`sklearn.${n}.total_ms`, Math.round(sFirst));
        figure(`sklearn.${n}.warm_ms`, Math.round(sWarm));
        if (Number.isFinite(sProcess)) figure(`sklearn.${n}.process_ms`, Math.round(sProcess));
        figure(`sklearn.${n}.vectorise_ms`, Math.round(median(theirs.map((t) => t.vectorise_ms))));
        figure(`sklearn.${n}.cluster_ms`, Math.round(median(theirs.map((t) => t.cluster_ms))));
        figure(`sklearn.${n}.peak_rss_mb`, sRss);
        if (r.nmi !== undefined) figure(`sklearn.${n}.nmi`, r.nmi);
        if (r.ari !== undefined) figure(`sklearn.${n}.ari`, r.ari);
      }

      // natural's TfIdf on the same texts (vectorising only: word unigrams, its own tokenizer; first call)
      if (naturalTooSlow) console.log(`natural TfIdf: skipped (too slow: >${naturalTimeoutS}s at a smaller size)`);
      else {
        const nat = runChild<NaturalResult>(['--child', 'natural', '--in', file], naturalTimeoutS);
        if (nat === 'timeout') {
          naturalTooSlow = true;
          console.log(`natural TfIdf: skipped (too slow: >${naturalTimeoutS}s)`);
        } else if (nat instanceof Error) console.log(`natural TfIdf: failed: ${nat.message}`);
        else {
          const ourVec = (mid.timings.tokenise ?? 0) + (mid.timings.vectorise ?? 0);
          console.log(
            `natural TfIdf vectorise (first call): ${nat.vectoriseMs.toFixed(0)} ms, peak RSS ${nat.maxRssMb.toFixed(0)} MB (ours tokenise+vectorise, with character n-grams: ${ourVec.toFixed(0)} ms)`,
          );
          figure(`natural.${n}.vectorise_ms`, Math.round(nat.vectoriseMs));
          figure(`natural.${n}.peak_rss_mb`, Math.round(nat.maxRssMb));
        }
      }
    }

    // ---- the labelled set ----
    console.log('\n== labelled set (test/fixtures/themes/labelled.jsonl) ==');
    const labelledFile = join(root, 'test/fixtures/themes/labelled.jsonl');
    const set = readAnswers(labelledFile);
    const truth = set.map((a) => a.label);
    const k = new Set(truth).size;
    const t = performance.now();
    const res = clusterAnswers(set.map(({ id, text }) => ({ id, text })));
    const took = performance.now() - t;
    const pred = set.map((a) => res.assignments[a.id] as string);
    console.log(`${set.length} answers, ${k} known reasons`);
    console.log(
      `ours (Louvain on a cosine kNN graph, k chosen itself: ${res.themes.length} incl. unclear): NMI ${nmi(truth, pred).toFixed(3)}, ARI ${adjustedRandIndex(truth, pred).toFixed(3)}, ${took.toFixed(0)} ms`,
    );
    figure('quality.ours.nmi', nmi(truth, pred));
    figure('quality.ours.ari', adjustedRandIndex(truth, pred));
    figure('quality.ours.ms', Math.round(took));
    let sn = 0;
    let sa = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const r = clusterAnswers(
        set.map(({ id, text }) => ({ id, text })),
        { seed },
      );
      const p = set.map((a) => r.assignments[a.id] as string);
      sn += nmi(truth, p);
      sa += adjustedRandIndex(truth, p);
    }
    console.log(`ours, mean over seeds 1-5: NMI ${(sn / 5).toFixed(3)}, ARI ${(sa / 5).toFixed(3)}`);
    figure('quality.ours.mean5.nmi', sn / 5);
    figure('quality.ours.mean5.ari', sa / 5);
    const forced = clusterAnswers(
      set.map(({ id, text }) => ({ id, text })),
      { k },
    );
    const pf = set.map((a) => forced.assignments[a.id] as string);
    console.log(`ours with k=${k} forced: NMI ${nmi(truth, pf).toFixed(3)}, ARI ${adjustedRandIndex(truth, pf).toFixed(3)}`);
    figure('quality.ours_k.nmi', nmi(truth, pf));
    figure('quality.ours_k.ari', adjustedRandIndex(truth, pf));
    if (sk) {
      for (const mode of ['kmeans', 'spectral'] as const) {
        const r = runSklearn(labelledFile, k, mode);
        const name = mode === 'kmeans' ? 'TfidfVectorizer (words) + KMeans' : 'SpectralClustering on character 3-5-grams';
        if (r === 'timeout' || r instanceof Error) console.log(`scikit-learn ${name}: failed: ${failure(r, sklearnTimeoutS)}`);
        else {
          console.log(`scikit-learn ${name} (true k=${k}): NMI ${(r.nmi ?? 0).toFixed(3)}, ARI ${(r.ari ?? 0).toFixed(3)}, ${r.total_ms} ms`);
          figure(`quality.sklearn_${mode}.nmi`, r.nmi ?? 0);
          figure(`quality.sklearn_${mode}.ari`, r.ari ?? 0);
          figure(`quality.sklearn_${mode}.ms`, r.total_ms);
        }
      }
    } else console.log('scikit-learn: not installed, skipped');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log('');
  for (const [name, value] of figures) console.log(`${name} ${value}`);
}

const child = arg('--child');
if (child === 'ours') childOurs(arg('--in') as string, Number(arg('--runs') ?? 1), Number(arg('--spawned-at') ?? Date.now()));
else if (child === 'natural') await childNatural(arg('--in') as string);
else await parent();
