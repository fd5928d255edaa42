// The template editor's form, both ways: one row of fields per question (q1Label, q1Type, ...), so the
// page works without JavaScript. Order comes from each row's position number; a ticked "remove" drops a
// question; a row with a question text but no id is a new question (it gets a fresh stable id). Options
// are one a line, "code: Label" or just "Label" (the code is made from the label).
import { randomBytes } from 'node:crypto';
import { questionRoles, questionTypes, type Option, type Question } from './model.ts';
import { optionValuePattern } from './schemas.ts';

export type FormValues = Record<string, string>;
export const maxRows = 45;
export const rowFields = ['Id', 'Position', 'Label', 'Hint', 'Type', 'Role', 'Required', 'Options', 'ScaleLow', 'ScaleHigh', 'QuoteUse', 'Remove'] as const;
export const editorFields = ['basedOn', ...Array.from({ length: maxRows }, (_, i) => rowFields.map((f) => `q${i + 1}${f}`)).flat()];

function slug(label: string): string {
  const s = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return s || `option_${randomBytes(2).toString('hex')}`;
}

export function optionsToText(options: readonly Option[]): string {
  return options.map((o) => `${o.value}: ${o.label}`).join('\n');
}

export function textToOptions(text: string): Option[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const colon = line.indexOf(':');
      const code = colon > 0 ? line.slice(0, colon).trim() : '';
      if (code && optionValuePattern.test(code)) return { value: code, label: line.slice(colon + 1).trim() };
      return { value: slug(line), label: line };
    });
}

export function questionsToForm(questions: readonly Question[], basedOn: number): FormValues {
  const values: FormValues = { basedOn: String(basedOn) };
  questions.forEach((q, i) => {
    const p = `q${i + 1}`;
    Object.assign(values, {
      [`${p}Id`]: q.id,
      [`${p}Position`]: String(i + 1),
      [`${p}Label`]: q.label,
      [`${p}Hint`]: q.hint,
      [`${p}Type`]: q.type,
      [`${p}Role`]: q.role,
      [`${p}Required`]: q.required ? 'on' : '',
      [`${p}Options`]: optionsToText(q.options),
      [`${p}ScaleLow`]: q.scaleLow,
      [`${p}ScaleHigh`]: q.scaleHigh,
      [`${p}QuoteUse`]: q.quoteUse ? 'on' : '',
    });
  });
  return values;
}

/** How many rows the page shows: the questions sent (or saved) and one empty row to add a question. */
export function rowCount(values: FormValues): number {
  let last = 0;
  for (let n = 1; n <= maxRows; n += 1) if ((values[`q${n}Label`] ?? '').trim() || (values[`q${n}Id`] ?? '').trim()) last = n;
  return Math.min(maxRows, last + 1);
}

export interface ParsedEditor {
  /** Candidate questions, in their new order, for the template schema to check. */
  questions: unknown[];
  /** For each candidate (same index), its row number, so errors land beside the right row. */
  rows: number[];
  basedOn: number;
}

export function parseEditorForm(values: FormValues): ParsedEditor {
  const rows: { n: number; position: number; q: Record<string, unknown> }[] = [];
  for (let n = 1; n <= maxRows; n += 1) {
    const v = (f: string) => values[`q${n}${f}`] ?? '';
    const label = v('Label').trim();
    const existingId = v('Id').trim();
    if (!label && !existingId) continue;
    if (v('Remove') === 'on') continue;
    const type = (questionTypes as readonly string[]).includes(v('Type')) ? v('Type') : 'single';
    const position = Number(v('Position'));
    rows.push({
      n,
      position: Number.isFinite(position) && v('Position').trim() !== '' ? position : n,
      q: {
        id: existingId || `q_${randomBytes(4).toString('hex')}`,
        type: v('Type') || type,
        role: (questionRoles as readonly string[]).includes(v('Role')) ? v('Role') : v('Role') || 'none',
        label,
        hint: v('Hint'),
        required: v('Required') === 'on',
        options: ['single', 'multi', 'competitor', 'rating'].includes(type)
          ? textToOptions(v('Options'))
          : v('Options').trim()
            ? textToOptions(v('Options'))
            : [],
        scaleLow: type === 'rating' ? v('ScaleLow') : '',
        scaleHigh: type === 'rating' ? v('ScaleHigh') : '',
        quoteUse: v('QuoteUse') === 'on' && (type === 'short_text' || type === 'long_text'),
      },
    });
  }
  rows.sort((a, b) => a.position - b.position || a.n - b.n);
  return { questions: rows.map((r) => r.q), rows: rows.map((r) => r.n), basedOn: Number(values.basedOn) || 0 };
}
