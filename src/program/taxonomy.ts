// The default reason taxonomy: the codes reps and buyers pick from when they say why a deal was lost.
// The program settings (deals issue) make it editable; these are the defaults a new workspace starts with.
export interface ReasonCode {
  code: string;
  label: string;
}

export const defaultReasonTaxonomy: readonly ReasonCode[] = [
  { code: 'price', label: 'Price or commercial terms' },
  { code: 'product_fit', label: 'Missing capability or product fit' },
  { code: 'integrations', label: 'Integrations with their stack' },
  { code: 'ease_of_use', label: 'Ease of use' },
  { code: 'support', label: 'Support and service' },
  { code: 'sales_experience', label: 'The sales experience' },
  { code: 'implementation', label: 'Implementation plan and time to value' },
  { code: 'trust', label: 'Trust, security or vendor risk' },
  { code: 'no_decision', label: 'No decision or timing' },
];

const labels = new Map(defaultReasonTaxonomy.map((r) => [r.code, r.label]));

export function reasonLabel(code: string | null | undefined): string {
  if (!code) return 'Not given';
  return labels.get(code) ?? code;
}
