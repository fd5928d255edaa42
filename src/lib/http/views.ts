// Helpers every template can use (through app.locals). Formatting lives here so that pages agree.
// Dates and times show in one zone per page: the signed-in person's (set per request by
// src/accounts/session.ts through timeHelpers), else UTC. The permission check `can`
// (accounts/permissions.ts) joins them in app.ts, as lib imports no feature.

interface ZoneFormats {
  date: Intl.DateTimeFormat;
  dateTime: Intl.DateTimeFormat;
  zoneName: string;
}

// Building an Intl.DateTimeFormat costs far more than using one: one set per zone, kept.
const formatsByZone = new Map<string, ZoneFormats>();

function formatsFor(timeZone: string): ZoneFormats {
  let formats = formatsByZone.get(timeZone);
  if (!formats) {
    formats = {
      date: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }),
      dateTime: new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone,
        timeZoneName: 'short',
      }),
      zoneName: timeZone,
    };
    if (formatsByZone.size >= 500) formatsByZone.clear();
    formatsByZone.set(timeZone, formats);
  }
  return formats;
}

export interface TimeHelpers {
  /** The IANA zone the page's dates and times are in, to name where it matters ("times in Asia/Tokyo"). */
  timeZone: string;
  formatDate(value: Date | string | null | undefined): string;
  formatDateTime(value: Date | string | null | undefined): string;
}

/** Date and time formatting in one zone (a valid IANA name: the caller checked it). */
export function timeHelpers(timeZone: string): TimeHelpers {
  const formats = formatsFor(timeZone);
  return {
    timeZone: formats.zoneName,
    formatDate: (value) => {
      if (!value) return '—';
      const at = new Date(value);
      // A date entered without a time (a lost date from a form or a CSV) is stored as midnight UTC: it is
      // that calendar day for everyone, not the evening before west of Greenwich.
      return (at.getTime() % 86_400_000 === 0 ? formatsFor('UTC') : formats).date.format(at);
    },
    formatDateTime: (value) => (value ? formats.dateTime.format(new Date(value)) : '—'),
  };
}

export const viewHelpers = {
  ...timeHelpers('UTC'),
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
