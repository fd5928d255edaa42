// Shared steps for the CSV import tests: upload a file as the page does (multipart, CSRF token in the
// action URL), read the guessed mapping off the mapping page, and wait for the worker to finish a run.
import { setTimeout as sleep } from 'node:timers/promises';
import { ImportRun, type ImportRunDoc } from '../../src/imports/model.ts';
import type { Client } from '../helpers/client.ts';

export async function uploadCsv(c: Client, file: string | Buffer, opts: { filename?: string; source?: string; token?: 'url' | 'none' | 'body' } = {}) {
  const page = await c.get('/imports/new');
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page.body)?.[1];
  if (!action) throw new Error(`no upload form on /imports/new (status ${page.status})`);
  const token = decodeURIComponent(/_csrf=([^"&]+)/.exec(action)![1]!);
  const form = new FormData();
  if (opts.token === 'body') form.set('_csrf', token);
  form.set('source', opts.source ?? 'csv');
  form.set('file', new Blob([file], { type: 'text/csv' }), opts.filename ?? 'deals.csv');
  const path = opts.token === 'none' || opts.token === 'body' ? '/imports' : action;
  return c.request(path, { method: 'POST', body: form, headers: { accept: 'text/html' } });
}

/** The mapping form's fields as the page pre-fills them (the guess, or the saved mapping). */
export function selectedMapping(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<select id="(map_\w+)" name="map_\w+"[^>]*>([\s\S]*?)<\/select>/g)) {
    fields[m[1]!] = /<option value="(\d*)" selected>/.exec(m[2]!)?.[1] ?? '';
  }
  return fields;
}

/** Uploads, accepts the guessed mapping and returns the run id and the preview page. */
export async function uploadAndPreview(c: Client, file: string | Buffer, opts: { source?: string; filename?: string; mapping?: Record<string, string> } = {}) {
  const uploaded = await uploadCsv(c, file, opts);
  if (uploaded.status !== 303)
    throw new Error(`upload failed (${uploaded.status}): ${/<div class="error-summary"[\s\S]*?<\/div>/.exec(uploaded.body)?.[0] ?? ''}`);
  const mapPath = uploaded.location!;
  const id = /\/imports\/([0-9a-f]{24})\/map/.exec(mapPath)![1]!;
  const mapPage = await c.get(mapPath);
  const mapped = await c.submit(mapPath, mapPath, { ...selectedMapping(mapPage.body), ...opts.mapping });
  if (mapped.status !== 303) throw new Error(`mapping failed (${mapped.status})`);
  const preview = await c.get(mapped.location!);
  return { id, mapPage, preview };
}

export async function waitForRun(id: string, timeoutMs = 60_000): Promise<ImportRunDoc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await ImportRun.findById(id).lean<ImportRunDoc>();
    if (run && (run.status === 'done' || run.status === 'failed')) return run;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${run?.status} after ${timeoutMs} ms`);
    await sleep(100);
  }
}
