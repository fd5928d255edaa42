// The role-by-route matrix, and whose rows each role reaches: written out by hand as the product's rule,
// checked through real sign-ins.
import { expect } from 'chai';
import type { Role } from '../../src/accounts/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Deal } from '../../src/deals/model.ts';
import { buyerLinkToken } from '../../src/interviews/link.ts';
import { Interview } from '../../src/interviews/model.ts';
import type { StoredInterview } from '../../src/interviews/planner.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { apiClient } from '../api/client.ts';
import { defaultAnswerSteps, formBody } from '../buyer/helpers.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';

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
  '/settings/emails/preview/invitation': [A, A, F, F],
  '/settings/suppression': [A, A, F, F],
  '/settings/questionnaire': [A, A, F, F],
  '/settings/digest': [A, A, F, F],
  '/admin/users': [A, F, F, F],
  '/admin/audit': [A, F, F, F],
  '/admin/api-keys': [A, F, F, F],
  '/admin/privacy': [A, F, F, F],
  '/dev/mailbox': [A, F, F, F],
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

// The row dimension: a sales rep reaches their own deals and everything under them (interviews, answers,
// the debrief, rows in exports), and no other rep's; the other roles that read deals reach every deal.
describe('whose deals each role reaches', () => {
  useTestDatabase('authz_rows');
  const actor = { type: 'system' as const, email: 'test' };
  type Who = 'admin' | 'marketer' | 'rep' | 'other rep' | 'viewer';
  const who: Who[] = ['admin', 'marketer', 'rep', 'other rep', 'viewer'];
  // route on the rep's rows: [admin, marketer, the deal's rep, another rep, viewer]
  const rows: Record<string, [string, string, string, string, string]> = {
    '/deals/:planned': [A, A, A, F, F],
    '/deals/:planned/edit': [A, A, A, F, F],
    '/deals/:planned/debrief': [A, A, A, F, F],
    '/interviews/:plannedInterview/hold-off': [A, A, A, F, F],
    '/interviews/:answeredInterview/answers': [A, A, A, F, F],
    '/interviews/:plannedInterview/live': [A, A, F, F, F],
  };
  let app: TestApp;
  const clients = new Map<Who, Client>();
  const ids: Record<string, string> = {};
  const buyers = { rep: [] as string[], other: [] as string[] };
  const dealNames = { rep: [] as string[], other: [] as string[] };

  async function lostDeal(owner: string, name: string) {
    const input = dealInputFor({ ownerEmail: owner, name });
    const { deal } = await upsertDeal(input, actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const interview = (await Interview.findOne({ dealId: deal._id }).lean<StoredInterview>())!;
    return { deal, interview, buyer: input.contacts[0]!.name };
  }

  /** A lost deal whose buyer answered through the form, an internal-only answer among them. */
  async function answeredDeal(owner: string, name: string) {
    const lost = await lostDeal(owner, name);
    await Interview.updateOne({ _id: lost.interview._id }, { $set: { state: 'invited' }, $push: { timeline: { state: 'invited', at: new Date() } } });
    const path = `/i/${await buyerLinkToken(lost.interview._id, loadSecrets(app.config))}`;
    for (const [i, step] of defaultAnswerSteps.entries()) {
      const res = await fetch(`${app.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), _action: i === defaultAnswerSteps.length - 1 ? 'submit' : 'next', ...step }),
      });
      expect(res.status).to.equal(303);
    }
    return lost;
  }

  before(async () => {
    app = await startTestApp();
    const users = {
      admin: await buildUser('admin'),
      marketer: await buildUser('marketer', { name: 'Mia Marketer' }),
      rep: await buildUser('sales', { email: 'rita.rep@debrief.test' }),
      'other rep': await buildUser('sales', { email: 'sam.rep@debrief.test' }),
      viewer: await buildUser('viewer'),
    };
    for (const [role, user] of Object.entries(users)) {
      const c = new Client(app.url);
      await c.signIn(user.email, testPassword);
      clients.set(role as Who, c);
    }
    for (const [side, owner] of [
      ['rep', 'rita.rep@debrief.test'],
      ['other', 'sam.rep@debrief.test'],
    ] as const) {
      const planned = await lostDeal(owner, `Planned deal of ${side}`);
      const answered = await answeredDeal(owner, `Answered deal of ${side}`);
      buyers[side].push(planned.buyer, answered.buyer);
      dealNames[side].push(planned.deal.name, answered.deal.name);
      if (side === 'rep')
        Object.assign(ids, {
          planned: String(planned.deal._id),
          plannedInterview: String(planned.interview._id),
          answeredInterview: String(answered.interview._id),
        });
    }
  });
  after(async () => {
    await app.close();
  });

  const pathOf = (route: string) => route.replace(/:(\w+)/g, (_m, name: string) => ids[name]!);

  for (const [route, expected] of Object.entries(rows)) {
    it(`${route}: ${who.map((w, i) => `${w} ${expected[i]}`).join(', ')}`, async () => {
      for (const [i, w] of who.entries()) {
        const res = await clients.get(w)!.get(pathOf(route));
        expect(res.status, `${w} on ${route}`).to.equal(expected[i] === A ? 200 : 403);
        if (expected[i] === F) expect(res.body, `${w} on ${route}`).not.to.contain('A security whitepaper.').and.not.contain(buyers.rep[0]!);
      }
    });
  }

  it('the answers a rep reaches include the internal-only ones; another rep gets none of them', async () => {
    const own = await clients.get('rep')!.get(pathOf('/interviews/:answeredInterview/answers'));
    expect(own.body).to.contain('A security whitepaper.'); // "internal only" in the form
    const other = await clients.get('other rep')!.get(pathOf('/interviews/:answeredInterview/answers'));
    expect(other.status).to.equal(403);
    expect(other.body).not.to.contain('A security whitepaper.');
  });

  it('lists and exports show a rep their own deals’ rows only, and everyone else every row', async () => {
    for (const [w, sees, hidden] of [
      ['rep', 'rep', 'other'],
      ['other rep', 'other', 'rep'],
    ] as const) {
      const c = clients.get(w)!;
      const deals = (await c.get('/deals')).body;
      const interviews = (await c.get('/interviews')).body;
      const csv = (await c.get('/reports/responses.csv')).body;
      for (const name of dealNames[sees]) expect(deals, `${w}: /deals`).to.contain(name);
      for (const name of dealNames[hidden]) expect(deals, `${w}: /deals`).not.to.contain(name);
      for (const buyer of buyers[sees]) expect(interviews, `${w}: /interviews`).to.contain(buyer);
      for (const buyer of buyers[hidden]) expect(interviews, `${w}: /interviews`).not.to.contain(buyer);
      expect(csv, `${w}: responses.csv`).to.contain(dealNames[sees][1]!);
      expect(csv, `${w}: responses.csv`).not.to.contain(dealNames[hidden][1]!);
    }
    for (const w of ['admin', 'marketer'] as const) {
      const interviews = (await clients.get(w)!.get('/interviews')).body;
      const csv = (await clients.get(w)!.get('/reports/responses.csv')).body;
      for (const buyer of [...buyers.rep, ...buyers.other]) expect(interviews, `${w}: /interviews`).to.contain(buyer);
      for (const name of [dealNames.rep[1]!, dealNames.other[1]!]) expect(csv, `${w}: responses.csv`).to.contain(name);
    }
    // A program with an API key (issued by an admin) reads every deal.
    const api = await apiClient(app.url, ['read']);
    const listed = (await api.get('/api/v1/interviews')).json.data.map((i: { contactName: string }) => i.contactName);
    expect(listed).to.include.members([...buyers.rep, ...buyers.other]);
  });

  it('another rep’s writes are refused and change nothing', async () => {
    const other = clients.get('other rep')!;
    const won = await other.submit('/deals', `/deals/${ids.planned!}/won`, {});
    expect(won.status).to.equal(403);
    const held = await other.submit('/deals', `/interviews/${ids.plannedInterview!}/hold-off`, { reason: 'I would rather they were not asked.' });
    expect(held.status).to.equal(403);
    expect((await Deal.findById(ids.planned).lean())?.status).to.equal('lost');
    expect((await Interview.findById(ids.plannedInterview).lean())?.state).to.equal('planned');
  });
});
