// Renders an email from its templates: views/emails/<name>/ holds subject.ejs, html.ejs and text.ejs.
// The HTML shares the layout partials and its <style> block is inlined by juice (mail clients drop
// <style>); the text part is written by hand, not derived from the HTML.
//
// Every value goes through <%= %>. What that escapes depends on the part: HTML-escaping in html.ejs;
// in text.ejs and subject.ejs values are written as they are (an "&" stays "&"), except that the subject
// is kept on one line.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import juice from 'juice';

export const emailViewsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'views', 'emails');

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** views/emails/staff-invite */
export interface StaffInviteEmail {
  inviterName: string;
  inviteeName: string;
  roleLabel: string;
  link: string;
  expiresHours: number;
}

/** views/emails/password-reset */
export interface PasswordResetEmail {
  name: string;
  link: string;
  expiresMinutes: number;
}

export class EmailTemplateError extends Error {
  override name = 'EmailTemplateError';
}

const plain = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const oneLine = (value: unknown): string => plain(value).replace(/[\r\n\t]+/g, ' ');

/** When these files last changed, looked at once a second at most: part of what is kept of them. */
const stamps = new Map<string, { stamp: string; at: number }>();
async function stampOf(key: string, files: () => Promise<string[]>): Promise<string> {
  const known = stamps.get(key);
  if (known && Date.now() - known.at < 1000) return known.stamp;
  const stamp = (await Promise.all((await files()).map(async (f) => (await stat(f)).mtimeMs))).join(',');
  stamps.set(key, { stamp, at: Date.now() });
  return stamp;
}

// Compiled templates are kept while their file stays as it is, so that an edited template shows at once
// and bulk sending does not compile the same template for every email. The HTML part is compiled as it
// is rendered: its partials are compiled as it runs (EJS keeps those only in its process-wide cache,
// which the pages use too), and the buyer email's HTML is mostly kept whole (below).
const compiled = new Map<string, { stamp: string; fn: ejs.TemplateFunction }>();

async function render(view: string, part: 'subject' | 'html' | 'text', data: object, escape: ((value: unknown) => string) | undefined): Promise<string> {
  const file = join(emailViewsDir, view, `${part}.ejs`);
  const options = { cache: false, ...(escape ? { escape } : {}) };
  if (part === 'html') return ejs.renderFile(file, data, options);
  const stamp = await stampOf(file, async () => [file]);
  const known = compiled.get(file);
  if (known?.stamp === stamp) return known.fn(data);
  const fn = ejs.compile(await readFile(file, 'utf8'), { ...options, filename: file, async: false });
  compiled.set(file, { stamp, fn });
  return fn(data);
}

const inline = (html: string) =>
  juice(html, { preserveMediaQueries: true, removeStyleTags: true, applyWidthAttributes: true, applyAttributesTableElements: true });

// Inlining the styles (juice) is the costly step of rendering, and bulk sending renders one template
// hundreds of times with other words. For the templates listed here, the inlined HTML is kept per
// "shape" of the data (which texts are empty, how many paragraphs, the numbers and flags): rendered once
// with a marker in place of each text, inlined, and then filled in for each email with its texts,
// escaped as <%= %> escapes them. juice keeps text and attribute values as they are written, so the
// result is the same as a full render; each shape is also checked against a full render the first time,
// and the kept HTML is dropped when a template file changes (looked at once a second at most).
// A listed template (and the partials it includes) may only print its texts with <%= %> and test them
// for being empty or being strings: a comparison with a text's value would be fixed by the first email.
const reusableInlining = new Set(['buyer-message']);
const inlinedByShape = new Map<string, string | null>();
const markerNonce = randomBytes(6).toString('hex');
const markerPattern = new RegExp(`dbrf${markerNonce}m(\\d+)x`, 'g');

class NotReusable extends Error {}

/** The data with each non-empty text replaced by a marker, the texts in marker order, and the shape. */
function markTexts(data: unknown): { marked: unknown; texts: string[]; shape: string } {
  const texts: string[] = [];
  const walk = (value: unknown): [unknown, unknown] => {
    if (typeof value === 'string') {
      if (value === '') return ['', ''];
      texts.push(value);
      return [`dbrf${markerNonce}m${texts.length - 1}x`, 's'];
    }
    if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean')
      return [value, value === undefined ? '~undefined' : value];
    if (Array.isArray(value)) {
      const pairs = value.map(walk);
      return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
    }
    if (Object.getPrototypeOf(value) === Object.prototype) {
      const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
      const pairs = entries.map(([k, v]) => [k, walk(v)] as const);
      return [Object.fromEntries(pairs.map(([k, p]) => [k, p[0]])), pairs.map(([k, p]) => [k, p[1]])];
    }
    throw new NotReusable();
  };
  const [marked, shape] = walk(data);
  return { marked, texts, shape: JSON.stringify(shape) };
}

/** When the view's HTML template or a partial last changed: part of the key, so that an edit shows. */
function htmlStamp(view: string): Promise<string> {
  const partials = join(emailViewsDir, 'partials');
  return stampOf(`${view}/html+partials`, async () => [
    join(emailViewsDir, view, 'html.ejs'),
    ...(await readdir(partials)).sort().map((f) => join(partials, f)),
  ]);
}

const fill = (inlined: string, texts: readonly string[]) => inlined.replace(markerPattern, (_, i: string) => ejs.escapeXML(texts[Number(i)]));

async function renderHtml(view: string, data: Record<string, unknown>): Promise<string> {
  let marking: ReturnType<typeof markTexts> | undefined;
  if (reusableInlining.has(view)) {
    try {
      marking = markTexts(data);
    } catch (err) {
      if (!(err instanceof NotReusable)) throw err;
    }
  }
  if (!marking) return inline(await render(view, 'html', data, undefined));
  const key = `${view}\n${await htmlStamp(view)}\n${marking.shape}`;
  const known = inlinedByShape.get(key);
  if (known) return fill(known, marking.texts);
  const full = inline(await render(view, 'html', data, undefined));
  if (known === undefined) {
    const inlined = inline(await render(view, 'html', marking.marked as object, undefined));
    if (inlinedByShape.size >= 500) inlinedByShape.clear();
    inlinedByShape.set(key, fill(inlined, marking.texts) === full ? inlined : null);
  }
  return full;
}

/** Renders views/emails/<view>/ with data; throws if a template is missing or uses a value not given. */
export async function renderEmail(view: string, data: object): Promise<RenderedEmail> {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(view)) throw new EmailTemplateError(`Not an email template name: ${view}`);
  try {
    const subject = (await render(view, 'subject', data, oneLine)).replace(/\s+/g, ' ').trim();
    const [html, text] = await Promise.all([renderHtml(view, { ...data, subject }), render(view, 'text', data, plain)]);
    return {
      subject,
      html,
      // Templates leave blank lines where tags were: at most one blank line in a row, none at the ends.
      text: `${text
        .replace(/[ \t]+$/gm, '')
        .replace(/\n{3,}/g, '\n\n')
        .trim()}\n`,
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new EmailTemplateError(`Email template ${view} is missing a part: ${(err as Error).message}`);
    throw err;
  }
}
