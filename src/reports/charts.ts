// Charts drawn on the server as inline SVG: no chart library, no script, nothing for the CSP to block
// (presentation attributes and classes only, never style=""). Each chart names itself in <title> and
// <desc> for screen readers; the page puts a table or text with the same numbers next to it. Every
// value written into the markup goes through esc().
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const round = (n: number) => Math.round(n * 10) / 10;

function frame(id: string, title: string, description: string, width: number, height: number, body: string, extraClass = ''): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart${extraClass ? ` ${extraClass}` : ''}" role="img" aria-labelledby="${esc(id)}-title ${esc(id)}-desc" ` +
    `viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" data-chart="${esc(id)}">` +
    `<title id="${esc(id)}-title">${esc(title)}</title><desc id="${esc(id)}-desc">${esc(description)}</desc>${body}</svg>`
  );
}

function clip(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

export interface BarRow {
  label: string;
  /** null: not readable (too few answers); drawn as a note instead of a bar. */
  value: number | null;
  /** What is written at the end of the bar ("42%", "12"). */
  display: string;
}

/** Horizontal bars, one row each, scaled to `max` (the largest value when not given). */
export function barChart(opts: { id: string; title: string; rows: readonly BarRow[]; max?: number }): string {
  const width = 640;
  const labelWidth = 210;
  const valueWidth = 150;
  const rowHeight = 28;
  const barArea = width - labelWidth - valueWidth;
  const max = opts.max ?? Math.max(1e-9, ...opts.rows.map((r) => r.value ?? 0));
  const height = Math.max(rowHeight, opts.rows.length * rowHeight) + 4;
  const body = opts.rows
    .map((r, i) => {
      const y = i * rowHeight + 4;
      const w = r.value === null ? 0 : round((Math.max(0, r.value) / (max || 1)) * barArea);
      const bar =
        r.value === null
          ? ''
          : `<rect class="bar" x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 10}" rx="2" data-label="${esc(r.label)}" data-value="${esc(r.value)}"></rect>`;
      return (
        `<g class="bar-row"><text class="chart-label" x="${labelWidth - 8}" y="${y + rowHeight / 2 + 3}" text-anchor="end">${esc(clip(r.label, 30))}</text>` +
        `${bar}<text class="chart-value${r.value === null ? ' too-few' : ''}" x="${labelWidth + w + 6}" y="${y + rowHeight / 2 + 3}">${esc(r.display)}</text></g>`
      );
    })
    .join('');
  const description = opts.rows.map((r) => `${r.label}: ${r.display}`).join('; ') || 'No data.';
  return frame(opts.id, opts.title, description, width, height, body);
}

export interface TrendPointIn {
  label: string;
  /** 0..1, or null when too few answers stand behind it (a gap in the line). */
  value: number | null;
}

/** A small line over time (one of a set of small multiples), 0..max on the vertical axis. */
export function sparkline(opts: { id: string; title: string; points: readonly TrendPointIn[]; max?: number; format?: (v: number) => string }): string {
  const width = 200;
  const height = 56;
  const pad = 6;
  const max = opts.max ?? 1;
  const format = opts.format ?? ((v: number) => `${Math.round(v * 100)}%`);
  const n = opts.points.length;
  const x = (i: number) => round(n <= 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (n - 1));
  const y = (v: number) => round(height - pad - (Math.min(v, max) / (max || 1)) * (height - 2 * pad));
  const segments: string[] = [];
  let current: string[] = [];
  opts.points.forEach((p, i) => {
    if (p.value === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(i)},${y(p.value)}`);
  });
  if (current.length) segments.push(current.join(' '));
  const lines = segments.map((s) => `<polyline class="trend-line" points="${s}" fill="none"></polyline>`).join('');
  const dots = opts.points
    .map((p, i) =>
      p.value === null
        ? ''
        : `<circle class="trend-dot" cx="${x(i)}" cy="${y(p.value)}" r="2.5" data-label="${esc(p.label)}" data-value="${esc(round(p.value * 1000) / 1000)}"></circle>`,
    )
    .join('');
  const axis = `<line class="axis" x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}"></line>`;
  const description = opts.points.map((p) => `${p.label}: ${p.value === null ? 'too few answers' : format(p.value)}`).join('; ') || 'No data.';
  return frame(opts.id, opts.title, description, width, height, axis + lines + dots, 'sparkline');
}

export interface ScoreRow {
  label: string;
  /** Mean 1..5, or null when too few answers. */
  value: number | null;
  answers: number;
}

/** Bars that grow left (we were worse) or right (we were better) of the middle of a 1..5 scale. */
export function scoreChart(opts: { id: string; title: string; rows: readonly ScoreRow[] }): string {
  const width = 640;
  const labelWidth = 190;
  const valueWidth = 150;
  const rowHeight = 28;
  const area = width - labelWidth - valueWidth;
  const mid = labelWidth + area / 2;
  const unit = area / 4; // from 1 to 5
  const height = Math.max(rowHeight, opts.rows.length * rowHeight) + 24;
  const rows = opts.rows
    .map((r, i) => {
      const y = i * rowHeight + 4;
      let bar = '';
      if (r.value !== null) {
        const end = labelWidth + (r.value - 1) * unit;
        const x = Math.min(mid, end);
        bar = `<rect class="bar ${r.value < 3 ? 'bar-worse' : 'bar-better'}" x="${round(x)}" y="${y + 4}" width="${round(Math.max(1, Math.abs(end - mid)))}" height="${rowHeight - 10}" data-label="${esc(r.label)}" data-value="${esc(r.value)}"></rect>`;
      }
      const text = r.value === null ? `too few answers (${r.answers})` : `${r.value.toFixed(1)} of 5 (${r.answers})`;
      return (
        `<g class="bar-row"><text class="chart-label" x="${labelWidth - 8}" y="${y + rowHeight / 2 + 3}" text-anchor="end">${esc(clip(r.label, 28))}</text>` +
        `${bar}<text class="chart-value${r.value === null ? ' too-few' : ''}" x="${labelWidth + area + 6}" y="${y + rowHeight / 2 + 3}">${esc(text)}</text></g>`
      );
    })
    .join('');
  const baseY = opts.rows.length * rowHeight + 4;
  const axis =
    `<line class="axis" x1="${round(mid)}" y1="0" x2="${round(mid)}" y2="${baseY}"></line>` +
    `<text class="chart-note" x="${labelWidth}" y="${baseY + 14}">1 much worse</text>` +
    `<text class="chart-note" x="${round(mid)}" y="${baseY + 14}" text-anchor="middle">3 the same</text>` +
    `<text class="chart-note" x="${labelWidth + area}" y="${baseY + 14}" text-anchor="end">5 much better</text>`;
  const description = opts.rows.map((r) => `${r.label}: ${r.value === null ? 'too few answers' : `${r.value.toFixed(1)} of 5`}`).join('; ') || 'No ratings.';
  return frame(opts.id, opts.title, description, width, height, axis + rows);
}
