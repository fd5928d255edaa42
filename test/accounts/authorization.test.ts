// The role-by-route matrix: written out by hand as the product's rule, checked through real sign-ins.
import { expect } from 'chai';
import type { Role } from '../../src/accounts/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';

const A = 'allowed';
const F = 'forbidden';
// route: [admin, marketer, sales, viewer]
const matrix: Record<string, [string, string, string, string]> = {
  '/': [A, A, A, A],
  '/reports': [A, A, A, A],
  '/reports/responses.csv': [A, A, A, A],
  '/reports/themes.csv': [A, A, A, A],
  '/themes': [A, A, A, A],
  '/deals': [A, A, A, F],
  '/interviews': [A, A, A, F],
  '/interviews/queue': [A, A, F, F],
  '/deals/new': [A, A, A, F],
  '/imports': [A, A, F, F],
  '/imports/new': [A, A, F, F],
  '/settings': [A, A, F, F],
  '/settings/program': [A, A, F, F],
  '/settings/emails': [A, A, F, F],
  '/settings/suppression': [A, A, F, F],
  '/settings/questionnaire': [A, A, F, F],
  '/settings/digest': [A, A, F, F],
  '/admin/users': [A, F, F, F],
  '/admin/audit': [A, F, F, F],
  '/admin/api-keys': [A, F, F, F],
  '/admin/privacy': [A, F, F, F],
  '/dev/mailbox': [A, A, F, F],
  '/account': [A, A, A, A],
};
const order: Role[] = ['admin', 'marketer', 'sales', 'viewer'];

describe('who may open which staff page', () => {
  useTestDatabase('authz');
  let app: TestApp;
  const clients = new Map<Role, Client>();
  before(async () => {
    app = await startTestApp();
    for (const role of order) {
      const user = await buildUser(role);
      const c = new Client(app.url);
      await c.signIn(user.email, testPassword);
      clients.set(role, c);
    }
  });
  after(async () => {
    await app.close();
  });

  for (const [path, expected] of Object.entries(matrix)) {
    it(`${path}: ${order.map((r, i) => `${r} ${expected[i]}`).join(', ')}`, async () => {
      for (const [i, role] of order.entries()) {
        const res = await clients.get(role)!.get(path);
        expect(res.status, `${role} on ${path}`).to.equal(expected[i] === A ? 200 : 403);
      }
    });
  }

  it('someone signed out is sent to sign in from every staff page, and the API answers 401', async () => {
    const anonymous = new Client(app.url);
    for (const path of Object.keys(matrix)) {
      const res = await anonymous.get(path);
      expect(res.status, path).to.equal(303);
      expect(res.location, path).to.match(/^\/sign-in\?next=/);
      expect((await anonymous.get(path, 'application/json')).status, path).to.equal(401);
    }
  });

  it('the navigation shows each role only what it may open', async () => {
    const viewerNav = (await clients.get('viewer')!.get('/')).body;
    expect(viewerNav).to.contain('href="/reports"');
    expect(viewerNav).not.to.contain('href="/deals"');
    expect(viewerNav).not.to.contain('href="/admin/users"');
    const adminNav = (await clients.get('admin')!.get('/')).body;
    expect(adminNav).to.contain('href="/admin/users"').and.contain('href="/admin/audit"');
  });

  it('a role change from a non-admin is refused', async () => {
    const res = await clients.get('marketer')!.submit('/deals', '/admin/users/000000000000000000000000/role', { role: 'admin' });
    expect(res.status).to.equal(403);
  });
});
