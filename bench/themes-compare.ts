// Measures clustering methods on the labelled set (NMI, ARI, number of clusters, time), the comparison
// the pipeline's choice of method rests on: `npx tsx bench/themes-compare.ts`. Same features for all
// (words + bigrams + character 3-5-grams, TF-IDF, L2); k-means and agglomerative run on the LSA
// embedding (100 dimensions), as on the raw 10k-dimensional vectors they are far slower and no better.
import { readFileSync } from 'node:fs';
import { knnGraphSparse, louvain } from '../src/themes/pipeline/cluster.ts';
import { clusterAnswers, defaults } from '../src/themes/pipeline/pipeline.ts';
import { adjustedRandIndex, nmi } from '../src/themes/pipeline/metrics.ts';
import { tokeniseCorpus } from '../src/themes/pipeline/tokenise.ts';
import { vectorise } from '../src/themes/pipeline/vectorise.ts';
import { agglomerative, kmeansBySilhouette, sphericalKMeans } from './themes-research/cluster.ts';
import { truncatedSvd } from './themes-research/svd.ts';

interface Row {
  id: string;
  text: string;
  label: string;
}
const rows = readFileSync(new URL('../test/fixtures/themes/labelled.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);
const truth = rows.map((r) => r.label);
const seeds = [1, 2, 3, 4, 5];

/** Mean NMI, ARI, cluster count and time over the seeds. */
function measure(name: string, run: (seed: number) => ArrayLike<number | string>): void {
  let sn = 0;
  let sa = 0;
  let sk = 0;
  const t = performance.now();
  for (const seed of seeds) {
    const pred = Array.from(run(seed), String);
    sn += nmi(truth, pred);
    sa += adjustedRandIndex(truth, pred);
    sk += new Set(pred).size;
  }
  const q = seeds.length;
  console.log(
    `${name.padEnd(58)} k=${(sk / q).toFixed(1).padStart(5)}  NMI ${(sn / q).toFixed(3)}  ARI ${(sa / q).toFixed(3)}  ${((performance.now() - t) / q).toFixed(0).padStart(5)} ms`,
  );
}

const corpus = tokeniseCorpus(rows.map((r) => r.text));
const { matrix } = vectorise(corpus, { charWeight: defaults.charWeight });
const lsa = (seed: number) => truncatedSvd(matrix, { components: 100, seed }).embedding;
console.log(`labelled set: ${rows.length} answers, ${new Set(truth).size} reasons; mean over seeds ${seeds.join(',')}`);
measure('spherical k-means, k=4..20 by sampled silhouette (LSA)', (seed) => kmeansBySilhouette(lsa(seed), 4, 20, seed).labels);
measure('spherical k-means, true k=10 (LSA)', (seed) => sphericalKMeans(lsa(seed), 10, { seed, restarts: 3 }).labels);
for (const cut of [0.7, 0.8, 0.9]) measure(`agglomerative average linkage, cosine cut-off ${cut} (LSA)`, (seed) => agglomerative(lsa(seed), cut));
for (const k of [5, 10, 15])
  for (const res of [0.7, 1])
    measure(`Louvain on cosine kNN graph, kNN=${k}, resolution ${res}`, (seed) => louvain(knnGraphSparse(matrix, k), { resolution: res, seed }));
measure('pipeline: Louvain + short answers + unclear (clusterAnswers)', (seed) => {
  const r = clusterAnswers(
    rows.map(({ id, text }) => ({ id, text })),
    { seed },
  );
  return rows.map((row) => r.assignments[row.id] as string);
});
measure('pipeline with k=10 forced', (seed) => {
  const r = clusterAnswers(
    rows.map(({ id, text }) => ({ id, text })),
    { seed, k: 10 },
  );
  return rows.map((row) => r.assignments[row.id] as string);
});
