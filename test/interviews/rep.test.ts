// What the rep gets when their deal is lost: an email with the plan, a hold-off link and a link to give
// their own view; and the marketer's queue of invitations due.
import { expect } from 'chai';
import { Deal } from '../../src/deals/model.ts';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Interview } from '../../src/interviews/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { dispatchAndDrain, drainJobs } from '../helpers/outbox.ts';

const actor = { type: 'system' as const, email: 'test' };

describe('the rep’s side of a lost deal', () => {
  useTestDatabase('rep');
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
    await saveProgram({ ...defaultProgram, timeZone: 'Europe/Berlin' });
    await buildUser('admin');
  });

  it('the rep is emailed the plan, with working links to hold it off and to give their view', async () => {
    const rep = await buildUser('sales', { email: 'rita@debrief.test', name: 'Rita Rep' });
    await buildUser('marketer', { name: 'Mia Marketer' });
    const { deal } = await upsertDeal(dealInputFor({ name: 'Initech renewal', ownerEmail: rep.email, ownerName: 'Rita Rep' }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');

    expect(await dispatchAndDrain(app.queue)).to.equal(1);
    expect(await dispatchAndDrain(app.queue)).to.equal(0); // handed over once
    const toRep = (await mail.caught()).filter((m) => JSON.stringify(m.to).includes(rep.email));
    expect(toRep).to.have.length(1);
    const [message] = toRep;
    expect(message?.subject).to.match(/^We will ask Buyer \d+ at Buyer Co \d+ why Initech renewal was lost$/);
    expect(message?.text).to.contain('Mia Marketer from marketing will invite');
    const holdOff = new URL(/https?:\/\/\S+\/r\/hold-off\/[\w-]{43}/.exec(message!.text!)![0]).pathname;
    const debrief = new URL(/https?:\/\/\S+\/r\/debrief\/[\w-]{43}/.exec(message!.text!)![0]).pathname;

    // The rep signed in, on the staff pages of the deal, and through the links: the same forms.
    const c = new Client(app.url);
    await c.signIn(rep.email, testPassword);
    expect((await c.get(holdOff)).status).to.equal(200);
    const staffDebrief = `/deals/${String(deal._id)}/debrief`;
    const view = await c.submit(staffDebrief, staffDebrief, { reasonCode: 'product_fit', note: 'They needed SSO on day one.' });
    expect(view.status).to.equal(303);
    const saved = await Deal.findById(deal._id).lean();
    expect(saved?.repReason).to.deep.include({ code: 'product_fit', note: 'They needed SSO on day one.' });
    const bad = await c.submit(staffDebrief, staffDebrief, { reasonCode: 'made_up', note: 'kept text' });
    expect(bad.status).to.equal(400);
    expect(bad.body).to.contain('Choose one of the listed reasons.').and.contain('kept text');
    const linked = await c.post(debrief, { reasonCode: 'made_up', note: 'kept text' });
    expect(linked.status).to.equal(400);
    expect(linked.body).to.contain('Choose one of the listed reasons.').and.contain('kept text');
  });

  it('when a marketer sends the invitation before the dispatcher runs, the rep is still told, with their debrief link and no dead hold-off link', async () => {
    const rep = await buildUser('sales', { email: 'rita@debrief.test', name: 'Rita Rep' });
    const marketer = await buildUser('marketer', { name: 'Mia Marketer' });
    const { deal } = await upsertDeal(dealInputFor({ name: 'Hooli rollout', ownerEmail: rep.email, ownerName: 'Rita Rep' }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const interview = (await Interview.findOne({ dealId: deal._id }).lean())!;

    // "Send now" within the dispatcher's 30 seconds: the invitation goes, the interview is invited.
    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    expect((await c.submit('/interviews/queue', `/interviews/${String(interview._id)}/send-now`, {})).status).to.equal(303);
    await drainJobs();
    expect((await Interview.findById(interview._id).lean())!.state).to.equal('invited');

    expect(await dispatchAndDrain(app.queue)).to.equal(1);
    const toRep = (await mail.caught()).filter((m) => JSON.stringify(m.to).includes(rep.email));
    expect(toRep, 'the rep hears of the interview').to.have.length(1);
    const [message] = toRep;
    expect(message?.subject).to.match(/^We asked Buyer \d+ at Buyer Co \d+ why Hooli rollout was lost$/);
    expect(message?.text).to.contain('Mia Marketer from marketing has already invited').and.contain('can no longer be held off');
    expect(message?.text, 'no hold-off link that could only say "no longer planned"').not.to.match(/\/hold-off/);
    const debrief = new URL(/https?:\/\/\S+\/r\/debrief\/[\w-]{43}/.exec(message!.text!)![0]).pathname;
    expect((await new Client(app.url).get(debrief)).status).to.equal(200);
    // The buyer got one invitation, not a second one from the dispatcher.
    expect((await mail.caught()).filter((m) => JSON.stringify(m.to).includes(interview.contact!.email))).to.have.length(1);
  });

  it('when the buyer is not to be asked, the rep is told why; demo data and deals without an owner send nothing', async () => {
    const { deal } = await upsertDeal(dealInputFor({ ownerEmail: 'sam@debrief.test', contacts: [] }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const { deal: ownerless } = await upsertDeal(dealInputFor({ ownerEmail: undefined }), actor, 'api');
    await markLost(ownerless._id, competitorLoss, actor, 'api');
    await Interview.create({ dealId: deal._id, planKey: 'demo#1', contact: { name: 'Demo', email: 'demo@example.com' }, state: 'planned', demo: true });
    expect(await dispatchAndDrain(app.queue)).to.equal(2);
    const sent = await mail.caught();
    expect(sent).to.have.length(1);
    expect(sent[0]!.subject).to.match(/: no buyer interview$/);
    expect(sent[0]!.text).to.contain('The deal has no buyer contact to ask.');
  });

  it('a marketer sees the invitations due and takes a contact out, with a reason', async () => {
    const marketer = await buildUser('marketer');
    const { deal } = await upsertDeal(dealInputFor({ name: 'Umbrella expansion' }), actor, 'api');
    await markLost(deal._id, competitorLoss, actor, 'api');
    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    const queue = await c.get('/interviews/queue');
    expect(queue.status).to.equal(200);
    expect(queue.body).to.contain('Umbrella expansion');
    const interview = await Interview.findOne({ dealId: deal._id }).lean();
    const path = `/interviews/${String(interview!._id)}/remove`;
    const empty = await c.submit('/interviews/queue', path, { reason: '' });
    expect(empty.status).to.equal(400);
    expect(empty.body).to.contain('Say briefly why');
    expect((await c.submit('/interviews/queue', path, { reason: 'Their CEO is a friend of ours' })).status).to.equal(303);
    const after = await Interview.findById(interview!._id).lean();
    expect(after?.state).to.equal('excluded');
    expect(after?.exclusionReason).to.contain('Their CEO is a friend of ours');
    expect((await c.get('/interviews/queue')).body).not.to.contain('Umbrella expansion');
    const sales = await buildUser('sales');
    const s = new Client(app.url);
    await s.signIn(sales.email, testPassword);
    expect((await s.get('/interviews/queue')).status).to.equal(403);
  });
});
