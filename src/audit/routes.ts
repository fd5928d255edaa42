import { Router } from 'express';
import { auditQuery, auditQueryIn } from '../accounts/schemas.ts';
import { authorize } from '../accounts/session.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { auditActions, listAudit } from './service.ts';

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
