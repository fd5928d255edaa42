// The program's working week and holidays, set on the program page and followed wherever business days
// are counted: the invitation's cool-off and sending day, and the reminders' days. Bad input is refused
// with a message beside its field, and what was typed stays.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Interview } from '../../src/interviews/model.ts';
import type { StoredInterview } from '../../src/interviews/planner.ts';
import { MailSend, type MailSendDoc } from '../../src/outbox/model.ts';
import { followUp } from '../../src/outbox/follow-up.ts';
import { loadEmailSettings } from '../../src/outbox/settings.ts';
import { programToForm } from '../../src/program/handlers.ts';
import { defaultProgram, loadProgram, saveProgram } from '../../src/program/model.ts';
import { updateProgram } from '../../src/program/service.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const actor = { type: 'system' as const, email: 'test' };
const dubai = (at: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Dubai', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(at);

/** The program form with a Sunday-to-Thursday week in Dubai and the UAE's holidays of late 2026. */
function gulfForm(): Record<string, string> {
  const form = programToForm({ ...defaultProgram, timeZone: 'Asia/Dubai' });
  for (const d of [1, 2, 3, 4, 5, 6, 7]) delete form[`workingDay${d}`];
  return {
    ...form,
    workingDay7: 'on', // Sunday
    workingDay1: 'on',
    workingDay2: 'on',
    workingDay3: 'on',
    workingDay4: 'on', // to Thursday
    holidays: '2026-11-30 Commemoration Day\r\n\r\n2026-12-02, National Day\r\n2026-12-3 National Day holiday\r\n',
  };
}

describe('the working week and holidays', () => {
  useTestDatabase('program_working_week');
  const app = useTestApp();
  let c: Client;
  beforeEach(async () => {
    await clearCollections();
    await buildUser('admin');
    const marketer = await buildUser('marketer');
    c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
  });

  async function loseDealOn(lostAt: Date): Promise<StoredInterview> {
    const { deal } = await upsertDeal(
      dealInputFor({ contacts: [{ name: 'Noor Buyer', email: 'noor@gulf.example', timeZone: 'Asia/Dubai', primary: true }] }),
      actor,
      'api',
    );
    await markLost(deal._id, { ...competitorLoss, lostAt }, actor, 'api', lostAt);
    return (await Interview.findOne({ dealId: deal._id }).lean<StoredInterview>())!;
  }

  it('a Sunday-to-Thursday week and holidays saved on the page move the invitation past Friday, Saturday and the holidays', async () => {
    const saved = await c.submit('/settings/program', '/settings/program', gulfForm());
    expect(saved.status).to.equal(303);
    const program = await loadProgram();
    expect(program.workingDays).to.deep.equal([1, 2, 3, 4, 7]);
    expect(program.holidays).to.deep.equal([
      { date: '2026-11-30', name: 'Commemoration Day' },
      { date: '2026-12-02', name: 'National Day' },
      { date: '2026-12-03', name: 'National Day holiday' },
    ]);

    // Lost on Thursday 26 November at 10:00 in Dubai, with a cool-off of 3 business days: Sunday 29 is
    // the first, Monday 30 a holiday, Tuesday 1 December the second, Wednesday and Thursday holidays,
    // Friday and Saturday the weekend, Sunday 6 December the third.
    const interview = await loseDealOn(new Date('2026-11-26T10:00:00+04:00'));
    expect(interview.state).to.equal('planned');
    expect(dubai(interview.plannedFor!)).to.equal('Sun 6 Dec, 10:00');

    // The page shows the saved week and list again.
    const page = await c.get('/settings/program');
    expect(page.body)
      .to.match(/id="workingDay7" name="workingDay7" value="on" checked/)
      .and.match(/id="workingDay5" name="workingDay5" value="on">/);
    expect(page.body).to.contain('2026-11-30 Commemoration Day\n2026-12-02 National Day\n2026-12-03 National Day holiday</textarea>');
  });

  it('reminders that fall on a weekend day or a holiday of the program wait for its next business day', async () => {
    await c.submit('/settings/program', '/settings/program', gulfForm());
    const interview = await loseDealOn(new Date('2026-11-19T10:00:00+04:00'));
    const { deal } = await upsertDeal(dealInputFor(), actor, 'api');
    const sentAt = new Date('2026-11-23T10:00:00+04:00'); // a Monday
    await followUp([
      {
        record: { _id: `invitation:${String(interview._id)}`, kind: 'invitation', interviewId: interview._id, step: 0 } as unknown as MailSendDoc,
        ctx: {
          interview,
          deal: { ...deal, contacts: [{ name: 'Noor Buyer', email: interview.contact!.email, timeZone: 'Asia/Dubai', primary: true }] } as never,
          program: await loadProgram(),
          settings: await loadEmailSettings(),
          appUrl: app.url,
          secrets: {} as never,
          step: 0,
        },
        sentAt,
      },
    ]);
    const reminders = await MailSend.find({ interviewId: interview._id, kind: mongoose.trusted({ $in: ['reminder', 'last_call'] }) })
      .sort({ step: 1 })
      .lean();
    // Day 4 is Friday 27 (the weekend): Sunday 29 when sending opens. Day 9 is Wednesday 2 December (a
    // holiday, then another, then the weekend): Sunday 6 December.
    expect(reminders.map((r) => dubai(r.dueAt))).to.deep.equal(['Sun 29 Nov, 09:00', 'Sun 6 Dec, 09:00']);
  });

  it('with no working day ticked, or a holiday that is not a date, the page says what is wrong and keeps everything typed', async () => {
    const form = gulfForm();
    for (const d of [1, 2, 3, 4, 7]) delete form[`workingDay${d}`];
    const res = await c.submit('/settings/program', '/settings/program', {
      ...form,
      holidays: '2026-12-25 Christmas Day\n25/12/2026 Boxing <Day>\n2026-02-30 Not a day',
      timeZone: 'Asia/Dubai',
    });
    expect(res.status).to.equal(400);
    expect(res.body).to.match(
      /<p class="field-error" id="workingDays-error">Choose at least one working day: with none, no invitation could ever be sent\.<\/p>/,
    );
    expect(res.body).to.contain('Line 2 (“25/12/2026 Boxing &lt;Day&gt;”): Enter the date as YYYY-MM-DD, such as 2026-12-25.');
    expect(res.body).to.contain('Line 3 (“2026-02-30 Not a day”): Enter the date as YYYY-MM-DD, such as 2026-12-25.');
    expect(res.body).to.contain('>2026-12-25 Christmas Day\n25/12/2026 Boxing &lt;Day&gt;\n2026-02-30 Not a day</textarea>');
    expect(res.body).to.contain('value="Asia/Dubai"');
    expect(res.body).to.contain('href="#workingDays"').and.contain('href="#holidays"');
    expect(await loadProgram()).to.deep.equal(defaultProgram);
  });

  it('the page lists the next holidays and says how many past ones are kept', async () => {
    await saveProgram({
      ...defaultProgram,
      holidays: [
        { date: '2020-01-01', name: 'New Year' },
        { date: '2099-01-01', name: 'New Year' },
        { date: '2099-12-25', name: 'Christmas Day' },
      ],
    });
    const page = await c.get('/settings/program');
    expect(page.body).to.match(/<li>Thu, 1 Jan 2099: New Year<\/li><li>Fri, 25 Dec 2099: Christmas Day<\/li>/);
    expect(page.body).to.contain('1 past date is kept in the list.');
  });

  it('the API keeps the working week and holidays when a client leaves them out', async () => {
    await c.submit('/settings/program', '/settings/program', gulfForm());
    const before = await loadProgram();
    const { workingDays: _w, holidays: _h, ...older } = before;
    await updateProgram({ ...older, holdOffHours: 12 }, actor);
    expect(await loadProgram()).to.deep.equal({ ...before, holdOffHours: 12 });
  });
});
