// Why we win beside why we lose, past the form: themes are computed per outcome (the 'wins' set holds
// won deals' answers only, 'reasons' lost deals' only), a theme on both sides is linked and shown as such
// (themes pages, report, themes export, prep brief), the answers export says which outcome each row is,
// and the rep is asked for their view of a win too (the emailed link), so the perception gap covers wins.
import { expect } from 'chai';
import mongoose, { type Types } from 'mongoose';
import { changeOutcome, markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { Deal } from '../../src/deals/model.ts';
import { buyerLinkToken } from '../../src/interviews/link.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import type { CaughtMailDoc } from '../../src/mail/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { forgetCachedTemplates } from '../../src/questionnaires/service.ts';
import { recomputeThemes } from '../../src/themes/snapshots.ts';
import { formBody } from '../buyer/helpers.ts';
import { dealInputFor } from '../factories/deals.ts';
import { lossInput } from '../../src/deals/schemas.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startTestMail, type TestMail } from '../helpers/mail.ts';
import { dispatchAndDrain, drainJobs } from '../helpers/outbox.ts';
import { buildDigest, runWeeklyDigest } from '../../src/reports/digest.ts';
import { saveDigestSettings } from '../../src/reports/digest-settings.ts';

const actor = { type: 'system' as const, email: 'test' };
const repEmail = 'casey@crm-only.test';

/** CSV text into rows keyed by the header (the exports quote cells with commas). */
function parseCsv(text: string): Record<string, string>[] {
  const lines: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') (cell += '"'), (i += 1);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell.replace(/\r$/, '')), lines.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  const [header, ...rows] = lines;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

describe('won deals: themes per outcome, linked across outcomes, and the rep’s view of a win', function () {
  this.timeout(180_000);
  useTestDatabase('wins_outcomes');
  let app: TestApp;
  let mail: TestMail;
  let staff: Client;
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
    forgetCachedTemplates();
    await saveProgram({ ...defaultProgram, winPercent: 100, contactCooldownDays: 0 });
    await buildUser('admin');
    const mia = await buildUser('marketer', { name: 'Mia Marketer', email: 'mia@debrief.test' });
    staff = new Client(app.url);
    await staff.signIn(mia.email, testPassword);
  });

  /** The buyer answers through the form, step by step without JavaScript, from their link. */
  async function answer(interviewId: Types.ObjectId, steps: Record<string, string | string[]>[]): Promise<void> {
    await Interview.updateOne({ _id: interviewId }, { $set: { state: 'invited' }, $push: { timeline: { state: 'invited', at: new Date() } } });
    const path = `/i/${await buyerLinkToken(interviewId, loadSecrets(app.config))}`;
    for (const [i, step] of steps.entries()) {
      const res = await fetch(`${app.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ _step: String(i + 1), _action: i === steps.length - 1 ? 'submit' : 'next', ...step }),
      });
      expect(res.status, `step ${i + 1}: ${res.status === 303 ? '' : await res.text()}`).to.equal(303);
    }
  }

  async function lostAnswer(reason: string, why: string): Promise<Types.ObjectId> {
    const { deal } = await upsertDeal(dealInputFor({ segment: 'Enterprise', productLine: 'Fleet' }), actor, 'api');
    await markLost(deal._id, lossInput.parse({ lossType: 'competitor', reasonCode: reason, competitor: 'Clearpath' }), actor, 'api');
    const interview = (await Interview.findOne({ dealId: deal._id }).lean())!;
    await answer(interview._id, [
      { a_primary_reason: reason, a_chosen_vendor: 'other', 'a_chosen_vendor.other': 'Clearpath' },
      {},
      { a_why_text: why, 'a_why_text.use': 'anonymous' },
      {},
    ]);
    return deal._id;
  }

  async function wonAnswer(reason: string, why: string, owner = 'rep@debrief.test'): Promise<Types.ObjectId> {
    const { deal } = await upsertDeal(
      dealInputFor({ segment: 'Enterprise', productLine: 'Fleet', ownerEmail: owner, ownerName: 'Casey Closer' }),
      actor,
      'api',
    );
    const { plan } = await changeOutcome(deal._id, 'won', actor, 'api');
    expect(plan?.outcome).to.equal('planned');
    const interview = (await Interview.findOne({ dealId: deal._id, outcome: 'won' }).lean())!;
    await answer(interview._id, [{ a_primary_reason: reason, a_runner_up: 'none' }, { a_why_text: why, 'a_why_text.use': 'anonymous' }, {}]);
    return deal._id;
  }

  it('each outcome’s themes hold its own answers; a theme on both sides is linked on the themes pages, the report, the exports and the prep brief', async () => {
    await lostAnswer('implementation', 'Their rollout plan took two weeks, yours three months.');
    await lostAnswer('implementation', 'Your implementation plan would have taken months longer.');
    await lostAnswer('price', 'Too expensive for our budget this year.');
    await wonAnswer('implementation', 'Your implementation plan was the clearest we saw.');
    await wonAnswer('implementation', 'The onboarding timeline convinced our IT team.');
    await wonAnswer('support', 'Support answered every question within the hour.');
    const lostIds = new Set((await InterviewResponse.find({ outcome: mongoose.trusted({ $ne: 'won' }) }).lean()).map((r) => String(r._id)));
    const wonIds = new Set((await InterviewResponse.find({ outcome: 'won' }).lean()).map((r) => String(r._id)));
    expect(lostIds.size).to.equal(3);
    expect(wonIds.size).to.equal(3);

    const losses = await recomputeThemes('reasons');
    const wins = await recomputeThemes('wins');
    const members = (s: typeof wins) => s.themes.flatMap((t) => t.memberIds);
    expect(new Set(members(losses))).to.deep.equal(lostIds);
    expect(new Set(members(wins))).to.deep.equal(wonIds);
    expect(wins.themes.find((t) => t.id === 'implementation')?.size).to.equal(2);

    // The themes pages: a "Why we win" tab, and the theme on both sides says so, linking across.
    const winsPage = await staff.get('/themes?set=wins');
    expect(winsPage.body).to.contain('Why buyers say they chose us');
    expect(winsPage.body).to.match(/data-linked="implementation">[\s\S]*?Also why we lose[\s\S]*?href="\/themes\/reasons\/implementation"/);
    const lossPage = await staff.get('/themes?set=reasons');
    expect(lossPage.body).to.match(/data-linked="implementation">[\s\S]*?Also why we win[\s\S]*?href="\/themes\/wins\/implementation"/);
    expect(lossPage.body).to.not.contain('data-linked="price"');

    // The report: both sides, and the linked theme with how often it decided a win and a loss.
    const report = await staff.get('/reports?segment=Enterprise');
    const linked = /<tr data-linked-theme="Implementation plan and time to value">([\s\S]*?)<\/tr>/.exec(report.body)?.[1] ?? '';
    const cells = [...linked.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.trim());
    expect(cells, 'the theme, how often it decided a win, and a loss').to.deep.equal([
      'Implementation plan and time to value',
      '2 (too few answers to read)',
      '2 (too few answers to read)',
    ]);
    expect(report.body).to.contain('data-too-few="won"');

    // The exports: the outcome of each answer and of each theme, and the link.
    const answersCsv = parseCsv((await staff.get('/reports/responses.csv')).body);
    expect(answersCsv.map((r) => r.outcome).sort()).to.deep.equal(['lost', 'lost', 'lost', 'won', 'won', 'won']);
    expect(answersCsv.filter((r) => r.outcome === 'won').every((r) => r.won_at !== '' && r.questionnaire === 'win@1')).to.equal(true);
    // decided_at: the date the report's "Decided from / until" reads, the win's or the loss's.
    expect(answersCsv.every((r) => r.decided_at !== '' && r.decided_at === (r.outcome === 'won' ? r.won_at : r.lost_at))).to.equal(true);
    const themesCsv = parseCsv((await staff.get('/reports/themes.csv')).body);
    const winTheme = themesCsv.find((r) => r.set === 'wins' && r.theme === 'implementation')!;
    expect(winTheme).to.include({ outcome: 'won', size: '2', linked_theme: 'Implementation plan and time to value' });
    expect(themesCsv.find((r) => r.set === 'reasons' && r.theme === 'price')).to.include({ outcome: 'lost', linked_theme: '' });

    // The prep brief on a similar open deal: why we won similar deals, with the theme that decides both.
    const { deal: open } = await upsertDeal(dealInputFor({ segment: 'Enterprise', productLine: 'Fleet' }), actor, 'api');
    const brief = await staff.get(`/deals/${String(open._id)}`);
    expect(brief.body).to.contain('Why we won similar deals');
    expect(brief.body).to.match(/brief-wins[\s\S]*?Implementation plan and time to value[\s\S]*?decides losses too/);
    expect(brief.body).to.contain('The onboarding timeline convinced our IT team.');
  });

  it('the weekly digest counts this week’s answers about won deals beside those about lost ones', async () => {
    await lostAnswer('price', 'Too expensive for our budget this year.');
    await wonAnswer('support', 'Support answered every question within the hour.');
    const digest = await buildDigest(new Date(Date.now() + 60_000), '2026-W49', app.config.appUrl);
    expect(digest.summary).to.match(
      /^2 new buyer answers this week \([^)]+\): 1 about lost deals, 1 about won deals; 2 answers in all \(1 about lost deals, 1 about won deals\); 1 deal was lost and 1 won this week\.$/,
    );
    expect(digest.subject).to.equal('Debrief weekly digest, 2026-W49: 2 new answers');

    // The email says it too, and that its top themes are about lost deals only.
    const sales = await buildUser('sales', { name: 'Sasha Sales', email: 'sasha@debrief.test' });
    await saveDigestSettings({ enabled: true, weekday: 1, time: '00:00', recipients: 'sales', emails: [], webhookFormat: 'slack' }, { type: 'system' });
    expect(await runWeeklyDigest(app.queue, { appUrl: app.config.appUrl, now: new Date(Date.now() + 60_000) })).to.deep.include({ status: 'sent' });
    await drainJobs(['email.send']);
    const text = (await mail.caught()).find((m) => m.envelopeTo.includes(sales.email))?.text ?? '';
    expect(text).to.contain('1 about lost deals, 1 about won deals').and.contain('Top themes in why we lose:');
  });

  it('the rep is asked for their view of a win by email; the perception gap covers won deals', async () => {
    const { deal } = await upsertDeal(
      dealInputFor({ name: 'Umbrella expansion', segment: 'Enterprise', ownerEmail: repEmail, ownerName: 'Casey Closer' }),
      actor,
      'api',
    );
    await changeOutcome(deal._id, 'won', actor, 'api');
    await dispatchAndDrain(app.queue);
    const notice = (await mail.caught()).find((m: CaughtMailDoc) => m.envelopeTo.includes(repEmail));
    expect(notice?.subject).to.contain('why Umbrella expansion was won');
    expect(notice?.text).to.contain('You marked Umbrella expansion (').and.contain('as won.').and.contain('why do you think the deal was won?');
    const link = new URL(/https?:\/\/\S+\/r\/debrief\/[\w-]{43}/.exec(notice!.text ?? '')![0]).pathname;

    const page = await fetch(`${app.url}${link}`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('Why was Umbrella expansion won?');
    const saved = await fetch(`${app.url}${link}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ reasonCode: 'implementation', note: 'They loved the rollout plan.' }).toString(),
    });
    expect(saved.status).to.equal(303);
    const stored = await Deal.findById(deal._id).lean();
    expect(stored?.winReason).to.deep.include({ code: 'implementation', note: 'They loved the rollout plan.' });
    expect(stored?.repReason?.code ?? null, 'a win’s view is not a loss reason').to.equal(null);

    // The buyer says support; the gap of won deals shows where the two differ.
    const interview = (await Interview.findOne({ dealId: deal._id, outcome: 'won' }).lean())!;
    await answer(interview._id, [{ a_primary_reason: 'support', a_runner_up: 'none' }, {}, {}]);
    const gap = await staff.get('/themes/gap?outcome=won');
    expect(gap.body).to.contain('the reason the rep gave for the win');
    expect(gap.body).to.match(/data-rep="implementation" data-buyer="support">1</);
    expect((await staff.get('/themes/gap')).body).to.contain('id="no-gap"');
    const report = await staff.get('/reports');
    expect(report.body).to.match(/data-metric="win-gap">On won deals: of 1 with both views[^<]*on 0/);
  });
});
