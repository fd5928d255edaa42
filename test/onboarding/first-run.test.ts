// A new admin on an empty installation (DEMO_DATA=false, a real mail server) follows the set-up checklist
// in a browser, step by step, each ticked by doing it, to the first real invitation, signed by a real
// person; the test invitation they answered on the way counts in no figure, and the checklist goes.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ImportRun } from '../../src/imports/model.ts';
import { Deal } from '../../src/deals/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { dispatchAndDrain, drainJobs } from '../helpers/outbox.ts';
import { waitForRun } from '../imports/helpers.ts';

const ada = { name: 'Ada Admin', email: 'ada@acme.example', password: 'violet harbour lantern 7' };
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('the first run, by the set-up checklist', function () {
  this.timeout(240_000);
  useTestDatabase('first_run');
  const browser = useBrowser();
  let app: TestApp;
  let mail: TestMail;
  let page: Page;

  before(async () => {
    mail = await startTestMail();
    // The catcher stands in for the company's mail server: SMTP_URL names it, as production would.
    app = await startTestApp({
      mailer: mail.mailer,
      worker: true,
      env: { DEMO_DATA: 'false', SMTP_URL: mail.catcher.url, MAIL_FROM: 'Acme Analytics <hello@acme.example>' },
    });
    page = await (await browser.get().context({ width: 1200 })).newPage();
  });
  after(async () => {
    await app.close();
    await mail.close();
  });

  const step = (id: string) => page.locator(`[data-step="${id}"]`);
  const stateOf = async (id: string) => (await step(id).locator('.setup-state').innerText()).trim();
  const inbox = async (email: string) => (await mail.caught()).filter((m) => m.envelopeTo.includes(email));

  it('leads a new admin from an empty installation to the first real invitation, signed by a real person', async () => {
    await page.goto(`${app.url}/`);
    await page.waitForURL(/\/setup$/);
    await page.fill('#name', ada.name);
    await page.fill('#email', ada.email);
    await page.fill('#password', ada.password);
    await page.fill('#confirm', ada.password);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${app.url}/`);
    expect(await page.locator('#setup h2').innerText()).to.equal('Set up Debrief');
    expect(await page.locator('#setup .title-row .muted').innerText()).to.equal('0 of 7 done');
    expect(await stateOf('interviewer')).to.equal('To do');

    // 1. The company's name (MAIL_FROM is a real address already).
    await step('sender').locator('a', { hasText: 'Emails to buyers' }).click();
    await page.fill('#companyName', 'Acme Analytics');
    await page.locator('button[value="save"]').click();
    await page.waitForURL(/\/settings\/emails$/);
    await page.goto(`${app.url}/`);
    expect(await stateOf('sender')).to.equal('Done');
    expect(await step('sender').innerText())
      .to.contain('Buyers know you as Acme Analytics.')
      .and.contain('hello@acme.example');

    // 2. A test email through the mail server, and what it answered.
    expect(await stateOf('smtp')).to.equal('To do');
    await step('smtp')
      .locator('button', { hasText: `Send a test email to ${ada.email}` })
      .click();
    await page.waitForURL(/\/#setup$/);
    expect(await page.locator('p.notice').innerText()).to.match(/^Test email sent to ada@acme\.example\. The server answered: 250 /);
    expect(await step('smtp').locator('[data-smtp-answer] code').innerText()).to.match(/^250 /);
    expect(await stateOf('smtp')).to.equal('Done');
    expect((await inbox(ada.email)).map((m) => m.subject)).to.deep.equal(['Debrief test email']);

    // 3. Someone to sign buyers' emails: the admin, who says so.
    expect(await step('test_invitation').innerText()).to.contain('Add an interviewer first');
    await step('interviewer').locator('button', { hasText: 'Interview buyers myself' }).click();
    await page.waitForURL(/\/#setup$/);
    expect(await stateOf('interviewer')).to.equal('Done');
    expect(await step('interviewer').innerText()).to.contain('Invitations are signed by Ada Admin.');

    // 4 and 5. The program and the questionnaire: their defaults suit.
    await step('program').locator('button', { hasText: 'The defaults suit us' }).click();
    await page.waitForURL(/\/#setup$/);
    await step('questionnaire').locator('button', { hasText: 'The default questions suit us' }).click();
    await page.waitForURL(/\/#setup$/);
    expect(await stateOf('program')).to.equal('Done');
    expect(await stateOf('questionnaire')).to.equal('Done');

    // 6. The deals: a CSV export of the CRM, with one recent loss.
    await step('deals').locator('a', { hasText: 'Import a CSV' }).click();
    await page.setInputFiles('#file', {
      name: 'lost.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'Opportunity ID,Opportunity Name,Account Name,Amount,Stage,Close Date,Loss Reason,Competitor,Contact Name,Contact Email,Segment',
          `OPP-1,Globex analytics,Globex,42000,Closed Lost,${daysAgo(10)},Price,Clearpath,Gina Buyer,gina@globex.example,Enterprise`,
        ].join('\r\n'),
      ),
    });
    await page.locator('button', { hasText: 'Upload and map columns' }).click();
    await page.waitForURL(/\/map$/);
    await page.locator('button', { hasText: 'Check every row' }).click();
    await page.locator('button', { hasText: 'Import 1 valid row' }).click();
    await waitForRun(String((await ImportRun.findOne().lean())!._id));
    await page.goto(`${app.url}/`);
    expect(await stateOf('deals')).to.equal('Done');

    // 7. A test invitation to herself: the buyer's path, walked as a buyer.
    await step('test_invitation').locator('button', { hasText: 'Send me a test invitation' }).click();
    await page.waitForURL(/\/#setup$/);
    await drainJobs();
    const [invitation] = (await inbox(ada.email)).filter((m) => m.subject.startsWith('Two minutes'));
    expect(invitation?.from).to.match(/^"Ada Admin" </);
    const link = /https?:\/\/\S+\/i\/[A-Za-z0-9_-]{43}/.exec(invitation!.text)![0].replace(app.config.appUrl, app.url);
    expect(await step('test_invitation').innerText()).to.contain('Sent, signed by Ada Admin');
    const buyer = await (await browser.get().context()).newPage();
    await buyer.goto(link);
    await buyer.check('input[name="a_primary_reason"][value="trust"]');
    await buyer.check('input[name="a_chosen_vendor"][value="in_house"]');
    await buyer.click('button[value="next"]');
    await buyer.waitForURL(/\?step=2$/);
    await buyer.click('button[value="next"]');
    await buyer.waitForURL(/\?step=3$/);
    await buyer.fill('#a_why_text', 'Testing the path a buyer takes.');
    await buyer.click('button[value="next"]');
    await buyer.waitForURL(/\?step=4$/);
    await buyer.click('button[value="submit"]');
    await buyer.waitForURL(/\/i\/thanks$/);

    // Every step done: the checklist goes, and the test counts in no figure.
    await page.goto(`${app.url}/`);
    expect(await page.locator('#setup').count(), 'the checklist is gone').to.equal(0);
    expect(await page.locator('[data-metric="completed"]').innerText()).to.equal('0');
    expect(await page.locator('[data-metric="lost"]').innerText()).to.equal('1');

    // The first real invitation: the imported loss, signed by Ada, sent from the queue.
    await dispatchAndDrain(app.queue);
    const globex = (await Deal.findOne({ externalId: 'OPP-1' }).lean())!;
    expect((await Interview.findOne({ dealId: globex._id }).lean())?.interviewer).to.deep.include({ name: 'Ada Admin', email: ada.email });
    await page.goto(`${app.url}/interviews/queue?days=30`);
    const row = page.locator('tr', { hasText: 'Globex analytics' });
    expect(await row.innerText()).to.contain('Ada Admin');
    await row.locator('button', { hasText: 'Send now' }).click();
    await page.waitForLoadState();
    await drainJobs();
    const [first, ...more] = await inbox('gina@globex.example');
    expect(more).to.have.length(0);
    expect(first?.subject).to.equal('Two minutes, Gina? What Acme Analytics could have done better');
    expect(first?.from).to.match(/^"Ada Admin" </);
    expect(first?.replyTo).to.contain(ada.email);
    expect(first?.text).to.contain('I am Ada Admin,');
  });
});
