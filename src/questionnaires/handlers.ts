// The questionnaire editor pages (/settings/questionnaire for losses, /settings/questionnaire/win for
// won deals), for those who manage the program: the current version's questions as rows to reword,
// reorder, require, remove or add; saving makes the next version. Errors come back beside their row with
// everything typed kept.
import type { Request, Response } from 'express';
import { actorOf } from '../accounts/index.ts';
import { typed } from '../lib/http/forms.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import { editorFields, parseEditorForm, questionsToForm, rowCount, type FormValues } from './editor.ts';
import { defaultTemplateKey, questionRoles, questionTypes, winTemplateKey, type TemplateKey } from './model.ts';
import { roleLabels, typeLabels } from './schemas.ts';
import { currentTemplate, listVersions, saveTemplate } from './service.ts';
import { fieldErrorRecord } from '../lib/http/validate.ts';
import { takeNotice } from '../lib/http/notice.ts';

/** Each questionnaire's page: where it is, what it is called, and what it asks about. */
const pages: Record<TemplateKey, { path: string; title: string; lead: string; other: { path: string; label: string } }> = {
  [defaultTemplateKey]: {
    path: '/settings/questionnaire',
    title: 'Questionnaire: lost deals',
    lead: 'The questions buyers of lost deals answer on their link (and you, in a live interview).',
    other: { path: '/settings/questionnaire/win', label: 'Edit the won deals’ questionnaire (“why you chose us”)' },
  },
  [winTemplateKey]: {
    path: '/settings/questionnaire/win',
    title: 'Questionnaire: won deals (“why you chose us”)',
    lead: 'The questions buyers of won deals answer, when the program interviews won deals (Settings → Interview program).',
    other: { path: '/settings/questionnaire', label: 'Edit the lost deals’ questionnaire' },
  },
};

async function render(
  key: TemplateKey,
  req: Request,
  res: Response,
  status: number,
  values: FormValues,
  errors: Record<string, string[]> = {},
  formError?: string,
): Promise<void> {
  const [current, versions] = await Promise.all([currentTemplate({ fresh: true, key }), listVersions(key)]);
  const notice = takeNotice(req);
  res.status(status).render('questionnaires/edit', {
    title: pages[key].title,
    page: pages[key],
    notice,
    current,
    versions,
    values,
    errors,
    formError,
    rows: Array.from({ length: rowCount(values) }, (_, i) => i + 1),
    questionTypes,
    questionRoles,
    typeLabels,
    roleLabels,
  });
}

export function show(key: TemplateKey) {
  return async (req: Request, res: Response): Promise<void> => {
    const current = await currentTemplate({ fresh: true, key });
    await render(key, req, res, 200, questionsToForm(current.questions, current.version));
  };
}

/** Maps the template schema's paths (questions.3.label) to the editor's fields (q7Label). */
function rowErrors(details: Record<string, string[]>, rows: number[]): Record<string, string[]> {
  const out = fieldErrorRecord();
  for (const [path, messages] of Object.entries(details)) {
    const [index, field] = path.split('.');
    const row = index !== undefined && /^\d+$/.test(index) ? rows[Number(index)] : undefined;
    const key = row && field ? `q${row}${field[0]!.toUpperCase()}${field.slice(1)}` : 'questions';
    (out[key] ??= []).push(...messages);
  }
  return out;
}

export const save =
  (key: TemplateKey) =>
  async (req: Request, res: Response): Promise<void> => {
    const values = typed(req.body, editorFields);
    // typed() cuts values at 1,000 characters: take option lists whole, as the schema caps them.
    const body = (req.body ?? {}) as Record<string, unknown>;
    for (const key of editorFields) if (key.endsWith('Options') && typeof body[key] === 'string') values[key] = (body[key] as string).slice(0, 20_000);
    const parsed = parseEditorForm(values);
    try {
      const { created, version } = await saveTemplate(parsed.questions, parsed.basedOn, actorOf(req), key);
      req.session.notice = created
        ? `Saved as version ${version.version}. New interviews use it; answers already given keep their version.`
        : 'Nothing changed: the questionnaire is as it was.';
      res.redirect(303, pages[key].path);
    } catch (err) {
      if (err instanceof ValidationError) return render(key, req, res, 400, values, rowErrors(err.details ?? {}, parsed.rows));
      if (err instanceof AppError && err.status === 409) return render(key, req, res, 409, values, {}, err.message);
      throw err;
    }
  };
