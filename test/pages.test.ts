import { expect } from 'chai';
import { Deal } from '../src/deals/model.ts';
import { seedDemoWorkspace } from '../src/demo/seed.ts';
import { createLogger } from '../src/lib/logger.ts';
import { buildUser, testPassword } from './factories/users.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { useTestDatabase } from './helpers/db.ts';

let client: Client;
function page(_app: TestApp, path: string, accept = 'text/html') {
  return client.get(path, accept);
}

describe('the staff pages on the demo workspace', () => {
  useTestDatabase('pages');
  let app: TestApp;
  before(async () => {
    await seedDemoWorkspace(true, createLogger('silent'));
    app = await startTestApp();
    const admin = await buildUser('admin');
    client = new Client(app.url);
    await client.signIn(admin.email, testPassword);
  });
  after(async () => {
    await app.close();
  });

  it('the overview shows the demo banner, the program figures and buyers’ own words', async () => {
    const { status, body } = await page(app, '/');
    expect(status).to.equal(200);
    expect(body).to.contain('Demo workspace');
    const lost = await Deal.countDocuments({ status: 'lost' });
    expect(body).to.match(new RegExp(`<span class="stat-value"[^>]*>${lost}</span><span class="stat-label">lost deals`));
    expect(body).to.match(/<blockquote><p>[^<]{20,}<\/p><\/blockquote>/);
    expect(body).to.contain('Who we lose to');
  });

  it('every area in the navigation answers with a page', async () => {
    for (const path of ['/deals', '/interviews', '/themes', '/reports', '/settings']) {
      const { status, body } = await page(app, path);
      expect(status, path).to.equal(200);
      expect(body, path).to.contain('aria-current="page"');
    }
  });

  it('the deals list pages through the deals and searches by company', async () => {
    const total = await Deal.countDocuments();
    const first = await page(app, '/deals');
    expect(first.body).to.contain(`${total} deals`);
    expect(first.body).to.contain('Page 1 of 2');
    const search = await page(app, '/deals?q=harbor');
    expect(search.body).to.contain('1 deal<');
    expect(search.body).to.contain('Harbor Freight Logistics');
    expect(search.body).not.to.contain('Kestrel Software');
  });

  it('the settings page says which database this installation runs on, without secrets', async () => {
    const { body } = await page(app, '/settings');
    expect(body).to.contain('the test engine');
  });

  it('escapes what people typed wherever it is shown', async () => {
    await Deal.create({ source: 'test', externalId: 'xss', name: '<script>alert(1)</script>', buyerCompany: '<img src=x onerror=alert(2)>', status: 'open' });
    const { body } = await page(app, '/deals?q=script');
    expect(body).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.to.contain('<script>alert(1)');
    expect(body).not.to.contain('<img src=x');
  });

  it('sends a Content-Security-Policy that allows no inline script', async () => {
    const { headers } = await page(app, '/');
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).to.contain("script-src 'self'");
    expect(csp).not.to.contain('unsafe-inline');
    expect(headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('a bad filter gets a clear message naming the field, as a page', async () => {
    const { status, body } = await page(app, '/deals?status=maybe');
    expect(status).to.equal(400);
    expect(body).to.contain('<strong>status</strong>');
  });

  it('an unknown address gets a 404 page for people and JSON for programs', async () => {
    const html = await page(app, '/no-such-page');
    expect(html.status).to.equal(404);
    expect(html.body).to.contain('We could not find that page');
    const json = await page(app, '/no-such-page', 'application/json');
    expect(json.status).to.equal(404);
    expect(JSON.parse(json.body)).to.deep.include({
      error: { code: 'not_found', message: 'We could not find that page.', requestId: JSON.parse(json.body).error.requestId },
    });
  });

  it('serves the stylesheet locally', async () => {
    const res = await fetch(`${app.url}/static/styles.css`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('text/css');
  });
});
