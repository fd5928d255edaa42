// Helpers every template can use (through app.locals). Formatting lives here so that pages agree; the
// permission check `can` (accounts/permissions.ts) joins them in app.ts, as lib imports no feature.
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

export const viewHelpers = {
  formatDate(value: Date | string | null | undefined): string {
    return value ? dateFormat.format(new Date(value)) : '—';
  },
  formatDateTime(value: Date | string | null | undefined): string {
    return value ? dateTimeFormat.format(new Date(value)) : '—';
  },
  formatMoney(amount: number | null | undefined, currency: string | null | undefined): string {
    if (amount === null || amount === undefined) return '—';
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD', maximumFractionDigits: 0 }).format(amount);
    } catch {
      return `${amount.toLocaleString('en-US')} ${currency ?? ''}`.trim();
    }
  },
  percent(part: number, whole: number): string {
    return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—';
  },
};
