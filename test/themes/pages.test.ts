// The themes pages on the demo workspace, as marketers and viewers use them: the recompute job runs
// through the real queue and the page shows themes with quotes; new answers schedule one debounced run;
// the perception gap shows the seeded numbers; curation forms need CSRF and the right role, and refuse
// bad input with the error beside the field.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { themesRecomputeJob } from '../../jobs/themes-recompute.ts';
import { seedDemoWorkspace } from '../../src/demo/seed.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { jobsCollection } from '../../src/lib/queue.ts';
import { perceptionGap } from '../../src/reports/gap.ts';
import { ThemeCuration, ThemeRun, ThemeSnapshot } from '../../src/themes/model.ts';
import { debounceMs, themesChanged } from '../../src/themes/schedule.ts';
import { latestSnapshot } from '../../src/themes/snapshots.ts';
import type { ThemeView } from '../../src/themes/types.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';

async function until(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function escaped(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

const jobs = () => mongoose.connection.db!.collection(jobsCollection);

describe('the themes pages', () => {
  useTestDatabase('themes_pages');
  const app = useTestApp({ worker: true });
  const clients: Record<string, Client> = {};
  before(async () => {
    await seedDemoWorkspace(true, createLogger('silent'));
    for (const role of ['admin', 'marketer', 'viewer'] as const) {
      const user = await buildUser(role);
      clients[role] = new Client(app.url);
      await clients[role].signIn(user.email, testPassword);
    }
  });

  it('the demo workspace shows its themes from the start', async () => {
    const page = await clients.viewer!.get('/themes');
    expect(page.status).to.equal(200);
    const snapshot = (await latestSnapshot('reasons'))!;
    expect(snapshot.themes.length).to.be.at.least(3);
    expect(page.body)
      .to.contain(`>${escaped(snapshot.themes[0]!.label)}</a></h3>`)
      .and.contain('<blockquote><p>');
    expect(page.body, 'viewers cannot recompute').not.to.contain('Recompute now');
    // 36 answers over nine reasons: too few for words alone, so the page says the themes are the reasons
    expect(snapshot.method).to.equal('seeds');
    expect(page.body).to.match(/<p class="muted small" id="seeded">Few answers so far, so each theme is a loss reason/);
  });

  it('before the first run the page says so; the recompute job, run by the worker, stores every set and the page shows themes with quotes', async () => {
    await ThemeSnapshot.deleteMany({});
    const empty = await clients.viewer!.get('/themes');
    expect(empty.status).to.equal(200);
    expect(empty.body).to.contain('id="no-themes"').and.contain('Buyers’ reasons').and.contain('Perception gap');

    await app.queue.enqueue(themesRecomputeJob, {});
    // Every set: the lost deals' three and the won deals' one.
    await until(async () => (await ThemeRun.countDocuments({ state: 'done' })) === 4, 'the four sets to be recomputed');
    await until(async () => (await jobs().countDocuments({ name: 'themes.recompute' })) === 0, 'the job to be removed once done');

    for (const set of ['reasons', 'helped', 'reps'] as const) {
      const snapshot = (await latestSnapshot(set))!;
      expect(snapshot, set).to.exist;
      expect(snapshot.total, set).to.be.at.least(30);
      const page = await clients.viewer!.get(`/themes?set=${set}`);
      expect(page.status).to.equal(200);
      expect(page.body).to.contain('id="as-of"').and.contain(`${snapshot.total} answers`);
      const shown = snapshot.themes.filter((t) => t.id !== 'unclear');
      expect(shown.length, set).to.be.at.least(2);
      for (const t of shown) {
        expect(page.body).to.contain(`>${escaped(t.label)}</a></h3>`);
        expect(page.body).to.contain(`<strong>${t.size}</strong> answer`);
        for (const q of t.quotes)
          expect(page.body)
            .to.contain(`<blockquote><p>${escaped(q.text)}</p></blockquote>`)
            .and.contain(`— ${escaped(q.attribution)}`);
      }
      expect(shown.filter((t) => t.quotes.length >= 3).length, `${set}: themes with 3 or more quotes`).to.be.at.least(2);
      if (snapshot.themes.some((t) => t.id === 'unclear')) {
        expect(page.body.lastIndexOf('class="theme ')).to.equal(page.body.indexOf('class="theme theme-unclear"'));
        expect(page.body).to.contain('Unclear: answers that fit no theme');
      }
    }
    // Demo buyers who asked to stay internal are never quoted; anonymous ones are attributed by segment.
    const reasons = await clients.viewer!.get('/themes?set=reasons');
    expect(reasons.body).to.match(/— A buyer at (a small business|a mid-market company|an enterprise company)</);
  });

  it('“Recompute now” queues a run of that set, shows its progress, and the worker finishes it', async () => {
    const before = (await latestSnapshot('helped'))!;
    const res = await clients.marketer!.submit('/themes?set=helped', '/themes/helped/recompute', {});
    expect(res.status).to.equal(303);
    expect(res.location).to.equal('/themes?set=helped');
    await until(async () => (await ThemeRun.findById('helped').lean())?.state === 'done', 'the run to finish');
    const after = (await latestSnapshot('helped'))!;
    expect(after.id).not.to.equal(before.id);
    expect(after.themes.map((t) => t.id)).to.deep.equal(before.themes.map((t) => t.id));

    // While a run is queued, the page shows its progress and refreshes itself.
    await ThemeRun.updateOne({ _id: 'reps' }, { $set: { state: 'running', progress: 0.4 } });
    const running = await clients.marketer!.get('/themes?set=reps');
    expect(running.body).to.contain('Recomputing the themes…').and.contain('<progress max="100" value="40">').and.contain('http-equiv="refresh"');
    const status = JSON.parse((await clients.viewer!.get('/themes/status.json?set=reps', 'application/json')).body) as { state: string; progress: number };
    expect(status).to.include({ state: 'running', progress: 0.4 });
    await ThemeRun.updateOne({ _id: 'reps' }, { $set: { state: 'done', progress: 1 } });
  });

  it('new answers schedule one run a few minutes later, however many arrive', async () => {
    await jobs().deleteMany({ name: 'themes.recompute' });
    const now = new Date();
    await themesChanged(app.queue, now);
    await themesChanged(app.queue, now);
    await themesChanged(app.queue, new Date(now.getTime() + debounceMs - 1));
    const pending = await jobs().find({ name: 'themes.recompute' }).toArray();
    expect(pending).to.have.length(1);
    expect(new Date(pending[0]!.nextRunAt as Date).getTime()).to.equal(now.getTime() + debounceMs);
    expect(pending[0]!.data).to.deep.equal({});
    // Once that run has started, the next answer schedules the next run.
    const later = new Date(now.getTime() + debounceMs + 1);
    await themesChanged(app.queue, later);
    const next = await jobs().find({ name: 'themes.recompute' }).sort({ nextRunAt: 1 }).toArray();
    expect(next.map((j) => new Date(j.nextRunAt as Date).getTime())).to.deep.equal([now.getTime() + debounceMs, later.getTime() + debounceMs]);
    await jobs().deleteMany({ name: 'themes.recompute' });
  });

  it('the perception gap page shows the rep’s reason against the buyer’s for the demo data', async () => {
    const gap = await perceptionGap();
    expect(gap.pairs).to.be.at.least(30);
    expect(gap.agree).to.be.lessThan(gap.pairs); // demo reps blame price more often than buyers do
    const page = await clients.viewer!.get('/themes/gap');
    expect(page.status).to.equal(200);
    expect(page.body).to.contain(`<span class="stat-value" id="gap-pairs">${gap.pairs}</span>`);
    expect(page.body).to.contain(`${Math.round((gap.agree / gap.pairs) * 100)}%`);
    const top = gap.differences[0]!;
    const label = (code: string) => gap.reasons.find((r) => r.code === code)!.label;
    expect(page.body).to.contain(
      `The rep said <strong>${escaped(label(top.repReason))}</strong>, the buyer said <strong>${escaped(label(top.buyerReason))}</strong>: <span class="gap-count">${top.count}</span>`,
    );
    expect(page.body).to.contain(`data-rep="${top.repReason}" data-buyer="${top.buyerReason}">${top.count}<`);
  });

  describe('curation forms', () => {
    let theme: ThemeView;
    let other: ThemeView;
    before(async () => {
      const snapshot = (await latestSnapshot('reasons'))!;
      [theme, other] = snapshot.themes.filter((t) => t.id !== 'unclear') as [ThemeView, ThemeView];
    });
    const path = () => `/themes/reasons/${theme.id}`;

    it('a marketer renames a theme: the new name shows, is audited, and survives the next run', async () => {
      const res = await clients.marketer!.submit(path(), `${path()}/rename`, { label: 'Buyers found us too dear' });
      expect(res.status).to.equal(303);
      expect(res.location).to.equal(path());
      const page = await clients.marketer!.get(path());
      expect(page.body).to.contain('<h1>Buyers found us too dear</h1>').and.contain('is kept when the themes are recomputed');
      await app.queue.enqueue(themesRecomputeJob, { set: 'reasons' });
      const before = (await latestSnapshot('reasons'))!.id;
      await until(async () => (await latestSnapshot('reasons'))!.id !== before, 'the next run');
      expect((await latestSnapshot('reasons'))!.themes.find((t) => t.id === theme.id)!.label).to.equal('Buyers found us too dear');
    });

    it('bad input is refused with the error beside its field, and nothing is recorded', async () => {
      const count = await ThemeCuration.countDocuments();
      const empty = await clients.marketer!.submit(path(), `${path()}/rename`, { label: '   ' });
      expect(empty.status).to.equal(400);
      expect(empty.body).to.contain('<p class="field-error" id="label-error">Enter the theme’s new name.</p>').and.contain('class="error-summary"');
      const taken = await clients.marketer!.submit(path(), `${path()}/rename`, { label: other.label.toUpperCase() });
      expect(taken.status).to.equal(400);
      expect(taken.body).to.contain(`<p class="field-error" id="label-error">Another theme is already called “${escaped(other.label)}”`);
      expect(taken.body).to.contain(`value="${escaped(other.label.toUpperCase())}"`);
      const self = await clients.marketer!.submit(path(), `${path()}/merge`, { mergeInto: theme.id });
      expect(self.status).to.equal(400);
      expect(self.body).to.contain('<p class="field-error" id="mergeInto-error">Choose a different theme');
      const none = await clients.marketer!.submit(path(), `${path()}/merge`, { mergeInto: '' });
      expect(none.body).to.contain('<p class="field-error" id="mergeInto-error">Choose the theme to merge into.</p>');
      const member = theme.memberIds[0]!;
      const nowhere = await clients.marketer!.submit(path(), `${path()}/move`, { responseId: member, moveTo: '' });
      expect(nowhere.status).to.equal(400);
      expect(nowhere.body).to.contain(`<p class="field-error" id="moveTo-${member}-error">Choose the theme to move the answer to.</p>`);
      const stranger = await clients.marketer!.submit(path(), `${path()}/move`, { responseId: other.memberIds[0]!, moveTo: other.id });
      expect(stranger.status).to.equal(400);
      expect(await ThemeCuration.countDocuments()).to.equal(count);
    });

    it('need a CSRF token and the right to curate; viewers see no forms', async () => {
      const count = await ThemeCuration.countDocuments();
      const noToken = await clients.marketer!.post(`${path()}/rename`, { label: 'Sneaky' });
      expect(noToken.status).to.equal(403);
      const viewerPage = await clients.viewer!.get(path());
      expect(viewerPage.status).to.equal(200);
      expect(viewerPage.body).not.to.contain('/rename"').and.not.to.contain('Move to');
      const token = /name="_csrf" value="([^"]+)"/.exec(viewerPage.body)![1]!;
      const viewer = await clients.viewer!.post(`${path()}/rename`, { _csrf: token, label: 'Sneaky' });
      expect(viewer.status).to.equal(403);
      const recompute = await clients.viewer!.post('/themes/reasons/recompute', { _csrf: token });
      expect(recompute.status).to.equal(403);
      expect(await ThemeCuration.countDocuments()).to.equal(count);
    });

    it('a marketer moves an answer and hides a quote from the theme’s page', async () => {
      const member = other.memberIds[0]!;
      const moved = await clients.marketer!.submit(`/themes/reasons/${other.id}`, `/themes/reasons/${other.id}/move`, { responseId: member, moveTo: theme.id });
      expect(moved.status).to.equal(303);
      const now = (await latestSnapshot('reasons'))!;
      expect(now.themes.find((t) => t.id === theme.id)!.memberIds).to.include(member);
      const quote = now.themes.find((t) => t.id === theme.id)!.quotes[0]!;
      const hid = await clients.marketer!.submit(path(), `${path()}/quote`, { responseId: quote.responseId, action: 'hide' });
      expect(hid.status).to.equal(303);
      const page = await clients.marketer!.get('/themes?set=reasons');
      expect(page.body).not.to.contain(`<blockquote><p>${escaped(quote.text)}</p></blockquote>`);
    });
  });
});
