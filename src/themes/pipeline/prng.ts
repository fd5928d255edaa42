// A small seeded PRNG so that every random choice in the pipeline (samples, visiting orders) is
// reproducible: the same input and seed give the same themes. It has no dependencies, so the demo
// seed and tests that replay a failure use it too.

export type Rng = () => number;

/** mulberry32: fast, 32-bit state, good enough for sampling and initialisation. Returns [0, 1). */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** In-place Fisher-Yates shuffle. */
export function shuffle<T>(arr: T[], rng: Rng): T[] {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = arr[i] as T;
    arr[i] = arr[j] as T;
    arr[j] = t;
  }
  return arr;
}

/** m distinct indices out of 0..n-1, sorted, chosen with the rng (all of them when m >= n). */
export function sampleIndices(n: number, m: number, rng: Rng): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (m >= n) return all;
  // partial Fisher-Yates: only the first m positions are needed
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = all[i] as number;
    all[i] = all[j] as number;
    all[j] = t;
  }
  return all.slice(0, m).sort((x, y) => x - y);
}
