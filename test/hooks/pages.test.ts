// Settings, Webhooks in a real Chromium, as an admin uses it: register an endpoint (the secret shown
// once, then never again), send a test event and read how the receiver answered in the deliveries list;
// and only admins reach the page.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { verifyDebriefSignature } from '../../src/webhooks/signature.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startReceiver, type Receiver } from './receiver.ts';

describe('the webhooks page', () => {
  useTestDatabase('hooks_pages');
  const app = useTestApp({ worker: true });
  const browser = useBrowser();
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
  });
  beforeEach(async () => {
    await clearCollections();
    receiver.reset();
  });

  async function signedIn(email: string): Promise<Page> {
    const page = await (await browser.get().context({ width: 1200 })).newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.fill('#email', email);
    await page.fill('#password', testPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${app.url}/`);
    return page;
  }

  it('an admin registers an endpoint, sees its secret once, sends a test event and reads the delivery', async function () {
    this.timeout(60_000);
    const admin = await buildUser('admin');
    const page = await signedIn(admin.email);
    await page.goto(`${app.url}/settings`);
    await page.click('a[href="/settings/webhooks"]');

    // A local receiver is refused until private addresses are allowed; what was typed stays.
    await page.fill('#url', receiver.url);
    await page.fill('#description', 'CRM <sync>');
    await page.check('input[value="interview.declined"]');
    await page.click('form[action="/settings/webhooks"] button[type="submit"]');
    expect(await page.locator('.error-summary').innerText()).to.contain('allow private addresses');
    expect(await page.inputValue('#url')).to.equal(receiver.url);
    expect(await page.isChecked('input[value="interview.declined"]')).to.equal(true);
    await page.check('input[name="allowPrivateAddresses"][value="yes"]');
    await page.click('form[action="/settings/webhooks/settings"] button[type="submit"]');
    expect(await page.locator('p.notice').innerText()).to.contain('may now reach private');

    await page.fill('#url', receiver.url);
    await page.fill('#description', 'CRM <sync>');
    await page.click('form[action="/settings/webhooks"] button[type="submit"]');
    const secret = await page.inputValue('#signing-secret');
    expect(secret).to.match(/^whsec_[A-Za-z0-9_-]{43}$/);
    // Escaped, not markup.
    expect(await page.locator('td', { hasText: 'CRM <sync>' }).count()).to.equal(1);

    await page.goto(`${app.url}/settings/webhooks`);
    expect(await page.locator('#signing-secret').count(), 'the secret is shown once').to.equal(0);
    expect(await page.content()).not.to.contain(secret);

    await page.click(`a:has-text("${receiver.url}")`);
    expect(await page.locator('#deliveries').count()).to.equal(0);
    await page.click('button:has-text("Send a test event")');
    expect(await page.locator('p.notice').innerText()).to.contain('test event is on its way');
    const [got] = await receiver.waitFor(1);
    expect(JSON.parse(got!.body).type).to.equal('debrief.test');
    expect(() =>
      verifyDebriefSignature({
        secret,
        timestamp: String(got!.headers['x-debrief-timestamp']),
        signature: String(got!.headers['x-debrief-signature']),
        rawBody: Buffer.from(got!.body),
        nowMs: Date.now(),
      }),
    ).not.to.throw();

    for (let i = 0; i < 40; i++) {
      await page.reload();
      if ((await page.locator('#deliveries').count()) > 0 && (await page.locator('#deliveries').innerText()).includes('delivered')) break;
      await page.waitForTimeout(250);
    }
    const row = await page.locator('#deliveries tbody tr').first().innerText();
    expect(row).to.contain('debrief.test').and.contain('delivered').and.contain('HTTP 200');
    expect(row).to.match(/\d{1,2} \w{3} \d{4}, \d\d:\d\d/);
  });

  it('only admins reach it', async () => {
    await buildUser('admin');
    const marketer = await buildUser('marketer');
    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    expect((await c.get('/settings/webhooks')).status).to.equal(403);
    expect((await c.get('/settings')).body).not.to.contain('/settings/webhooks');
  });
});
