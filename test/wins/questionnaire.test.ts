// The won deals' questionnaire ("why you chose us"): versioned and edited on its own page, apart from
// the loss one; a win interview's buyer (and a marketer in a live interview) answers it, without
// JavaScript and with a choice of use per free-text answer; and won buyers' emails have their own
// words, editable on Settings → Emails.
import { expect } from 'chai';
import { changeOutcome, upsertDeal } from '../../src/deals/lifecycle.ts';
import { buyerLinkToken } from '../../src/interviews/link.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { kinds, loadSendContext } from '../../src/outbox/kinds.ts';
import { settingsToForm } from '../../src/outbox/handlers.ts';
import { loadEmailSettings } from '../../src/outbox/settings.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { QuestionnaireHead } from '../../src/questionnaires/model.ts';
import { currentTemplate, forgetCachedTemplates } from '../../src/questionnaires/service.ts';
import { questionsToForm } from '../../src/questionnaires/editor.ts';
import { formBody } from '../buyer/helpers.ts';
import { dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };

describe('the won deals’ questionnaire and emails', () => {
  useTestDatabase('wins_questionnaire');
  const app = useTestApp();
  let staff: Client;
  beforeEach(async () => {
    await clearCollections();
    forgetCachedTemplates();
    await saveProgram({ ...defaultProgram, winPercent: 100 });
    await buildUser('admin');
    const mia = await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    staff = new Client(app.url);
    await staff.signIn(mia.email, testPassword);
  });

  async function winInterview() {
    const { deal } = await upsertDeal(dealInputFor({ segment: 'Enterprise' }), actor, 'api');
    await changeOutcome(deal._id, 'won', actor, 'api');
    return (await Interview.findOne({ dealId: deal._id, outcome: 'won' }).lean())!;
  }

  it('is edited on its own page into its own versions; a win interview’s buyer answers the newest, without JavaScript, choosing the use of each answer', async () => {
    const page = await staff.get('/settings/questionnaire/win');
    expect(page.status).to.equal(200);
    expect(page.body).to.contain('Questionnaire: won deals').and.contain('In your own words, why did you choose us?');
    const current = await currentTemplate({ key: 'win' });
    const values = questionsToForm(current.questions, current.version);
    const row = Object.entries(values)
      .find(([k, v]) => /^q\d+Id$/.test(k) && v === 'why_text')![0]
      .replace('Id', '');
    const saved = await staff.submit('/settings/questionnaire/win', '/settings/questionnaire/win', { ...values, [`${row}Label`]: 'What tipped it our way?' });
    expect(saved.status).to.equal(303);
    expect(saved.location).to.equal('/settings/questionnaire/win');
    expect((await QuestionnaireHead.findById('win').lean())?.version).to.equal(2);
    expect((await currentTemplate({ key: 'default', fresh: true })).version, 'the loss questionnaire is untouched').to.equal(1);
    expect((await staff.get('/settings/questionnaire')).body).to.contain('In your own words, why did you decide the way you did?');

    const interview = await winInterview();
    await Interview.updateOne({ _id: interview._id }, { $set: { state: 'invited' }, $push: { timeline: { state: 'invited', at: new Date() } } });
    const path = `/i/${await buyerLinkToken(interview._id, loadSecrets(app.config))}`;
    const first = await fetch(`${app.url}${path}`);
    const html = await first.text();
    expect(html).to.contain('What was the main reason you chose us?').and.contain('It does what we needed').and.contain('Step 1 of 4');
    expect(html, 'a loser’s wording of the reasons is not a winner’s').to.not.contain('It did not do something we needed');
    const steps: Record<string, string>[] = [
      { a_primary_reason: 'product_fit', a_runner_up: 'in_house' },
      { a_why_text: 'It fit our workflow on day one.', 'a_why_text.use': 'internal', a_almost: 'The price, nearly.', 'a_almost.use': 'named' },
      { a_call_consent: 'no' },
    ];
    for (const [i, step] of steps.entries()) {
      const res = await fetch(`${app.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), _action: i === steps.length - 1 ? 'submit' : 'next', ...step }),
      });
      expect(res.status, `step ${i + 1}`).to.equal(303);
    }
    const response = await InterviewResponse.findOne({ interviewId: interview._id }).lean();
    expect(response).to.include({
      outcome: 'won',
      templateId: 'win@2',
      primaryReason: 'product_fit',
      chosenVendor: 'Building it ourselves',
      callConsent: false,
    });
    expect(response?.answers).to.deep.include({ why_text: { text: 'It fit our workflow on day one.', use: 'internal' } });
    expect(response?.textUses).to.deep.include({ whyText: 'internal', wouldHaveChangedText: 'named' });
    expect((await Interview.findById(interview._id).lean())?.state).to.equal('completed');
  });

  it('a marketer’s live interview of a won buyer uses the won deals’ questionnaire', async () => {
    const interview = await winInterview();
    const live = await staff.get(`/interviews/${String(interview._id)}/live`);
    expect(live.status).to.equal(200);
    expect(live.body).to.contain('What was the main reason you chose us?').and.contain('Which other vendor came closest?');
  });

  it('won buyers’ invitation and reminder have their own words, edited on Settings → Emails', async () => {
    const values = settingsToForm(await loadEmailSettings());
    expect(Object.keys(values)).to.include.members(['win_invitationSubject', 'win_reminderBody']);
    const saved = await staff.submit('/settings/emails', '/settings/emails', {
      ...values,
      action: 'save',
      win_reminderSubject: '{first_name}, a reminder: why {our_company}?',
    });
    expect(saved.status).to.equal(303);
    const interview = await winInterview();
    await Interview.updateOne({ _id: interview._id }, { $set: { state: 'invited', interviewer: { name: 'Mia Marketer', email: 'mia@debrief.test' } } });
    const ctx = (await loadSendContext(interview._id, 1, app.config.appUrl, loadSecrets(app.config)))!;
    const reminder = await kinds.reminder.compose(ctx);
    expect(reminder.subject).to.equal(`${ctx.interview.contact!.name.split(' ')[0]}, a reminder: why ${ctx.settings.companyName}?`);
    const invitation = await kinds.invitation.compose({ ...ctx, interview: { ...ctx.interview, state: 'planned' } });
    expect(invitation.subject).to.contain('Why you chose');
    expect(invitation.text).to.contain('Thank you for choosing');
  });
});
