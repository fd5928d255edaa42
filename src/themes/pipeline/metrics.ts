// Agreement between a clustering and known labels: normalised mutual information (arithmetic mean, as
// scikit-learn's default) and the adjusted Rand index. Used by the quality tests and the benchmark.

function contingency(
  a: readonly (string | number)[],
  b: readonly (string | number)[],
): { table: Map<string, number>; ra: Map<string | number, number>; rb: Map<string | number, number>; n: number } {
  if (a.length !== b.length) throw new Error('label arrays differ in length');
  const table = new Map<string, number>();
  const ra = new Map<string | number, number>();
  const rb = new Map<string | number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    const key = JSON.stringify([x, y]);
    table.set(key, (table.get(key) ?? 0) + 1);
    ra.set(x, (ra.get(x) ?? 0) + 1);
    rb.set(y, (rb.get(y) ?? 0) + 1);
  }
  return { table, ra, rb, n: a.length };
}

function entropy(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/** NMI with arithmetic-mean normalisation; 1 when both are a single cluster. */
export function nmi(truth: readonly (string | number)[], pred: readonly (string | number)[]): number {
  const { table, ra, rb, n } = contingency(truth, pred);
  if (n === 0) return 1;
  const ha = entropy(ra.values(), n);
  const hb = entropy(rb.values(), n);
  if (ha === 0 && hb === 0) return 1;
  let mi = 0;
  for (const [key, c] of table) {
    const [x, y] = JSON.parse(key) as [string | number, string | number];
    const pa = (ra.get(x) as number) / n;
    const pb = (rb.get(y) as number) / n;
    mi += (c / n) * Math.log(c / n / (pa * pb));
  }
  const denom = (ha + hb) / 2;
  return denom === 0 ? 0 : Math.max(0, Math.min(1, mi / denom));
}

const comb2 = (x: number): number => (x * (x - 1)) / 2;

/** Adjusted Rand index (Hubert and Arabie). */
export function adjustedRandIndex(truth: readonly (string | number)[], pred: readonly (string | number)[]): number {
  const { table, ra, rb, n } = contingency(truth, pred);
  let sumIj = 0;
  for (const c of table.values()) sumIj += comb2(c);
  let sumA = 0;
  for (const c of ra.values()) sumA += comb2(c);
  let sumB = 0;
  for (const c of rb.values()) sumB += comb2(c);
  const expected = (sumA * sumB) / comb2(n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (sumIj - expected) / (max - expected);
}
