// The questionnaire editor: the same permission as the rest of the interview program's settings.
import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import * as h from './handlers.ts';
import { defaultTemplateKey, winTemplateKey } from './model.ts';

export function questionnaireRouter(): Router {
  const router = Router();
  router.get('/', authorize('program:manage'), h.show(defaultTemplateKey));
  router.post('/', authorize('program:manage'), h.save(defaultTemplateKey));
  // Won deals' questionnaire ("why you chose us")
  router.get('/win', authorize('program:manage'), h.show(winTemplateKey));
  router.post('/win', authorize('program:manage'), h.save(winTemplateKey));
  return router;
}
