// The default reason taxonomy: the codes reps and buyers pick from when they say why a deal was lost.
// The program settings (deals issue) make it editable; these are the defaults a new workspace starts with.
// Each reason has two wordings: the label, in the team's words (what reps pick, what reports and staff
// pages show), and the buyer's wording, what the buyer reads on the form ("It didn't work with the tools
// we use", not "Integrations with their stack").
export interface ReasonCode {
  code: string;
  label: string;
}

export interface ProgramReason extends ReasonCode {
  /** What the buyer reads on the form for this reason. */
  buyerLabel: string;
}

export const defaultReasonTaxonomy: readonly ProgramReason[] = [
  { code: 'price', label: 'Price or commercial terms', buyerLabel: 'The price, or the terms of the contract' },
  { code: 'product_fit', label: 'Missing capability or product fit', buyerLabel: 'It did not do something we needed' },
  { code: 'integrations', label: 'Integrations with their stack', buyerLabel: 'It did not work with the tools we use' },
  { code: 'ease_of_use', label: 'Ease of use', buyerLabel: 'It looked hard to use' },
  { code: 'support', label: 'Support and service', buyerLabel: 'The support and service we could expect' },
  { code: 'sales_experience', label: 'The sales experience', buyerLabel: 'How we were treated while we were deciding' },
  { code: 'implementation', label: 'Implementation plan and time to value', buyerLabel: 'How long it would take to get going' },
  { code: 'trust', label: 'Trust, security or vendor risk', buyerLabel: 'Doubts about security, or about you as a supplier' },
  { code: 'no_decision', label: 'No decision or timing', buyerLabel: 'It was not the right time, or we decided not to decide' },
];

const labels = new Map(defaultReasonTaxonomy.map((r) => [r.code, r.label]));
const buyerLabels = new Map(defaultReasonTaxonomy.map((r) => [r.code, r.buyerLabel]));

export function reasonLabel(code: string | null | undefined): string {
  if (!code) return 'Not given';
  return labels.get(code) ?? code;
}

/**
 * The buyer's wording of a reason when none was written: the default one for a default code, else the
 * label itself (a reason a marketer added reads as they labelled it until they word it for buyers).
 */
export function defaultBuyerLabel(reason: ReasonCode): string {
  return buyerLabels.get(reason.code) ?? reason.label;
}
