// Questionnaire templates: the default one, the schema derived from a version, and editing on the page
// (each save a new version; answers and drafts keep the version they were given on).
import { expect } from 'chai';
import { FormDraft } from '../../src/buyer/model.ts';
import { InterviewResponse } from '../../src/interviews/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { QuestionnaireVersion } from '../../src/questionnaires/model.ts';
import { answersSchema } from '../../src/questionnaires/schemas.ts';
import { currentTemplate, forgetCachedTemplates, templateVersion } from '../../src/questionnaires/service.ts';
import { steps } from '../../src/questionnaires/steps.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from '../buyer/helpers.ts';

describe('questionnaire templates', () => {
  useTestDatabase('questionnaires');
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await clearCollections();
    forgetCachedTemplates();
    await buildUser('admin');
  });

  it('the default questionnaire covers the win/loss questions, its reasons from the program', async () => {
    await saveProgram({
      ...defaultProgram,
      reasons: [
        { code: 'price', label: 'Too expensive', buyerLabel: 'The price' },
        { code: 'timing', label: 'Bad timing', buyerLabel: 'The timing' },
      ],
    });
    const t = await currentTemplate();
    expect(t.id).to.equal('default@1');
    const roles = t.questions.map((q) => q.role);
    expect(roles).to.include.members([
      'primaryReason',
      'contributing',
      'ratings',
      'chosenVendor',
      'stage',
      'wouldHaveChanged',
      'missingInfo',
      'participants',
      'considerAgain',
      'callConsent',
      'whyText',
    ]);
    const primary = t.questions.find((q) => q.role === 'primaryReason')!;
    expect(primary.options).to.deep.equal([
      { value: 'price', label: 'Too expensive' },
      { value: 'timing', label: 'Bad timing' },
    ]);
    expect(t.questions.find((q) => q.role === 'ratings')!.options.map((o) => o.value)).to.deep.equal([
      'price',
      'product_fit',
      'ease_of_use',
      'integrations',
      'support',
      'sales_experience',
      'implementation',
      'trust',
    ]);
    expect(t.questions.filter((q) => q.quoteUse).map((q) => q.id)).to.deep.equal(['why_text', 'would_have_changed', 'missing_info']);
    expect(steps(t.questions)).to.have.length(4);
  });

  it('the schema derived from a version refuses unknown fields, choices outside the options and over-long text', async () => {
    const schema = answersSchema(await currentTemplate());
    const valid = { primary_reason: 'price', chosen_vendor: { choice: 'none' } };
    expect(schema.safeParse(valid).success).to.equal(true);
    const refused = [
      {},
      { ...valid, extra: 'x' },
      { ...valid, primary_reason: 'made_up' },
      { ...valid, contributing: ['price', 'price'] },
      { ...valid, contributing: ['made_up'] },
      { ...valid, ratings: { price: 6 } },
      { ...valid, ratings: { made_up: 3 } },
      { ...valid, chosen_vendor: { choice: 'other' } },
      { ...valid, chosen_vendor: { choice: 'none', other: 'x' } },
      { ...valid, why_text: { text: 'x'.repeat(5001), use: 'named' } },
      { ...valid, why_text: { text: 'ok' } },
      { ...valid, why_text: { text: 'ok', use: 'named', html: true } },
      { ...valid, call_consent: 'maybe' },
      { ...valid, primary_reason: { $gt: '' } },
    ];
    for (const answers of refused) expect(schema.safeParse(answers).success, JSON.stringify(answers).slice(0, 80)).to.equal(false);
  });

  it('editing on the page saves a new version; old answers and drafts keep theirs; new interviews get the new one', async () => {
    const marketer = await buildUser('marketer', { name: 'Mia Marketer' });
    // One buyer answered on version 1; another has begun a draft on it.
    const done = await invitedInterview(app.config);
    for (const [i, step] of defaultAnswerSteps.entries()) {
      const res = await fetch(`${app.url}${done.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), _action: i === 3 ? 'submit' : 'next', ...step }),
      });
      expect(res.status).to.equal(303);
    }
    const begun = await invitedInterview(app.config);
    await fetch(`${app.url}${begun.path}`);

    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    const page = await c.get('/settings/questionnaire');
    expect(page.status).to.equal(200);
    const v1 = await templateVersion('default@1');
    const n = v1.questions.length;
    const whyRow = v1.questions.findIndex((q) => q.id === 'why_text') + 1;
    const stageRow = v1.questions.findIndex((q) => q.id === 'stage') + 1;
    const fields = Object.fromEntries(
      [...page.body.matchAll(/name="(q\d+[A-Za-z]+|basedOn)"[^>]*? value="([^"]*)"/g)].map((m) => [
        m[1]!,
        m[2]!.replace(/&#39;/g, "'").replace(/&#34;/g, '"').replace(/&amp;/g, '&'),
      ]),
    );
    for (const m of page.body.matchAll(/name="(q\d+(?:Options))"[^>]*>([^<]*)<\/textarea>/g)) fields[m[1]!] = m[2]!.replace(/&amp;/g, '&');
    for (const m of page.body.matchAll(/<select id="(q\d+(?:Type|Role))"[\s\S]*?<option value="([^"]*)" selected/g)) fields[m[1]!] = m[2]!;
    for (const m of page.body.matchAll(/name="(q\d+(?:Required|QuoteUse))" checked/g)) fields[m[1]!] = 'on';
    expect(fields.basedOn).to.equal('1');
    Object.assign(fields, {
      [`q${whyRow}Label`]: 'Why did you choose as you did?', // reworded
      [`q${whyRow}Position`]: '0', // moved first
      [`q${whyRow}Required`]: 'on',
      [`q${stageRow}Remove`]: 'on',
      [`q${n + 1}Label`]: 'Which department led the purchase?',
      [`q${n + 1}Type`]: 'short_text',
      [`q${n + 1}Role`]: 'none',
      [`q${n + 1}Position`]: '99',
    });
    const saved = await c.post('/settings/questionnaire', { ...fields, _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! });
    expect(saved.status, saved.body.slice(0, 2000)).to.equal(303);
    expect((await c.get('/settings/questionnaire')).body).to.contain('Saved as version 2');

    const v2 = await currentTemplate();
    expect(v2.version).to.equal(2);
    expect(v2.questions[0]).to.include({ id: 'why_text', label: 'Why did you choose as you did?', required: true });
    expect(v2.questions.map((q) => q.id)).not.to.include('stage');
    expect(v2.questions.at(-1)).to.include({ type: 'short_text', label: 'Which department led the purchase?' });
    expect(v2.questions.at(-1)!.id).to.match(/^q_[0-9a-f]{8}$/);
    // Version 1 is untouched, and so are the answers given on it.
    forgetCachedTemplates();
    expect((await templateVersion('default@1')).questions).to.deep.equal(v1.questions);
    const response = await InterviewResponse.findOne({ interviewId: done.interviewId }).lean();
    expect(response).to.include({ templateId: 'default@1', templateVersion: 1, stage: 'proposal' });
    const answers = await c.get(`/interviews/${String(done.interviewId)}/answers`);
    expect(answers.body).to.contain('At which stage did we fall behind?').and.contain('Proposal and pricing').and.contain('version 1');
    // The draft begun on version 1 is still answered on it (the stage question is there)...
    expect((await FormDraft.findById(begun.interviewId).lean())?.templateId).to.equal('default@1');
    expect(await (await fetch(`${app.url}${begun.path}`)).text()).to.contain('At which stage did we fall behind?');
    // ...while a new interview gets version 2.
    const fresh = await invitedInterview(app.config);
    const first = await (await fetch(`${app.url}${fresh.path}`)).text();
    expect(first).to.contain('Why did you choose as you did?').and.not.contain('At which stage did we fall behind?');
    expect((await FormDraft.findById(fresh.interviewId).lean())?.templateId).to.equal('default@2');
  });

  it('a template that breaks the rules is refused beside the row, with what was typed kept; a stale edit is refused', async () => {
    const marketer = await buildUser('marketer');
    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    const t = await currentTemplate();
    const n = t.questions.length;
    const base = {
      basedOn: '1',
      q1Label: 'Our main reason?',
      q1Type: 'single',
      q1Role: 'primaryReason',
      q1Options: 'price: Price\nfit: Fit',
      q1Id: 'primary_reason',
      q1Position: '1',
    };
    const twoRoles = await c.submit('/settings/questionnaire', '/settings/questionnaire', {
      ...base,
      q2Label: 'Another main reason <b>typed</b>',
      q2Type: 'single',
      q2Role: 'primaryReason',
      q2Options: 'a: A\nb: B',
      q2Position: '2',
    });
    expect(twoRoles.status).to.equal(400);
    expect(twoRoles.body).to.contain('Only one question can fill “Primary reason”.').and.contain('href="#q2Role"');
    expect(twoRoles.body).to.contain('value="Another main reason &lt;b&gt;typed&lt;/b&gt;"');
    const badType = await c.submit('/settings/questionnaire', '/settings/questionnaire', { ...base, q1Type: 'long_text', q1Options: '' });
    expect(badType.status).to.equal(400);
    expect(badType.body).to.contain('A “Primary reason” question must be: Single choice.');
    const oneOption = await c.submit('/settings/questionnaire', '/settings/questionnaire', { ...base, q1Options: 'price: Price' });
    expect(oneOption.body).to.contain('List at least two options');
    expect(await QuestionnaireVersion.countDocuments()).to.equal(1);
    expect(n).to.be.greaterThan(1);

    const ok = await c.submit('/settings/questionnaire', '/settings/questionnaire', base);
    expect(ok.status).to.equal(303);
    const stale = await c.submit('/settings/questionnaire', '/settings/questionnaire', { ...base, q1Label: 'Changed on an old page' });
    expect(stale.status).to.equal(409);
    expect(stale.body).to.contain('Reload the page');
    expect(await QuestionnaireVersion.countDocuments()).to.equal(2);
    const same = await c.submit('/settings/questionnaire', '/settings/questionnaire', { ...base, basedOn: '2' });
    expect(same.status).to.equal(303);
    expect((await c.get('/settings/questionnaire')).body).to.contain('Nothing changed');
    expect(await QuestionnaireVersion.countDocuments()).to.equal(2);
  });

  it('only those who manage the program may open the editor', async () => {
    for (const [role, status] of [
      ['marketer', 200],
      ['sales', 403],
      ['viewer', 403],
    ] as const) {
      const user = await buildUser(role);
      const c = new Client(app.url);
      await c.signIn(user.email, testPassword);
      expect((await c.get('/settings/questionnaire')).status, role).to.equal(status);
    }
  });
});
