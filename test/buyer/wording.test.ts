// The form speaks the buyer's language, not sales': each reason in the buyer's wording the program page
// keeps beside the team's label (staff pages keep the label), the program's competitors offered by name
// (plus another one, typed, and none), and the ratings against "the vendor you chose" asked only when a
// vendor was named: with and without JavaScript, on another step or on the same one, and never stored
// when they no longer apply.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { FormDraft } from '../../src/buyer/model.ts';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { InterviewResponse } from '../../src/interviews/model.ts';
import { programToForm } from '../../src/program/handlers.ts';
import { defaultProgram, loadProgram, saveProgram } from '../../src/program/model.ts';
import { defaultQuestions } from '../../src/questionnaires/default.ts';
import { currentTemplate, forgetCachedTemplates, saveTemplate } from '../../src/questionnaires/service.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { invitedInterview } from './helpers.ts';

const comparison = 'How did we compare with the vendor you chose?';
const actor = { type: 'system' as const, email: 'test' };

/** The text the buyer reads (what is on screen, hidden parts left out). */
const visibleText = (page: Page) => page.locator('main').innerText();

describe('what the buyer reads: their wording, named competitors, only the questions that apply', function () {
  this.timeout(120_000);
  useTestDatabase('buyer_wording');
  const browser = useBrowser();
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
    await saveProgram({ ...defaultProgram, competitors: ['Clearpath', 'Northwind'] });
    await buildUser('admin');
    await buildUser('marketer', { name: 'Mia Marketer' });
  });

  it('without JavaScript: buyer wording, the competitors by name, and no comparison after “None” (ratings given before are dropped)', async () => {
    const iv = await invitedInterview(app.config);
    const context = await browser.get().context({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${app.url}${iv.path}`);

    const first = await visibleText(page);
    expect(first).to.contain('It did not work with the tools we use').and.contain('The price, or the terms of the contract');
    expect(first, 'no sales words').not.to.contain('Integrations with their stack');
    expect(first).not.to.contain('Missing capability or product fit');
    const vendorChoices = await page.locator('input[name="a_chosen_vendor"] + label').allTextContents();
    expect(vendorChoices).to.deep.equal([
      'Clearpath',
      'Northwind',
      'Another vendor',
      'None: we kept what we had or decided not to buy',
      'We built it ourselves',
    ]);

    // First a vendor, and its ratings...
    await page.check('input[name="a_primary_reason"][value="integrations"]');
    await page.check('input[name="a_chosen_vendor"][value="vendor:Clearpath"]');
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=2$/);
    expect(await visibleText(page)).to.contain(comparison);
    await page.check('#a_ratings-price-2');
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=3$/);
    // ...then back, to say they bought nothing after all.
    await page.goto(`${app.url}${iv.path}?step=1`);
    expect(await page.isChecked('input[name="a_chosen_vendor"][value="vendor:Clearpath"]'), 'the listed vendor shows as picked').to.equal(true);
    await page.check('input[name="a_chosen_vendor"][value="none"]');
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=2$/);
    const second = await visibleText(page);
    expect(second, 'not asked after “None”').not.to.contain(comparison);
    expect(second).to.contain('Who took part in the decision?');
    expect(await page.locator('.progress-label').textContent()).to.equal('Step 2 of 4');
    const draft = (await FormDraft.findById(iv.interviewId).lean())!.answers as Record<string, unknown>;
    expect(draft, 'the ratings no longer apply, so they are not kept').not.to.have.property('ratings');

    for (let step = 2; step <= 3; step += 1) {
      await page.click('button[value="next"]');
      await page.waitForURL(new RegExp(`\\?step=${step + 1}$`));
    }
    await page.click('button[value="submit"]');
    await page.waitForURL(/\/i\/thanks$/);
    const response = (await InterviewResponse.findOne({ interviewId: iv.interviewId }).lean())!;
    expect(response.answers).to.deep.include({ primary_reason: 'integrations', chosen_vendor: { choice: 'none' } });
    expect(response.answers).not.to.have.property('ratings');
    expect(Object.keys(response.ratings ?? {})).to.deep.equal([]);
    expect(response.primaryReason, 'stored by code, read in the team’s words').to.equal('integrations');
    await context.close();
  });

  it('with JavaScript: a listed competitor, or one typed in any spelling, is stored as the program names it; the comparison follows a vendor only', async () => {
    const iv = await invitedInterview(app.config);
    const context = await browser.get().context();
    const page = await context.newPage();
    const saved = () =>
      page
        .locator('[data-autosave-status]')
        .filter({ hasText: /^Saved$/ })
        .waitFor();
    await page.goto(`${app.url}${iv.path}`);
    expect(await visibleText(page))
      .to.contain('It did not work with the tools we use')
      .and.not.contain('Integrations with their stack');

    await page.check('input[name="a_primary_reason"][value="price"]');
    await page.fill('#a_chosen_vendor-other', '  clearpath ');
    expect(await page.isChecked('#a_chosen_vendor-other-choice')).to.equal(true);
    await saved();
    const draft = (await FormDraft.findById(iv.interviewId).lean())!.answers as Record<string, unknown>;
    expect(draft.chosen_vendor, 'one spelling for reports').to.deep.equal({ choice: 'other', other: 'Clearpath' });
    await page.reload();
    expect(await page.isChecked('input[name="a_chosen_vendor"][value="vendor:Clearpath"]'), 'shown as the listed one').to.equal(true);

    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=2$/);
    expect(await visibleText(page)).to.contain(comparison);
    await page.click('label[for="a_ratings-price-2"]');
    await saved();
    await page.click('button[value="back"]');
    await page.waitForURL(/\?step=1$/);
    await page.check('input[name="a_chosen_vendor"][value="none"]');
    await saved();
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=2$/);
    expect(await visibleText(page)).not.to.contain(comparison);
    await page.click('button[value="back"]');
    await page.check('input[name="a_chosen_vendor"][value="vendor:Northwind"]');
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=2$/);
    expect(await visibleText(page), 'asked again, from scratch').to.contain(comparison);
    expect(await page.isChecked('#a_ratings-price-2'), 'the rating given for no vendor is gone').to.equal(false);
    await page.click('label[for="a_ratings-support-4"]');
    await saved();
    for (let step = 2; step <= 3; step += 1) {
      await page.click('button[value="next"]');
      await page.waitForURL(new RegExp(`\\?step=${step + 1}$`));
    }
    await page.click('button[value="submit"]');
    await page.waitForURL(/\/i\/thanks$/);
    const response = (await InterviewResponse.findOne({ interviewId: iv.interviewId }).lean())!;
    expect(response.chosenVendor).to.equal('Northwind');
    expect(Object.fromEntries(Object.entries(response.ratings ?? {}))).to.deep.equal({ support: 4 });
    await context.close();
  });

  it('on one page with the vendor question, the comparison hides and shows as the buyer answers, with JavaScript and without', async () => {
    // A questionnaire whose vendor question and ratings share a step.
    const reasons = (await loadProgram()).reasons;
    const all = defaultQuestions(reasons);
    const pick = (id: string) => all.find((q) => q.id === id)!;
    const current = await currentTemplate();
    await saveTemplate([pick('chosen_vendor'), pick('ratings'), pick('why_text')], current.version, actor);

    for (const javaScriptEnabled of [true, false]) {
      const iv = await invitedInterview(app.config);
      const context = await browser.get().context({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${app.url}${iv.path}`);
      const ratings = page.locator('fieldset.rating');
      expect(await ratings.isVisible(), `shown while no vendor is chosen (JS ${javaScriptEnabled})`).to.equal(true);
      await page.check('input[name="a_chosen_vendor"][value="vendor:Northwind"]');
      await page.check('#a_ratings-price-2');
      await page.check('input[name="a_chosen_vendor"][value="none"]');
      expect(await ratings.isVisible(), `hidden after “None” (JS ${javaScriptEnabled})`).to.equal(false);
      await page.check('input[name="a_chosen_vendor"][value="in_house"]');
      expect(await ratings.isVisible(), `hidden after “built it ourselves” (JS ${javaScriptEnabled})`).to.equal(false);
      await page.check('input[name="a_chosen_vendor"][value="vendor:Clearpath"]');
      expect(await ratings.isVisible(), `shown again for a vendor (JS ${javaScriptEnabled})`).to.equal(true);
      // The hidden rating is still ticked in the page: sent with "None", it is not kept.
      await page.check('input[name="a_chosen_vendor"][value="none"]');
      await page.click('button[value="next"]');
      await page.waitForURL(/\?step=2$/);
      await page.click('button[value="submit"]');
      await page.waitForURL(/\/i\/thanks$/);
      const response = (await InterviewResponse.findOne({ interviewId: iv.interviewId }).lean())!;
      expect(response.answers, `JS ${javaScriptEnabled}`).to.deep.equal({ chosen_vendor: { choice: 'none' } });
      await context.close();
    }
  });

  it('the marketer words each reason for buyers beside its label and lists competitors (suggested from lost deals); staff pages keep the team’s labels', async () => {
    const marketer = await buildUser('marketer');
    const { deal } = await upsertDeal(dealInputFor({ name: 'Initech renewal' }), actor, 'api');
    await markLost(deal._id, { ...competitorLoss, competitor: 'Acme Analytics' }, actor, 'api');
    const { deal: another } = await upsertDeal(dealInputFor(), actor, 'api');
    await markLost(another._id, { ...competitorLoss, competitor: 'acme analytics' }, actor, 'api');
    await saveProgram({ ...defaultProgram }); // a program saved before buyer wording and competitors existed: the defaults

    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    const page = await c.get('/settings/program');
    expect(page.body).to.contain('name="reason3BuyerLabel"').and.contain('value="It did not work with the tools we use"');
    expect(page.body).to.contain('value="Integrations with their stack"');
    expect(page.body, 'named on two lost deals').to.match(/name="addCompetitor" value="Acme Analytics"> Acme Analytics <span class="muted small">\(2 deals\)/);

    const fields = {
      ...programToForm(await loadProgram()),
      reason3BuyerLabel: 'It did not connect to our CRM',
      competitors: 'Clearpath\nnorthwind\nClearpath',
      addCompetitor: 'Acme Analytics',
    };
    expect((await c.submit('/settings/program', '/settings/program', fields)).status).to.equal(303);
    const program = await loadProgram();
    expect(program.reasons.find((r) => r.code === 'integrations')).to.deep.equal({
      code: 'integrations',
      label: 'Integrations with their stack',
      buyerLabel: 'It did not connect to our CRM',
    });
    expect(program.competitors).to.deep.equal(['Clearpath', 'northwind', 'Acme Analytics']);
    expect((await c.get('/settings/program')).body, 'no longer suggested').not.to.contain('name="addCompetitor"');

    // The buyer reads the new wording and the competitors; the team reads its label.
    const iv = await invitedInterview(app.config);
    const form = await (await fetch(`${app.url}${iv.path}`)).text();
    expect(form).to.contain('It did not connect to our CRM').and.not.contain('Integrations with their stack');
    expect(form).to.contain('value="vendor:Acme Analytics"');
    const steps: Record<string, string>[] = [
      { _step: '1', _action: 'next', a_primary_reason: 'integrations', a_chosen_vendor: 'vendor:Acme Analytics' },
      { _step: '2', _action: 'next' },
      { _step: '3', _action: 'next' },
      { _step: '4', _action: 'submit' },
    ];
    for (const step of steps) {
      const res = await fetch(`${app.url}${iv.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(step).toString(),
      });
      expect(res.status).to.equal(303);
    }
    expect((await InterviewResponse.findOne({ interviewId: iv.interviewId }).lean())!.chosenVendor).to.equal('Acme Analytics');
    const answers = await c.get(`/interviews/${String(iv.interviewId)}/answers`);
    expect(answers.body).to.contain('Integrations with their stack').and.not.contain('It did not connect to our CRM');
    expect(answers.body).to.contain('Acme Analytics');
    const dealPage = await c.get(`/deals/${String(iv.dealId)}`);
    expect(dealPage.body, 'the rep’s reason').to.contain('Price or commercial terms').and.not.contain('The price, or the terms of the contract');
  });
});
