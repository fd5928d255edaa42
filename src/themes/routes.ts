import { Router } from 'express';
import { authorize } from '../accounts/session.ts';
import { z } from 'zod';
import { pageNumber } from '../deals/schemas.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { listAnswers } from './service.ts';

const answersQuery = z.object({ page: pageNumber }).strict();

export function themesRouter(): Router {
  const router = Router();
  router.get('/', authorize('themes:read'), async (req, res) => {
    const { page } = parseOrThrow(answersQuery, req.query);
    res.render('themes/index', { title: 'Themes', page: await listAnswers(page) });
  });
  return router;
}
