// The perception gap: for each interview where both views exist, the reason the rep gave when the deal
// was lost (the deal's repReason.code) against the buyer's primary reason (the answer's primaryReason);
// reason labels come from the program's taxonomy. Read from the report's rows, as the report's own gap is.
import { loadProgram } from '../program/index.ts';
import { loadDataset } from './dataset.ts';

export interface PerceptionGap {
  /** the reasons that occur on either side, in taxonomy order (codes outside the taxonomy last) */
  reasons: { code: string; label: string }[];
  /** table[repReason][buyerReason] = interviews; only non-zero cells are present */
  table: Record<string, Record<string, number>>;
  /** interviews with both views */
  pairs: number;
  /** of those, where the rep and the buyer gave the same reason */
  agree: number;
  /** where they differ, most frequent first */
  differences: { repReason: string; buyerReason: string; count: number }[];
}

/** One interview with both views: the rep's reason code and the buyer's primary reason code. */
export interface GapPair {
  rep: string;
  buyer: string;
}

/**
 * filter.dealIds: only interviews about these deals (a report's selection); outcome: of lost deals (the
 * default) or won ones (the rep's reason for the win against the buyer's). From the report's rows.
 */
export async function perceptionGap(filter: { dealIds?: readonly string[]; outcome?: 'won' | 'lost' } = {}): Promise<PerceptionGap> {
  const [data, program] = await Promise.all([loadDataset(filter.outcome === 'won' ? { outcome: 'won' } : {}), loadProgram()]);
  const only = filter.dealIds ? new Set(filter.dealIds) : null;
  const pairs = data.responses
    .filter((r) => !only || only.has(r.dealId))
    .map((r) => ({ rep: data.dealsById.get(r.dealId)?.repReason ?? '', buyer: r.primaryReason ?? '' }));
  return gapOf(pairs, program.reasons);
}

/** The gap from pairs already in hand (the report has its deals and answers loaded). Pairs with either side empty are left out. */
export function gapOf(all: Iterable<GapPair>, taxonomy: readonly { code: string; label: string }[]): PerceptionGap {
  const table: Record<string, Record<string, number>> = {};
  const seen = new Set<string>();
  let pairs = 0;
  let agree = 0;
  for (const { rep, buyer } of all) {
    if (rep === '' || buyer === '') continue;
    pairs++;
    if (rep === buyer) agree++;
    const row = (table[rep] ??= {});
    row[buyer] = (row[buyer] ?? 0) + 1;
    seen.add(rep).add(buyer);
  }

  const known = new Set(taxonomy.map((r) => r.code));
  const reasons = [
    ...taxonomy.filter((r) => seen.has(r.code)).map((r) => ({ code: r.code, label: r.label })),
    ...[...seen]
      .filter((c) => !known.has(c))
      .sort()
      .map((code) => ({ code, label: code })),
  ];
  const order = new Map(reasons.map((r, i) => [r.code, i]));
  const differences = Object.entries(table)
    .flatMap(([repReason, row]) =>
      Object.entries(row)
        .filter(([buyerReason]) => buyerReason !== repReason)
        .map(([buyerReason, count]) => ({ repReason, buyerReason, count })),
    )
    .sort((a, b) => b.count - a.count || order.get(a.repReason)! - order.get(b.repReason)! || order.get(a.buyerReason)! - order.get(b.buyerReason)!);
  return { reasons, table, pairs, agree, differences };
}
