// The questionnaire editor: the same permission as the rest of the interview program's settings.
import { Router } from 'express';
import { authorize } from '../accounts/session.ts';
import * as h from './handlers.ts';

export function questionnaireRouter(): Router {
  const router = Router();
  router.get('/', authorize('program:manage'), h.show);
  router.post('/', authorize('program:manage'), h.save);
  return router;
}
