// Settings, Webhooks: admins only (the events carry buyers' answers to other systems).
import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import type { AppDeps } from '../lib/http/deps.ts';
import { loadSecrets } from '../lib/secrets.ts';
import { hookHandlers } from './handlers.ts';

export function hooksRouter({ config, queue }: AppDeps): Router {
  const router = Router();
  const h = hookHandlers({ queue, secrets: loadSecrets(config) });
  const admin = authorize('webhooks:manage');
  router.get('/', admin, h.index);
  router.post('/', admin, h.create);
  router.post('/settings', admin, h.settings);
  router.get('/:id', admin, h.show);
  router.post('/:id', admin, h.update);
  router.post('/:id/test', admin, h.test);
  router.post('/:id/pause', admin, h.state('paused'));
  router.post('/:id/resume', admin, h.state('active'));
  router.post('/:id/secret', admin, h.rotate);
  router.post('/:id/delete', admin, h.remove);
  return router;
}
