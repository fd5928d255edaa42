// The form in a real browser (headless Chromium), as a buyer opens it from the emailed link on a
// 360-px-wide phone: with JavaScript (answers autosaved, a reload midway finds them) and without
// (one plain POST per step, errors shown beside their fields).
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { forgetCachedTemplates } from '../../src/questionnaires/service.ts';
import { buildUser } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from './helpers.ts';

async function noSidewaysScroll(page: Page): Promise<void> {
  // The function runs in the page, where `document` exists; the tests' TypeScript has no DOM library.
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(width, 'the page fits a 360-px screen').to.be.at.most(360);
}

describe('the buyer’s form in a browser', function () {
  this.timeout(120_000);
  useTestDatabase('buyer_browser');
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
    await buildUser('marketer', { name: 'Mia Marketer' });
  });

  it('with JavaScript: answers save as the buyer goes, survive reloads, and the form ends on the thank-you page', async () => {
    const iv = await invitedInterview(app.config);
    const context = await browser.get().context();
    const page = await context.newPage();
    const saved = () =>
      page
        .locator('[data-autosave-status]')
        .filter({ hasText: /^Saved$/ })
        .waitFor();

    await page.goto(`${app.url}${iv.path}`);
    expect(await page.locator('h1').textContent()).to.contain('Why you decided');
    expect(await page.locator('.avatar').textContent()).to.equal('MM');
    await noSidewaysScroll(page);
    // Keyboard only: focus the first choice and press space.
    await page.focus('#a_primary_reason');
    await page.keyboard.press('Space');
    await saved();
    await page.reload();
    expect(await page.isChecked('#a_primary_reason'), 'the autosaved answer is there after a reload').to.equal(true);

    await page.check('input[name="a_contributing"][value="integrations"]');
    await page.fill('#a_chosen_vendor-other', 'Clearpath'); // typing a vendor ticks "another vendor"
    expect(await page.isChecked('#a_chosen_vendor-other-choice')).to.equal(true);
    await saved();
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=2$/);
    expect(await page.locator('.progress-label').textContent()).to.equal('Step 2 of 4');

    await page.click('label[for="a_ratings-price-2"]');
    await page.click('label[for="a_ratings-trust-0"]');
    await saved();
    await page.reload();
    expect(await page.isChecked('#a_ratings-price-2')).to.equal(true);
    expect(await page.isChecked('#a_ratings-trust-0')).to.equal(true);
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=3$/);

    await page.fill('#a_why_text', 'Their onboarding plan was clearer.');
    await page.check('#a_why_text-use-anonymous');
    await saved();
    // Another device, the same link: the answers are there.
    const phone = await (await browser.get().context()).newPage();
    await phone.goto(`${app.url}${iv.path}`);
    expect(await phone.locator('.progress-label').textContent()).to.equal('Step 3 of 4');
    expect(await phone.inputValue('#a_why_text')).to.equal('Their onboarding plan was clearer.');
    await phone.close();

    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=4$/);
    await page.check('#a_call_consent');
    await noSidewaysScroll(page);
    await page.click('button[value="submit"]');
    await page.waitForURL(/\/i\/thanks$/);
    expect(await page.locator('h1').textContent()).to.equal('Thank you, your answers are in');

    const response = await InterviewResponse.findOne({ interviewId: iv.interviewId }).lean();
    expect(response).to.include({
      primaryReason: 'price',
      chosenVendor: 'Clearpath',
      whyText: 'Their onboarding plan was clearer.',
      quotePermission: 'anonymous',
      callConsent: true,
    });
    expect(Object.fromEntries(Object.entries(response?.ratings ?? {}))).to.deep.equal({ price: 2 });
    expect((await Interview.findById(iv.interviewId).lean())?.state).to.equal('completed');
    await context.close();
  });

  it('without JavaScript: each step posts, errors show beside their fields, and going back keeps the answers', async () => {
    const iv = await invitedInterview(app.config);
    const context = await browser.get().context({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${app.url}${iv.path}`);

    await page.check('input[name="a_stage"][value="demo"]');
    await page.click('button[value="next"]');
    expect(await page.locator('.error-summary').isVisible()).to.equal(true);
    expect(await page.locator('.error-summary a[href="#a_primary_reason"]').count()).to.equal(1);
    expect(await page.locator('#a_primary_reason-error').textContent()).to.contain('needs an answer');
    expect(await page.isChecked('input[name="a_stage"][value="demo"]'), 'what was chosen is kept').to.equal(true);
    await noSidewaysScroll(page);

    await page.check('input[name="a_primary_reason"][value="product_fit"]');
    await page.check('input[name="a_chosen_vendor"][value="in_house"]');
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=2$/);
    await page.reload();
    await page.click('button[value="back"]');
    await page.waitForURL(/\?step=1$/);
    expect(await page.isChecked('input[name="a_primary_reason"][value="product_fit"]')).to.equal(true);
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=2$/);
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=3$/);
    await page.fill('#a_why_text', 'We needed it <b>now</b>.');
    await page.click('button[value="next"]');
    await page.waitForURL(/\?step=4$/);
    await page.fill('#a_missing_info', 'A reference customer in our industry.');
    await page.click('button[value="submit"]');
    await page.waitForURL(/\/i\/thanks$/);
    expect(await page.locator('h1').textContent()).to.equal('Thank you, your answers are in');
    const response = await InterviewResponse.findOne({ interviewId: iv.interviewId }).lean();
    expect(response).to.include({
      primaryReason: 'product_fit',
      chosenVendor: 'We built it ourselves',
      stage: 'demo',
      whyText: 'We needed it <b>now</b>.',
      quotePermission: 'internal',
      missingInfoText: 'A reference customer in our industry.',
    });
    await context.close();
  });
  it('a buyer who answered and opens the link again sees a calm thank-you; an expired link says it expired and where to write', async () => {
    const iv = await invitedInterview(app.config);
    // The buyer answers (step by step, as the form posts them) and is thanked.
    for (const [i, fields] of defaultAnswerSteps.entries()) {
      const res = await fetch(`${app.url}${iv.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), ...fields }),
      });
      expect(res.status).to.equal(303);
    }
    expect((await Interview.findById(iv.interviewId).lean())?.state).to.equal('completed');
    const context = await browser.get().context({ javaScriptEnabled: false });
    const page = await context.newPage();

    // A week later, from the email: the same link.
    const again = await page.goto(`${app.url}${iv.path}`);
    expect(again?.status()).to.equal(200);
    expect(await page.locator('h1').textContent()).to.equal('Thank you, your answers are in');
    const body = (await page.locator('body').innerText()).toLowerCase();
    expect(body).not.to.match(/mistyped|expired|no longer opens/);
    expect(await page.locator('a[href^="mailto:"]').count(), 'where to write, once').to.equal(1);
    await noSidewaysScroll(page);

    const expired = await invitedInterview(app.config, { state: 'expired' });
    const closed = await page.goto(`${app.url}${expired.path}`);
    expect(closed?.status()).to.equal(410);
    expect(await page.locator('h1').textContent()).to.equal('This link has expired');
    expect(await page.locator('main').innerText())
      .to.match(/The form closed on \d{1,2} \w+ \d{4}/)
      .and.contain('write to us');
    expect(await page.locator('a[href^="mailto:"]').count(), 'where to write, once').to.equal(1);
    expect(await page.locator('main a[href^="mailto:"]').isVisible()).to.equal(true);
    await context.close();
  });
  it('the intro promises only what is true: saved as you go with JavaScript, saved at each step without', async () => {
    const iv = await invitedInterview(app.config);
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.get().context({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${app.url}${iv.path}`);
      const intro = await page.locator('.lead').innerText();
      if (javaScriptEnabled) expect(intro).to.contain('Every answer is saved as you go');
      else expect(intro).to.contain('saved each time you go on to the next step').and.not.contain('as you go');
      await context.close();
    }
  });
});
