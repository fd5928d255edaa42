// The audit log page (admins): who did what, filtered by action, actor and dates. The log itself is src/audit.
import { Router } from 'express';
import { auditActions, listAudit } from '../audit/index.ts';
import { auditQuery, auditQueryIn } from './schemas.ts';
import { authorize } from './session.ts';
import { parseOrThrow } from '../lib/http/validate.ts';

export function auditRouter(): Router {
  const router = Router();
  router.get('/', authorize('audit:read'), async (req, res) => {
    const query = auditQueryIn(parseOrThrow(auditQuery, req.query), req.user!.timeZone);
    const raw = req.query as Record<string, unknown>;
    const shown = Object.fromEntries(['action', 'actor', 'from', 'to'].map((k) => [k, typeof raw[k] === 'string' ? raw[k] : '']));
    res.render('audit/index', { title: 'Audit log', shown, actions: await auditActions(), page: await listAudit(query) });
  });
  return router;
}
