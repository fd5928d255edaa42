// The emails page's preview is the email a buyer gets: the same renderer, its inline styles applied
// (in a sandboxed frame with a policy of its own, while the page keeps its strict one), and signed by
// the real interviewer, or saying plainly that there is none yet.
import { expect } from 'chai';
import type { Frame, Page } from 'playwright-core';
import { sendEmailJob } from '../../jobs/send-email.ts';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Interview } from '../../src/interviews/model.ts';
import { ensureSendRecord } from '../../src/outbox/send.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { drainJobs } from '../helpers/outbox.ts';

const actor = { type: 'system' as const, email: 'test' };

/** What the eye sees of the email's styled parts: the button, the card, the brand line, a paragraph. */
const looks = `(() => {
  const pick = (sel, props) => { const el = document.querySelector(sel); if (!el) return null; const cs = getComputedStyle(el); return Object.fromEntries(props.map((p) => [p, cs[p]])); };
  return {
    button: pick('a.button', ['backgroundColor', 'color', 'paddingTop', 'paddingLeft', 'borderTopLeftRadius', 'fontWeight', 'textDecorationLine', 'display']),
    card: pick('td.card', ['backgroundColor', 'borderTopColor', 'borderTopWidth', 'paddingTop']),
    brand: pick('td.brand', ['fontSize', 'fontWeight', 'color']),
    body: pick('body', ['backgroundColor', 'marginTop']),
    paragraph: pick('td.card p', ['fontSize', 'lineHeight', 'color', 'marginBottom']),
  };
})()`;

describe('the email preview', function () {
  this.timeout(120_000);
  useTestDatabase('email_preview');
  const browser = useBrowser();
  let app: TestApp;
  let mail: TestMail;

  before(async () => {
    mail = await startTestMail();
    app = await startTestApp({ mailer: mail.mailer, worker: true });
  });
  after(async () => {
    await app.close();
    await mail.close();
  });
  beforeEach(async () => {
    await clearCollections();
  });

  async function previewAs(email: string): Promise<{ page: Page; frame: Frame }> {
    const page = await (await browser.get().context({ width: 1200 })).newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.fill('#email', email);
    await page.fill('#password', testPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${app.url}/`);
    await page.goto(`${app.url}/settings/emails`);
    await page.locator('button[value="preview-invitation"]').click();
    await page.waitForLoadState();
    const handle = await page.waitForSelector('iframe.email-frame');
    const frame = (await handle.contentFrame())!;
    await frame.waitForSelector('a.button');
    return { page, frame };
  }

  it('looks exactly like the invitation the buyer receives, and is signed by the real interviewer', async () => {
    await buildUser('admin');
    const mia = await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@acme.example' });
    // The real thing: an invitation Mia signs, received over SMTP.
    const { deal } = await upsertDeal(dealInputFor({ contacts: [{ name: 'Bea Buyer', email: 'bea@initech.example', primary: true }] }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const interview = (await Interview.findOne({ dealId: deal._id }).lean())!;
    await app.queue.enqueue(sendEmailJob, { key: (await ensureSendRecord('invitation', interview._id, 0, new Date())).record._id });
    await drainJobs();
    const received = (await mail.caught()).find((m) => m.envelopeTo.includes('bea@initech.example'));
    expect(received?.html, 'the invitation arrived').to.be.a('string').and.not.equal('');

    const { page, frame } = await previewAs(mia.email);
    const preview = await frame.evaluate<Record<string, Record<string, string> | null>>(looks);
    const inbox = await (await browser.get().context({ width: 1200 })).newPage();
    await inbox.setContent(received!.html);
    const sent = await inbox.evaluate<Record<string, Record<string, string> | null>>(looks);
    expect(sent.button?.backgroundColor, 'the received email is styled').to.equal('rgb(36, 73, 168)');
    expect(preview).to.deep.equal(sent);
    // Signed by the interviewer who would sign it, not a sample name.
    expect(await frame.locator('body').innerText()).to.contain('I am Mia Marketer,');
    expect(await page.locator('[data-preview-from]').innerText()).to.match(/^Mia Marketer </);
    expect(await page.locator('[data-no-interviewer]').count()).to.equal(0);
    // The page around it keeps its own strict policy; the frame's allows styles and nothing else.
    const [pageRes, frameRes] = await Promise.all([page.request.get(page.url()), page.request.get(frame.url())]);
    expect(pageRes.headers()['content-security-policy']).to.match(/(^|;)style-src 'self'(;|$)/);
    expect(frameRes.headers()['content-security-policy']).to.contain("style-src 'unsafe-inline'").and.contain("default-src 'none'").and.contain('sandbox');
    expect(await page.locator('iframe.email-frame').getAttribute('sandbox')).to.equal('');
  });

  it('with no interviewer yet, says so, and shows no sample name where the signer goes', async () => {
    const admin = await buildUser('admin', { name: 'Ada Admin', email: 'ada@acme.example' });
    const { page, frame } = await previewAs(admin.email);
    expect(await page.locator('[data-no-interviewer]').innerText())
      .to.contain('No interviewer yet')
      .and.contain('none goes out');
    const text = await frame.locator('body').innerText();
    expect(text).to.contain('I am [no interviewer yet],');
    expect(text).not.to.contain('Mia Marketer');
    expect(await page.locator('[data-preview-from]').innerText()).to.match(/^\[no interviewer yet\] </);
  });
});
