// The program settings page, as marketers use it: every field in one form, saved with an audit entry,
// refused with each error beside its field and every typed value kept, and a send-time preview.
import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/model.ts';
import { defaultProgram, loadProgram, saveProgram } from '../../src/program/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { programToForm } from '../../src/program/handlers.ts';

/** The form's fields for a program, as the page fills them in. */
const formOf = programToForm;

describe('the program settings page', () => {
  useTestDatabase('program_settings');
  const app = useTestApp();
  beforeEach(async () => {
    await clearCollections();
    await buildUser('admin'); // an installation that is set up
  });

  async function signedIn(role: 'admin' | 'marketer' | 'sales' | 'viewer') {
    const user = await buildUser(role);
    const c = new Client(app.url);
    await c.signIn(user.email, testPassword);
    return { c, user };
  }

  it('shows every field filled in, rows to add reasons and interviewers, and a send-time preview', async () => {
    await saveProgram({
      ...defaultProgram,
      timeZone: 'Europe/Berlin',
      segments: ['Enterprise', 'SMB'],
      interviewerBySegment: [{ segment: 'Enterprise', email: 'ent@debrief.test' }],
    });
    const { c } = await signedIn('marketer');
    const page = await c.get('/settings/program');
    expect(page.status).to.equal(200);
    expect(page.body).to.contain('name="_csrf"');
    expect(page.body).to.contain('value="Europe/Berlin"').and.contain('value="Enterprise, SMB"').and.contain('value="09:00"').and.contain('value="17:00"');
    expect(page.body).to.contain('value="product_fit"').and.contain('value="Missing capability or product fit"');
    // The nine default reasons and three empty rows; one interviewer rule and two empty rows.
    expect(page.body).to.contain('name="reason12Code"').and.not.contain('name="reason13Code"');
    expect(page.body).to.contain('value="ent@debrief.test"').and.contain('name="interviewer3Email"').and.not.contain('name="interviewer4Email"');
    expect(page.body).to.match(
      /<strong>Send-time preview:<\/strong> a deal lost now \(.+\) would be invited on <strong>.+<\/strong>: .*business day.*Europe\/Berlin/,
    );
  });

  it('a marketer saves the program: it is stored, audited, and the preview follows the saved rules', async () => {
    const { c, user } = await signedIn('marketer');
    const fields = {
      ...formOf(defaultProgram),
      coolOffBusinessDays: '0',
      timeZone: 'America/New_York',
      sendFrom: '08:30',
      sendUntil: '18:00',
      minimumAmount: '25,000',
      segments: 'Enterprise, Mid-market, , Enterprise',
      holdOffHours: '48',
      reason2Code: '',
      reason2Label: '',
      reason10Code: 'security_review',
      reason10Label: 'Failed the security review',
      interviewer1Segment: 'Enterprise',
      interviewer1Email: 'Ent.Lead@debrief.test',
    };
    const res = await c.submit('/settings/program', '/settings/program', fields);
    expect(res.status).to.equal(303);
    expect(res.location).to.equal('/settings/program');

    const program = await loadProgram();
    expect(program).to.deep.include({
      coolOffBusinessDays: 0,
      timeZone: 'America/New_York',
      sendFrom: '08:30',
      sendUntil: '18:00',
      minimumAmount: 25000,
      segments: ['Enterprise', 'Mid-market'],
      holdOffHours: 48,
    });
    expect(program.reasons.map((r) => r.code)).to.deep.equal([
      'price',
      'integrations',
      'ease_of_use',
      'support',
      'sales_experience',
      'implementation',
      'trust',
      'no_decision',
      'security_review',
    ]);
    expect(program.interviewerBySegment).to.deep.equal([{ segment: 'Enterprise', email: 'ent.lead@debrief.test' }]);

    const audit = await AuditEntry.find({ action: 'program.updated' }).lean();
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actorType: 'user', actorEmail: user.email });

    const page = await c.get('/settings/program');
    expect(page.body).to.contain('Program saved.');
    expect(page.body).to.match(/Send-time preview:.*no cool-off: the next sending time.*America\/New_York/);
    const again = await c.submit('/settings/program', '/settings/program', formOf(program));
    expect(again.status).to.equal(303);
    expect((await c.get('/settings/program')).body).to.contain('Nothing changed');
    expect(await AuditEntry.countDocuments({ action: 'program.updated' })).to.equal(1);
  });

  it('bad input keeps every typed value and shows each error beside its field; nothing is saved', async () => {
    const { c } = await signedIn('marketer');
    const res = await c.submit('/settings/program', '/settings/program', {
      ...formOf(defaultProgram),
      timeZone: 'Mars/Olympus',
      sendFrom: '18:00',
      sendUntil: '09:00',
      coolOffBusinessDays: 'three',
      segments: 'Enterprise, <b>SMB</b>',
      reason3Code: 'price',
      reason3Label: 'Cost <again>',
      reason11Code: 'Bad Code',
      reason11Label: 'Typed label',
      interviewer2Segment: 'SMB',
      interviewer2Email: 'not-an-email',
    });
    expect(res.status).to.equal(400);
    expect(res.body).to.match(/<p class="field-error" id="timeZone-error">Enter a time zone such as Europe\/Berlin/);
    expect(res.body).to.match(/<p class="field-error" id="coolOffBusinessDays-error">Enter a whole number of business days/);
    expect(res.body).to.match(/<p class="field-error" id="sendUntil-error">Close the sending hours after they open: use a time later than 18:00\.<\/p>/);
    expect(res.body).to.match(/<p class="field-error" id="reason3Code-error">The code price is used twice/);
    expect(res.body).to.match(/<p class="field-error" id="reason11Code-error">Use lower-case letters/);
    expect(res.body).to.match(/<p class="field-error" id="interviewer2Email-error">Enter the interviewer’s email address/);
    expect(res.body).to.contain('class="error-summary"');
    for (const typed of [
      'value="Mars/Olympus"',
      'value="18:00"',
      'value="09:00"',
      'value="three"',
      'value="Enterprise, &lt;b&gt;SMB&lt;/b&gt;"',
      'value="Cost &lt;again&gt;"',
      'value="Bad Code"',
      'value="Typed label"',
      'value="not-an-email"',
    ]) {
      expect(res.body).to.contain(typed);
    }
    expect(res.body).not.to.contain('<b>SMB</b>');
    // The rows that were sent are shown again, none lost.
    expect(res.body).to.contain('name="reason11Code"').and.contain('name="interviewer2Email"');
    expect(await loadProgram()).to.deep.equal(defaultProgram);
    expect(await AuditEntry.countDocuments({ action: 'program.updated' })).to.equal(0);
  });

  it('keeping no reason at all is refused on the reasons as a whole', async () => {
    const { c } = await signedIn('admin');
    const fields = formOf({ ...defaultProgram, reasons: [] });
    const res = await c.submit('/settings/program', '/settings/program', fields);
    expect(res.status).to.equal(400);
    expect(res.body).to.match(/<p class="field-error" id="reasons-error">Keep at least one reason\.<\/p>/);
  });

  it('sales and viewers get 403; the settings page links to it for those who may open it', async () => {
    for (const role of ['sales', 'viewer'] as const) {
      const { c } = await signedIn(role);
      expect((await c.get('/settings/program')).status, role).to.equal(403);
      expect((await c.submit('/account', '/settings/program', formOf({ ...defaultProgram, holdOffHours: 1 }))).status, role).to.equal(403);
    }
    expect(await loadProgram()).to.deep.equal(defaultProgram);
    const { c: admin } = await signedIn('admin');
    expect((await admin.get('/settings/program')).status).to.equal(200);
    const { c: marketer } = await signedIn('marketer');
    expect((await marketer.get('/settings')).body).to.contain('href="/settings/program"');
    expect((await new Client(app.url).get('/settings/program')).location).to.equal('/sign-in?next=%2Fsettings%2Fprogram');
  });

  it('a save without its CSRF token is refused', async () => {
    const { c } = await signedIn('marketer');
    const res = await c.post('/settings/program', { ...formOf({ ...defaultProgram, holdOffHours: 1 }), _csrf: 'forged' });
    expect(res.status).to.equal(403);
    expect(await loadProgram()).to.deep.equal(defaultProgram);
  });
});
