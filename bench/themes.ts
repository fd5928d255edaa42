// The themes benchmark (not a timed test): `npx tsx bench/themes.ts [--sizes 1000,10000,100000]`.
// Times each stage of the pipeline and its peak memory on 1k/10k/100k synthetic answers, beside the
// same texts vectorised by natural's own TfIdf class and, where Debian's python3-sklearn is installed,
// scikit-learn's TfidfVectorizer + KMeans with the same k. Then the labelled set: NMI and ARI against the
// known reasons, ours beside scikit-learn's. Each measurement runs in its own process so memory figures
// do not leak from one into the next. Ends with one `name value` line per figure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adjustedRandIndex, clusterAnswers, nmi, type Stage } from '../src/themes/pipeline/index.ts';
import { syntheticAnswers, type LabelledAnswer } from './themes-corpus.ts';

const stages: Stage[] = ['tokenise', 'vectorise', 'reduce', 'cluster', 'label'];
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const naturalTimeoutS = 60;
const sklearnTimeoutS = 300;
const MB = 1024 * 1024;

interface OursResult {
  n: number;
  timings: Record<string, number>;
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
  peak_rss_mb: number;
  nmi?: number;
  ari?: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ---- children -------------------------------------------------------------------------------------

function childOurs(n: number): void {
  const answers = syntheticAnswers(n, 42);
  const peak: Record<string, { rss: number; heap: number }> = {};
  const sample = (stage: string): void => {
    const m = process.memoryUsage();
    const p = (peak[stage] ??= { rss: 0, heap: 0 });
    p.rss = Math.max(p.rss, m.rss / MB);
    p.heap = Math.max(p.heap, m.heapUsed / MB);
  };
  const res = clusterAnswers(answers.map(({ id, text }) => ({ id, text })), { onProgress: (stage) => sample(stage) });
  const truth = answers.map((a) => a.label);
  const pred = answers.map((a) => res.assignments[a.id] as string);
  const out: OursResult = {
    n,
    timings: res.timings,
    peak,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    themes: res.themes.length,
    nmi: nmi(truth, pred),
    ari: adjustedRandIndex(truth, pred),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function childNatural(n: number): Promise<void> {
  // natural's TfIdf class by path, as the pipeline imports natural (its entry loads every module)
  const { TfIdf } = await import('natural/lib/natural/tfidf/index.js');
  const answers = syntheticAnswers(n, 42);
  const t = performance.now();
  const tfidf = new TfIdf();
  for (const a of answers) tfidf.addDocument(a.text);
  let terms = 0;
  for (let d = 0; d < answers.length; d++) terms += tfidf.listTerms(d).length; // the tf-idf vector of each answer
  const out: NaturalResult = { n, vectoriseMs: performance.now() - t, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  if (terms < 0) throw new Error('unreachable');
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

// ---- parent ---------------------------------------------------------------------------------------

function runChild<T>(args: string[], timeoutS: number): T | 'timeout' | Error {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'themes.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutS * 1000,
    maxBuffer: 64 * MB,
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
  });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'timeout';
  if (res.status !== 0) return new Error(res.stderr.trim().split('\n').slice(-3).join(' '));
  const line = res.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  return line ? (JSON.parse(line) as T) : new Error('no output');
}

function sklearnAvailable(): string | null {
  const res = spawnSync('/usr/bin/python3', ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : null;
}

function runSklearn(file: string, k: number, mode: 'kmeans' | 'spectral'): SklearnResult | 'timeout' | Error {
  const res = spawnSync('/usr/bin/python3', [join(here, 'themes_sklearn.py'), file, String(k), mode], {
    encoding: 'utf8',
    timeout: sklearnTimeoutS * 1000,
    maxBuffer: 16 * MB,
  });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'timeout';
  if (res.status !== 0) return new Error(res.stderr.trim().split('\n').slice(-2).join(' '));
  return JSON.parse(res.stdout.trim().split('\n').pop() as string) as SklearnResult;
}

const fmt = (x: number): string => x.toFixed(0).padStart(8);
const figures: [string, number | string][] = [];
const figure = (name: string, value: number): void => {
  figures.push([name, Number.isInteger(value) ? value : Number(value.toFixed(3))]);
};

async function parent(): Promise<void> {
  const sizes = (arg('--sizes') ?? '1000,10000,100000').split(',').map(Number);
  const tmp = mkdtempSync(join(tmpdir(), 'themes-bench-'));
  const sk = sklearnAvailable();
  console.log(`Themes benchmark on ${process.platform}/${process.arch}, node ${process.version}; scikit-learn: ${sk ?? 'not installed (apt-get install python3-sklearn), skipped'}`);
  let naturalTooSlow = false;
  try {
    for (const n of sizes) {
      console.log(`\n== ${n.toLocaleString('en')} answers ==`);
      const ours = runChild<OursResult>(['--child', 'ours', '--n', String(n)], 600);
      if (ours === 'timeout' || ours instanceof Error) {
        console.log(`ours: failed: ${ours === 'timeout' ? 'timeout' : ours.message}`);
        continue;
      }
      console.log(`${'stage'.padEnd(12)}${'ours ms'.padStart(8)}${'rss MB'.padStart(9)}${'heap MB'.padStart(9)}`);
      for (const s of stages) {
        const p = ours.peak[s] ?? { rss: 0, heap: 0 };
        console.log(`${s.padEnd(12)}${fmt(ours.timings[s] ?? 0)}${fmt(p.rss).padStart(9)}${fmt(p.heap).padStart(9)}`);
        figure(`themes.${n}.${s}_ms`, Math.round(ours.timings[s] ?? 0));
      }
      console.log(`${'total'.padEnd(12)}${fmt(ours.timings.total ?? 0)}${fmt(ours.maxRssMb).padStart(9)}  (peak RSS of the process)`);
      console.log(`themes found: ${ours.themes}; against the generator's reasons: NMI ${ours.nmi.toFixed(3)}, ARI ${ours.ari.toFixed(3)}`);
      figure(`themes.${n}.total_ms`, Math.round(ours.timings.total ?? 0));
      figure(`themes.${n}.peak_rss_mb`, Math.round(ours.maxRssMb));
      figure(`themes.${n}.themes`, ours.themes);
      figure(`themes.${n}.nmi`, ours.nmi);
      figure(`themes.${n}.ari`, ours.ari);

      // natural's TfIdf on the same texts (vectorising only: word unigrams, its own tokenizer)
      if (naturalTooSlow) console.log(`natural TfIdf: skipped (too slow: >${naturalTimeoutS}s at a smaller size)`);
      else {
        const nat = runChild<NaturalResult>(['--child', 'natural', '--n', String(n)], naturalTimeoutS);
        if (nat === 'timeout') {
          naturalTooSlow = true;
          console.log(`natural TfIdf: skipped (too slow: >${naturalTimeoutS}s)`);
        } else if (nat instanceof Error) console.log(`natural TfIdf: failed: ${nat.message}`);
        else {
          const ourVec = (ours.timings.tokenise ?? 0) + (ours.timings.vectorise ?? 0);
          console.log(`natural TfIdf vectorise: ${nat.vectoriseMs.toFixed(0)} ms, peak RSS ${nat.maxRssMb.toFixed(0)} MB (ours tokenise+vectorise, with character n-grams: ${ourVec.toFixed(0)} ms)`);
          figure(`natural.${n}.vectorise_ms`, Math.round(nat.vectoriseMs));
          figure(`natural.${n}.peak_rss_mb`, Math.round(nat.maxRssMb));
        }
      }

      if (sk) {
        const file = join(tmp, `answers-${n}.jsonl`);
        writeFileSync(file, syntheticAnswers(n, 42).map((a) => JSON.stringify({ text: a.text, label: a.label })).join('\n'));
        const k = Math.max(2, ours.themes);
        const r = runSklearn(file, k, 'kmeans');
        if (r === 'timeout' || r instanceof Error) console.log(`scikit-learn: failed: ${r === 'timeout' ? `timeout (>${sklearnTimeoutS}s)` : r.message}`);
        else {
          console.log(`scikit-learn TfidfVectorizer + KMeans (k=${k}): vectorise ${r.vectorise_ms} ms, cluster ${r.cluster_ms} ms, total ${r.total_ms} ms, peak RSS ${r.peak_rss_mb} MB; NMI ${(r.nmi ?? 0).toFixed(3)}, ARI ${(r.ari ?? 0).toFixed(3)}`);
          figure(`sklearn.${n}.total_ms`, r.total_ms);
          figure(`sklearn.${n}.vectorise_ms`, r.vectorise_ms);
          figure(`sklearn.${n}.cluster_ms`, r.cluster_ms);
          figure(`sklearn.${n}.peak_rss_mb`, r.peak_rss_mb);
          if (r.nmi !== undefined) figure(`sklearn.${n}.nmi`, r.nmi);
          if (r.ari !== undefined) figure(`sklearn.${n}.ari`, r.ari);
        }
      }
    }

    // ---- the labelled set ----
    console.log('\n== labelled set (test/fixtures/themes/labelled.jsonl) ==');
    const labelledFile = join(root, 'test/fixtures/themes/labelled.jsonl');
    const set = readFileSync(labelledFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LabelledAnswer);
    const truth = set.map((a) => a.label);
    const k = new Set(truth).size;
    const t = performance.now();
    const res = clusterAnswers(set.map(({ id, text }) => ({ id, text })));
    const ms = performance.now() - t;
    const pred = set.map((a) => res.assignments[a.id] as string);
    console.log(`${set.length} answers, ${k} known reasons`);
    console.log(`ours (Louvain on a cosine kNN graph, k chosen itself: ${res.themes.length} incl. unclear): NMI ${nmi(truth, pred).toFixed(3)}, ARI ${adjustedRandIndex(truth, pred).toFixed(3)}, ${ms.toFixed(0)} ms`);
    figure('quality.ours.nmi', nmi(truth, pred));
    figure('quality.ours.ari', adjustedRandIndex(truth, pred));
    figure('quality.ours.ms', Math.round(ms));
    let sn = 0;
    let sa = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const r = clusterAnswers(set.map(({ id, text }) => ({ id, text })), { seed });
      const p = set.map((a) => r.assignments[a.id] as string);
      sn += nmi(truth, p);
      sa += adjustedRandIndex(truth, p);
    }
    console.log(`ours, mean over seeds 1-5: NMI ${(sn / 5).toFixed(3)}, ARI ${(sa / 5).toFixed(3)}`);
    figure('quality.ours.mean5.nmi', sn / 5);
    figure('quality.ours.mean5.ari', sa / 5);
    const forced = clusterAnswers(set.map(({ id, text }) => ({ id, text })), { k });
    const pf = set.map((a) => forced.assignments[a.id] as string);
    console.log(`ours with k=${k} forced: NMI ${nmi(truth, pf).toFixed(3)}, ARI ${adjustedRandIndex(truth, pf).toFixed(3)}`);
    figure('quality.ours_k.nmi', nmi(truth, pf));
    figure('quality.ours_k.ari', adjustedRandIndex(truth, pf));
    if (sk) {
      for (const mode of ['kmeans', 'spectral'] as const) {
        const r = runSklearn(labelledFile, k, mode);
        const name = mode === 'kmeans' ? 'TfidfVectorizer (words) + KMeans' : 'SpectralClustering on character 3-5-grams';
        if (r === 'timeout' || r instanceof Error) console.log(`scikit-learn ${name}: failed: ${r === 'timeout' ? 'timeout' : r.message}`);
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
if (child === 'ours') childOurs(Number(arg('--n')));
else if (child === 'natural') await childNatural(Number(arg('--n')));
else await parent();
