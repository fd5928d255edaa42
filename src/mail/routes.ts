// The dev mailbox at /dev/mailbox: mounted only when SMTP_URL is unset, so that the mail the SMTP catcher
// kept can be read in the browser. Admins only (it holds every buyer's link), and account mail (an
// invitation, a reset link) only by the person it was sent to.
import { Router, type Request, type Response } from 'express';
import { actorOf, authorize } from '../accounts/index.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { caughtMailParam, deleteAllBody, mailboxQuery } from './schemas.ts';
import { deleteAllCaughtMail, getCaughtMail, listCaughtMail } from './service.ts';
import { takeNotice } from '../lib/http/notice.ts';

export function mailboxRouter(): Router {
  const router = Router();
  router.get('/', authorize('mailbox:read'), showMailbox);
  router.post('/delete-all', authorize('mailbox:manage'), deleteAll);
  router.get('/:id', authorize('mailbox:read'), showMessage);
  return router;
}

async function showMailbox(req: Request, res: Response): Promise<void> {
  const { page } = parseOrThrow(mailboxQuery, req.query);
  const notice = takeNotice(req);
  res.render('mail/index', { title: 'Mailbox', page: await listCaughtMail(page, req.user!), notice });
}

async function showMessage(req: Request, res: Response): Promise<void> {
  const { id } = parseOrThrow(caughtMailParam, req.params);
  const message = await getCaughtMail(id, req.user!);
  allowInlineStylesInPreview(res);
  res.render('mail/show', { title: message.subject || 'Message', message });
}

async function deleteAll(req: Request, res: Response): Promise<void> {
  parseOrThrow(deleteAllBody, req.body);
  const deleted = await deleteAllCaughtMail(actorOf(req));
  req.session.notice = deleted === 1 ? 'Deleted 1 message.' : `Deleted ${deleted} messages.`;
  res.redirect(303, '/dev/mailbox');
}

/**
 * The HTML part is shown in an iframe with srcdoc and an empty sandbox (no scripts, no forms, an opaque
 * origin). A srcdoc document inherits the page's Content-Security-Policy, whose style-src 'self' would
 * drop the email's inline styles, so this one page also allows inline styles. Scripts stay forbidden on
 * the page and in the frame, and remote images stay blocked (img-src), as they should in a preview.
 */
function allowInlineStylesInPreview(res: Response): void {
  const policy = res.getHeader('Content-Security-Policy');
  if (typeof policy !== 'string') return;
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
  res.setHeader('Content-Security-Policy', directives.map((d) => (/^style-src\s/.test(d) ? `${d} 'unsafe-inline'` : d)).join(';'));
}
