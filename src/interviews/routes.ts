import { Router } from 'express';
import { authorize } from '../accounts/session.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { interviewStateLabels, interviewStates } from './model.ts';
import { listInterviewsQuery } from './schemas.ts';
import { listInterviews } from './service.ts';

export function interviewsRouter(): Router {
  const router = Router();
  router.get('/', authorize('interviews:read'), async (req, res) => {
    const query = parseOrThrow(listInterviewsQuery, req.query);
    res.render('interviews/index', { title: 'Interviews', query, states: interviewStates, stateLabels: interviewStateLabels, page: await listInterviews(query) });
  });
  return router;
}
