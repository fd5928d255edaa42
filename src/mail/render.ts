// Renders an email from its templates: views/emails/<name>/ holds subject.ejs, html.ejs and text.ejs.
// The HTML shares the layout partials and its <style> block is inlined by juice (mail clients drop
// <style>); the text part is written by hand, not derived from the HTML.
//
// Every value goes through <%= %>. What that escapes depends on the part: HTML-escaping in html.ejs;
// in text.ejs and subject.ejs values are written as they are (an "&" stays "&"), except that the subject
// is kept on one line.
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

function render(view: string, part: string, data: object, escape: ((value: unknown) => string) | undefined): Promise<string> {
  // Not cached: email is rare next to page views, and an edited template shows at once.
  const options: ejs.Options = { cache: false, ...(escape ? { escape } : {}) };
  return ejs.renderFile(join(emailViewsDir, view, `${part}.ejs`), data, options);
}

/** Renders views/emails/<view>/ with data; throws if a template is missing or uses a value not given. */
export async function renderEmail(view: string, data: object): Promise<RenderedEmail> {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(view)) throw new EmailTemplateError(`Not an email template name: ${view}`);
  try {
    const subject = (await render(view, 'subject', data, oneLine)).replace(/\s+/g, ' ').trim();
    const [html, text] = await Promise.all([render(view, 'html', { ...data, subject }, undefined), render(view, 'text', data, plain)]);
    return {
      subject,
      html: juice(html, { preserveMediaQueries: true, removeStyleTags: true, applyWidthAttributes: true, applyAttributesTableElements: true }),
      // Templates leave blank lines where tags were: at most one blank line in a row, none at the ends.
      text: `${text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`,
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new EmailTemplateError(`Email template ${view} is missing a part: ${(err as Error).message}`);
    throw err;
  }
}
