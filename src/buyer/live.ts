// Staff pages of the form: a marketer on a call with the buyer fills the same form for them (recorded as
// interviewed by that marketer, with notes), and the submitted answers as the team reads them.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../lib/http/deps.ts';
import { routeInterview } from '../interviews/access.ts';
import { partsOf, showAnswer, type AnswerPart, type QuotePermission } from '../disclosure/index.ts';
import { interviewStateLabels, liveStates } from '../interviews/index.ts';
import { InterviewResponse } from '../interviews/model.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { type Answers, applies, findTemplateVersion, presentAnswer } from '../questionnaires/index.ts';
import { formBase, renderStep } from './render.ts';
import { liveForm } from './service.ts';
import { autosave, postStep, requestedStep } from './steps.ts';
import { takeNotice } from '../lib/http/notice.ts';

const idParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'Not an interview id.') });

export function liveHandlers(deps: AppDeps) {
  const context = async (req: Request) => liveForm(parseOrThrow(idParam, req.params).id);

  return {
    async show(req: Request, res: Response): Promise<void> {
      const ctx = await context(req);
      await renderStep(res, deps.config, ctx, formBase(ctx), 200, { step: requestedStep(req, ctx) });
    },

    async save(req: Request, res: Response): Promise<void> {
      const ctx = await context(req);
      const user = req.user!;
      const { next } = await postStep(req, res, deps, ctx, formBase(ctx), { name: user.name, email: user.email });
      if (next === 'submitted') {
        req.session.notice = `Answers saved: the interview with ${ctx.interview.contact?.name ?? 'the buyer'} is completed.`;
        res.redirect(303, `/interviews/${String(ctx.interview._id)}/answers`);
      } else if (next !== undefined) res.redirect(303, `${formBase(ctx)}?step=${next + 1}`);
    },

    async saveAnswer(req: Request, res: Response): Promise<void> {
      await autosave(req, res, await context(req));
    },

    async answers(req: Request, res: Response): Promise<void> {
      // Loaded, and its deal's owner checked, by interviewParam (routes.ts).
      const { interview, deal } = routeInterview(req);
      const response = await InterviewResponse.findOne({ interviewId: interview._id }).lean();
      const template = response?.templateId ? await findTemplateVersion(response.templateId) : null;
      const answers = (response?.answers ?? {}) as Answers;
      // The interview's own record, for those who run interviews: every answer as written (src/disclosure).
      const buyer = { ...interview.contact, company: deal?.buyerCompany };
      const asRecorded = (parts: AnswerPart[]) => showAnswer({ parts, buyer }, 'record')?.text ?? null;
      const showText = (text: string, use: QuotePermission) => asRecorded([{ text, permission: use }]) ?? '';
      const summaryTexts = response
        ? {
            whyText: asRecorded(partsOf(response, ['whyText'])),
            wouldHaveChangedText: asRecorded(partsOf(response, ['wouldHaveChangedText'])),
            missingInfoText: asRecorded(partsOf(response, ['missingInfoText'])),
          }
        : null;
      const notice = takeNotice(req);
      res.render('buyer/answers', {
        title: 'Interview answers',
        notice,
        interview,
        deal,
        response,
        stateLabel: interviewStateLabels[interview.state],
        summaryTexts,
        // A question the buyer was not asked (the ratings, when they named no vendor) says so, not "not answered".
        presented: template ? template.questions.map((q) => ({ ...presentAnswer(q, answers[q.id], showText), notAsked: !applies(q, template, answers) })) : [],
        templateLabel: template ? `version ${template.version}` : response ? `version ${response.templateVersion}` : null,
        canInterview: req.user ? liveStates.includes(interview.state) : false,
      });
    },
  };
}
