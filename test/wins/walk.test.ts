// The won-deals walk, as a new user tries it from a fresh database (issue 19's "done when"): a marketer
// turns on won-deal interviews at 100 % for one segment on the program page, a program wins a deal
// through the API, the invitation in the won deals' words goes out over real SMTP, the buyer answers the
// "why you chose us" form from the emailed link, and the report shows the answer on the win side, next
// to the loss side.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { apiClient } from '../api/client.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from '../buyer/helpers.ts';
import { testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { drainJobs, dispatchAndDrain } from '../helpers/outbox.ts';

describe('won deals, end to end: program page, API, the “why you chose us” form, the report', function () {
  this.timeout(240_000);
  useTestDatabase('wins_walk');
  const browser = useBrowser();
  let app: TestApp;
  let mail: TestMail;
  let staff: Page;

  before(async () => {
    mail = await startTestMail();
    app = await startTestApp({ mailer: mail.mailer, worker: true, env: { MAIL_RATE_PER_DOMAIN: '1000', MAIL_FROM: 'Acme Analytics <hello@acme.example>' } });
  });
  after(async () => {
    await app.close();
    await mail.close();
  });

  it('a won Enterprise deal sampled at 100 % is interviewed, and its answer shows on the win side of the report', async () => {
    // A fresh workspace: the first admin sets Debrief up, and signs the buyers' emails themselves.
    staff = await (await browser.get().context({ width: 1200 })).newPage();
    await staff.goto(`${app.url}/setup`);
    await staff.fill('#name', 'Ada Admin');
    await staff.fill('#email', 'ada@debrief.test');
    await staff.fill('#password', testPassword);
    await staff.fill('#confirm', testPassword);
    await staff.click('button[type="submit"]');
    await staff.waitForURL(`${app.url}/`);
    await staff.goto(`${app.url}/account`);
    await staff.click('form[action="/account/interviewing"] button[type="submit"]');
    await staff.waitForURL((u) => u.pathname === '/account');

    // 1. The program page: won deals at 100 % for Enterprise (off everywhere else, as at first).
    await staff.goto(`${app.url}/settings/program`);
    expect(await staff.inputValue('#winPercent'), 'won deals are off at first').to.equal('0');
    await staff.fill('#win1Segment', 'Enterprise');
    await staff.fill('#win1Percent', '100');
    await staff.click('form.card button[type="submit"]');
    await staff.waitForURL(`${app.url}/settings/program`);
    expect(await staff.locator('.notice[role="status"]').textContent()).to.contain('Program saved');
    expect(await staff.inputValue('#win1Percent')).to.equal('100');

    // A lost deal whose buyer answered, for the loss side.
    const lost = await invitedInterview(app.config, { dealName: 'Lost to Clearpath' });
    for (const [i, step] of defaultAnswerSteps.entries()) {
      const res = await fetch(`${app.url}${lost.path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), _action: i === defaultAnswerSteps.length - 1 ? 'submit' : 'next', ...step }),
      });
      expect(res.status).to.equal(303);
    }

    // 2. A program wins a deal through the API; a Mid-market win (0 %) is not interviewed.
    const api = await apiClient(app.url, ['read', 'write'], 'CRM sync');
    const deal = {
      name: 'Northwind: fleet analytics',
      buyerCompany: 'Northwind Logistics',
      segment: 'Enterprise',
      ownerEmail: 'rita@debrief.test',
      contacts: [{ name: 'Jordan Rivera', email: 'jordan@northwind.example', timeZone: 'America/New_York', primary: true }],
    };
    expect((await api.put('/api/v1/deals/hubspot/NW-1', deal)).status).to.equal(201);
    const won = await api.post('/api/v1/deals/hubspot/NW-1/won');
    expect(won.status).to.equal(200);
    expect(won.json.data.deal.status).to.equal('won');
    expect(won.json.data.interview).to.include({ outcome: 'planned', state: 'planned' });
    const other = await api.put('/api/v1/deals/hubspot/MM-1', {
      ...deal,
      segment: 'Mid-market',
      contacts: [{ name: 'Sam', email: 'sam@other.example', primary: true }],
    });
    expect(other.status).to.equal(201);
    expect((await api.post('/api/v1/deals/hubspot/MM-1/won')).json.data.interview).to.include({ outcome: 'off' });
    const interview = await Interview.findById(won.json.data.interview.id).lean();
    expect(interview?.outcome).to.equal('won');

    // 3. "Send now" on the queue: the invitation in the won deals' words reaches the buyer.
    await dispatchAndDrain(app.queue);
    await staff.goto(`${app.url}/interviews/queue?days=30`);
    await staff.locator('tr', { hasText: 'jordan@northwind.example' }).locator('button', { hasText: 'Send now' }).click();
    await staff.waitForURL(/\/interviews\/queue/);
    await drainJobs();
    const toBuyer = async () => (await mail.caught()).filter((m) => m.envelopeTo.includes('jordan@northwind.example'));
    for (const deadline = Date.now() + 60_000; (await toBuyer()).length === 0; ) {
      if (Date.now() > deadline) expect.fail('no invitation reached the buyer');
      await new Promise((r) => setTimeout(r, 250));
    }
    const [invite] = await toBuyer();
    expect(invite!.subject).to.equal('Two minutes, Jordan? Why you chose Acme Analytics');
    const link = /https?:\/\/\S+?(\/i\/[A-Za-z0-9_-]{43})/.exec(invite!.text)![1]!;

    // 4. The buyer answers the "why you chose us" form on their phone.
    const buyer = await (await browser.get().context()).newPage();
    await buyer.goto(`${app.url}${link}`);
    expect(await buyer.locator('body').textContent()).to.contain('What was the main reason you chose us?');
    await buyer.check('input[name="a_primary_reason"][value="implementation"]');
    await buyer.fill('#a_runner_up-other', 'Clearpath');
    await buyer.click('button[value="next"]');
    await buyer.waitForURL(/\?step=2$/);
    await buyer.click('button[value="next"]');
    await buyer.waitForURL(/\?step=3$/);
    await buyer.fill('#a_why_text', 'Your implementation plan was the clearest we saw.');
    await buyer.check('#a_why_text-use-anonymous');
    await buyer.click('button[value="next"]');
    await buyer.waitForURL(/\?step=4$/);
    await buyer.click('button[value="submit"]');
    await buyer.waitForURL(/\/i\/thanks$/);
    const response = await InterviewResponse.findOne({ interviewId: interview!._id }).lean();
    expect(response).to.include({ outcome: 'won', templateId: 'win@1', primaryReason: 'implementation', chosenVendor: 'Clearpath' });
    // Programs read it as a win's answer through the API, and not among the losses'.
    const wins = await api.get('/api/v1/answers?outcome=won');
    expect(wins.json.data.map((a: { interviewId: string; outcome: string }) => [a.interviewId, a.outcome])).to.deep.equal([[String(interview!._id), 'won']]);
    const losses = await api.get('/api/v1/answers?outcome=lost');
    expect(losses.json.data.map((a: { interviewId: string; outcome: string }) => [a.interviewId, a.outcome])).to.deep.equal([
      [String(lost.interviewId), 'lost'],
    ]);

    // 5. The report: the answer on the win side, next to the loss side.
    // The home page built the report when there was nothing in it; a rebuild on a busy machine may
    // take longer than a view waits, and the page then says it is updating: reload until it is not.
    for (const deadline = Date.now() + 30_000; ; ) {
      await staff.goto(`${app.url}/reports`);
      if ((await staff.locator('.report-updating').count()) === 0) break;
      if (Date.now() > deadline) expect.fail('the report is still updating');
      await new Promise((r) => setTimeout(r, 250));
    }
    const lossSide = staff.locator('[data-side="lost"]');
    const winSide = staff.locator('[data-side="won"]');
    expect(await lossSide.locator('h3').textContent()).to.equal('Why we lose');
    expect(await lossSide.locator('[data-side-count="lost"]').textContent()).to.contain('1 answer');
    expect(await lossSide.locator('tr[data-theme="reason:price"]').count(), 'the lost buyer’s reason').to.equal(1);
    expect(await winSide.locator('h3').textContent()).to.equal('Why we win');
    expect(await winSide.locator('[data-side-count="won"]').textContent()).to.contain('2 won deals · 1 answer');
    expect(await winSide.locator('tr[data-theme="reason:implementation"]').textContent()).to.contain('Implementation plan and time to value');
    expect(await winSide.locator('[data-side-quote="won"]').textContent()).to.contain('Your implementation plan was the clearest we saw.');
    // Filtered by competitor, the win is the one against the buyer's runner-up.
    await staff.goto(`${app.url}/reports?competitor=Clearpath`);
    expect(await staff.locator('[data-side-count="won"]').textContent()).to.contain('1 won deal ·');
    await staff.goto(`${app.url}/reports?competitor=Northwind`);
    expect(await staff.locator('[data-side-count="won"]').textContent()).to.contain('0 won deals ·');
  });
});
