// The whole flow in the pages, as a person does it: create a deal, mark it lost, see the planned
// interview with its time and interviewer, hold it off as the rep.
import { expect } from 'chai';
import { Deal } from '../../src/deals/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { AuditEntry } from '../../src/audit/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const dealForm = {
  name: 'Globex analytics',
  buyerCompany: 'Globex',
  amount: '42,000',
  currency: 'eur',
  segment: 'Enterprise',
  contact1Name: 'Gina Buyer',
  contact1Email: 'gina@globex.example',
  contact1Role: 'VP Operations',
  contact1TimeZone: 'Europe/Berlin',
  primaryContact: '1',
};

describe('deal pages', () => {
  useTestDatabase('deal_pages');
  const app = useTestApp();
  beforeEach(async () => {
    await clearCollections();
    await saveProgram({ ...defaultProgram, timeZone: 'Europe/Berlin' });
    await buildUser('admin'); // an installation that is set up
  });

  async function signedIn(role: 'sales' | 'marketer' | 'admin', email?: string) {
    const user = await buildUser(role, email ? { email } : {});
    const c = new Client(app.url);
    await c.signIn(user.email, testPassword);
    return { c, user };
  }

  it('a rep creates a deal, marks it lost, sees the plan, and holds it off', async () => {
    await buildUser('marketer', { name: 'Mia Marketer' });
    const { c: rep, user } = await signedIn('sales');
    const created = await rep.submit('/deals/new', '/deals', dealForm);
    expect(created.status).to.equal(303);
    const dealPath = created.location!;
    const deal = await Deal.findOne({ name: 'Globex analytics' }).lean();
    expect(deal?.amount).to.equal(42000);
    expect(deal?.currency).to.equal('EUR');
    expect(deal?.ownerEmail).to.equal(user.email); // a rep's deals are theirs

    const noCompetitor = await rep.submit(dealPath, `${dealPath}/lost`, { lossType: 'competitor', reasonCode: 'price', reasonNote: 'Too pricey' });
    expect(noCompetitor.status).to.equal(400);
    expect(noCompetitor.body).to.contain('Name the competitor the buyer chose.');
    expect(noCompetitor.body).to.contain('Too pricey'); // what was typed is kept

    const lost = await rep.submit(dealPath, `${dealPath}/lost`, { lossType: 'competitor', reasonCode: 'price', competitor: 'Clearpath' });
    expect(lost.status).to.equal(303);
    const page = await rep.get(dealPath);
    expect(page.body).to.contain('Marked lost. Interview planned: 3 business days after the loss');
    expect(page.body).to.contain('interviewer Mia Marketer');
    expect(page.body).to.contain('Planned');

    const interview = await Interview.findOne({ dealId: deal!._id }).lean();
    const holdPath = `/interviews/${String(interview!._id)}/hold-off`;
    const short = await rep.submit(holdPath, holdPath, { reason: 'no' });
    expect(short.status).to.equal(400);
    expect(short.body).to.contain('10 characters or more');
    const held = await rep.submit(holdPath, holdPath, { reason: 'They are about to sign a renewal of another product with us.' });
    expect(held.status).to.equal(303);
    const after = await rep.get(dealPath);
    expect(after.body).to.contain('Held by rep').and.contain('They are about to sign a renewal');
    expect((await Interview.findById(interview!._id).lean())?.state).to.equal('held');
    expect(await AuditEntry.countDocuments({ action: 'interview.held' })).to.equal(1);
    // Nothing left to hold off.
    expect((await rep.get(holdPath)).status).to.equal(409);
  });

  it('a bad form keeps every typed value and names each field', async () => {
    const { c } = await signedIn('marketer');
    const res = await c.submit('/deals/new', '/deals', { ...dealForm, amount: 'lots', contact2Name: 'Second', contact2Email: 'not-an-email', name: '' });
    expect(res.status).to.equal(400);
    expect(res.body).to.contain('Enter the deal’s name.');
    expect(res.body).to.contain('Enter an amount as a number');
    expect(res.body).to.contain('Enter an email address such as name@company.com.');
    expect(res.body).to.contain('value="lots"').and.contain('value="not-an-email"').and.contain('value="Globex"');
    expect(await Deal.countDocuments()).to.equal(0);
  });

  it('reopening a lost deal cancels its planned interview', async () => {
    const { c } = await signedIn('marketer');
    const created = await c.submit('/deals/new', '/deals', dealForm);
    await c.submit(created.location!, `${created.location!}/lost`, { lossType: 'no_decision', reasonCode: 'no_decision' });
    await c.submit(created.location!, `${created.location!}/reopen`, {});
    expect((await c.get(created.location!)).body).to.contain('Reopened. The planned interview was cancelled.');
    expect((await Interview.findOne().lean())?.state).to.equal('cancelled');
  });

  it('a rep cannot open or change another rep’s deal', async () => {
    const { c: owner } = await signedIn('sales', 'owner@debrief.test');
    const created = await owner.submit('/deals/new', '/deals', dealForm);
    const { c: other } = await signedIn('sales', 'other@debrief.test');
    expect((await other.get(created.location!)).status).to.equal(403);
    expect((await other.submit('/deals', `${created.location!}/lost`, { lossType: 'other', reasonCode: 'price' })).status).to.equal(403);
    expect((await other.get('/deals')).body).not.to.contain('Globex analytics');
    expect((await owner.get('/deals')).body).to.contain('Globex analytics');
  });
});
