// The buyer's form over HTTP, on the real app and engine: the link, the steps without JavaScript, the
// answers and summary fields stored, the unavailable page, guessing limits, cross-site posts, and bad
// input of every kind (each gets a clear answer; nothing stored is lost or changed).
import { expect } from 'chai';
import { FormDraft } from '../../src/buyer/model.ts';
import { Interview, InterviewResponse } from '../../src/interviews/model.ts';
import { forgetCachedTemplates } from '../../src/questionnaires/service.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { captureLogs } from '../helpers/logs.ts';
import { defaultAnswerSteps, formBody, invitedInterview } from './helpers.ts';

const xss = '<script>alert("x")</script><img src=x onerror="alert(1)">';

describe('the buyer’s interview form', () => {
  useTestDatabase('buyer_form');
  const logs = captureLogs('info');
  let app: TestApp;
  let ip = 0;
  // Each test posts from its own client address (the app trusts X-Forwarded-For from loopback, as
  // TRUSTED_PROXIES says), so the guessing limit of one test does not reach the next.
  let from = '';
  before(async () => {
    app = await startTestApp({ logger: logs.logger, env: { TRUSTED_PROXIES: 'loopback' } });
  });
  after(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await clearCollections();
    forgetCachedTemplates();
    await buildUser('admin');
    await buildUser('marketer', { name: 'Mia Marketer' });
    ip += 1;
    from = `198.51.100.${ip}`;
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, { redirect: 'manual', headers: { 'x-forwarded-for': from, ...headers } });
  const post = (path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from, ...headers },
      body: formBody(fields),
    });
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': from, ...headers },
      body: JSON.stringify(body),
    });
  const draftOf = async (id: unknown) => (await FormDraft.findById(id).lean())?.answers as Record<string, unknown> | undefined;

  it('opening the link shows the first step, branded, and marks the interview opened once', async () => {
    const iv = await invitedInterview(app.config);
    const first = await get(iv.path);
    expect(first.status).to.equal(200);
    const page = await first.text();
    expect(page).to.contain('Step 1 of 4').and.contain('Mia Marketer').and.contain('>MM<').and.contain('What was the main reason for your decision?');
    expect(page).to.contain('<legend class="question-label">').and.contain('<label for="a_primary_reason">');
    expect(first.headers.get('set-cookie'), 'buyers get no session cookie').to.equal(null);
    await get(iv.path);
    const interview = await Interview.findById(iv.interviewId).lean();
    expect(interview?.state).to.equal('opened');
    expect(interview?.timeline.filter((t) => t.state === 'opened')).to.have.length(1);
    expect(logs.text()).not.to.contain(iv.token);
  });

  it('answered step by step without JavaScript, it stores the answers as typed and fills the summary fields', async () => {
    const iv = await invitedInterview(app.config);
    await get(iv.path);
    for (const [i, step] of defaultAnswerSteps.entries()) {
      const res = await post(iv.path, { _step: String(i + 1), _action: i === defaultAnswerSteps.length - 1 ? 'submit' : 'next', ...step });
      expect(res.status, `step ${i + 1}: ${res.status === 303 ? '' : await res.text()}`).to.equal(303);
      if (i === 0) expect((await Interview.findById(iv.interviewId).lean())?.state).to.equal('in_progress');
      expect(res.headers.get('location')).to.equal(i === defaultAnswerSteps.length - 1 ? '/i/thanks' : `${iv.path}?step=${i + 2}`);
    }
    const thanks = await get('/i/thanks');
    expect(thanks.status).to.equal(200);
    expect(await thanks.text()).to.contain('Thank you');

    const response = await InterviewResponse.findOne({ interviewId: iv.interviewId }).lean();
    expect(response).to.include({
      templateId: 'default@1',
      templateVersion: 1,
      primaryReason: 'price',
      chosenVendor: 'Clearpath',
      stage: 'proposal',
      whyText: 'Their price was a third lower.',
    });
    expect(response).to.include({
      wouldHaveChangedText: 'A pilot on our data.',
      missingInfoText: 'A security whitepaper.',
      quotePermission: 'anonymous',
      considerAgain: 'maybe',
      callConsent: true,
    });
    expect(response?.contributing).to.deep.equal(['integrations', 'support']);
    expect(response?.participants).to.deep.equal(['it', 'finance']);
    expect(Object.fromEntries(Object.entries(response?.ratings ?? {}))).to.deep.equal({ price: 2, product_fit: 4 });
    expect(response?.answers).to.deep.include({
      primary_reason: 'price',
      ratings: { price: 2, product_fit: 4, trust: 0 },
      chosen_vendor: { choice: 'other', other: 'Clearpath' },
    });
    expect(response?.answers).to.deep.include({ would_have_changed: { text: 'A pilot on our data.', use: 'named' } });
    const interview = await Interview.findById(iv.interviewId).lean();
    expect(interview?.state).to.equal('completed');
    expect(await FormDraft.countDocuments()).to.equal(0);

    // The link now opens the thank-you page, for as long as it lives. The form sent again (a retry after
    // an error, a second tab) gets the thank-you too, which is true, and changes nothing.
    const reopened = await get(iv.path);
    expect(reopened.status).to.equal(200);
    expect(await reopened.text()).to.contain('Thank you, your answers are in');
    const again = await post(iv.path, { _step: '4', _action: 'submit', ...defaultAnswerSteps[3]! });
    expect(again.status).to.equal(303);
    expect(again.headers.get('location')).to.equal('/i/thanks');
    expect(await InterviewResponse.countDocuments()).to.equal(1);
  });

  it('a missing required answer re-renders the step with what was typed, the error beside the field and a linked summary', async () => {
    const iv = await invitedInterview(app.config);
    const res = await post(iv.path, {
      _step: '1',
      _action: 'next',
      a_contributing: ['support'],
      a_chosen_vendor: 'other',
      'a_chosen_vendor.other': 'Typed Vendor Ltd',
    });
    expect(res.status).to.equal(400);
    const page = await res.text();
    expect(page).to.contain('class="error-summary"').and.contain('href="#a_primary_reason"').and.contain('id="a_primary_reason-error"');
    expect(page).to.contain('This question needs an answer.');
    expect(page).to.match(/value="support" checked/);
    expect(page).to.contain('value="Typed Vendor Ltd"');
    // A step with an error saves nothing and does not advance; what was typed is on the page.
    expect(await draftOf(iv.interviewId)).to.deep.equal({});
    expect((await FormDraft.findById(iv.interviewId).lean())?.step).to.equal(0);
  });

  it('going back and reloading shows the saved answers; the form resumes where the buyer left off', async () => {
    const iv = await invitedInterview(app.config);
    expect((await post(iv.path, { _step: '1', ...defaultAnswerSteps[0]! })).status).to.equal(303);
    expect((await post(iv.path, { _step: '2', _action: 'back', 'a_ratings.price': '3' })).headers.get('location')).to.equal(`${iv.path}?step=1`);
    const resumed = await (await get(iv.path)).text();
    expect(resumed).to.contain('Step 2 of 4');
    expect(resumed).to.match(/name="a_ratings\.price" value="3" checked/);
    const first = await (await get(`${iv.path}?step=1`)).text();
    expect(first).to.match(/value="price" checked/);
    // A step not reached yet cannot be opened by address.
    expect(await (await get(`${iv.path}?step=4`)).text()).to.contain('Step 2 of 4');
  });

  it('unknown, malformed and never-sent links all get the same friendly 404 that names nobody', async () => {
    const planned = await invitedInterview(app.config, { state: 'planned' });
    const cancelled = await invitedInterview(app.config, { state: 'cancelled' });
    const bodies: string[] = [];
    for (const path of [
      '/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '/i/not-a-token',
      planned.path,
      cancelled.path,
      `${planned.path}/decline`,
      '/i/x/y/z',
    ]) {
      const res = await get(path);
      expect(res.status, path).to.equal(404);
      bodies.push(await res.text());
    }
    expect(new Set(bodies).size, 'every unavailable link looks the same').to.equal(1);
    expect(bodies[0]).to.contain('This link does not open a form');
    expect(bodies[0]!.match(/mailto:/g), 'the address to write to, once').to.have.length(1);
    for (const name of [planned.contactName, cancelled.contactName, 'Mia Marketer']) expect(bodies[0]).not.to.contain(name);
  });

  it('a real link whose form is over says why, names nobody, and gives the address to write to once', async () => {
    const expired = await invitedInterview(app.config, { state: 'expired' });
    const used = await invitedInterview(app.config, { state: 'completed' });
    const declined = await invitedInterview(app.config, { state: 'declined' });
    const pages = new Map<string, { status: number; body: string }>();
    for (const [name, path] of [
      ['expired', expired.path],
      ['used', used.path],
      ['used, decline', `${used.path}/decline`],
      ['declined', declined.path],
    ] as const) {
      const res = await get(path);
      pages.set(name, { status: res.status, body: await res.text() });
    }
    expect(pages.get('expired')!.status).to.equal(410);
    expect(pages.get('expired')!.body)
      .to.contain('This link has expired')
      .and.match(/The form closed on \d{1,2} \w+ \d{4}/)
      .and.contain('write to us');
    expect(pages.get('used')!.status).to.equal(200);
    expect(pages.get('used')!.body).to.contain('Thank you, your answers are in');
    expect(pages.get('used, decline')!.body).to.contain('Thank you, your answers are in');
    expect(pages.get('declined')!.status).to.equal(200);
    expect(pages.get('declined')!.body).to.contain('We will not ask you about this decision again');
    for (const [name, page] of pages) {
      expect(page.body.match(/mailto:/g), `${name}: the address to write to, once`).to.have.length(1);
      for (const who of [expired.contactName, used.contactName, declined.contactName, 'Mia Marketer']) expect(page.body, name).not.to.contain(who);
    }
    expect((await Interview.findById(expired.interviewId).lean())?.state).to.equal('expired');
  });

  it('guessing links is limited per address; other addresses and working links are unaffected', async () => {
    const iv = await invitedInterview(app.config);
    for (let i = 0; i < 30; i += 1) expect((await get(`/i/${'B'.repeat(42)}${i % 10}`)).status).to.equal(404);
    const limited = await get(`/i/${'C'.repeat(43)}`);
    expect(limited.status).to.equal(429);
    expect(await limited.text()).to.contain('Too many tries');
    expect((await get(iv.path)).status, 'the guessing address is refused even a real link').to.equal(429);
    expect((await get(iv.path, { 'x-forwarded-for': '203.0.113.99' })).status).to.equal(200);
  });

  it('a real link whose interview is over is no guess; the form sent again after completion gets the thank-you', async () => {
    const done = await invitedInterview(app.config);
    for (const [i, fields] of defaultAnswerSteps.entries()) expect((await post(done.path, { _step: String(i + 1), ...fields })).status).to.equal(303);
    expect((await Interview.findById(done.interviewId).lean())?.state).to.equal('completed');
    const expired = await invitedInterview(app.config, { state: 'expired' });
    const last = { _step: String(defaultAnswerSteps.length), ...defaultAnswerSteps.at(-1)! };
    for (let i = 0; i < 35; i += 1) {
      const again = await post(done.path, last);
      expect(again.status).to.equal(303);
      expect(again.headers.get('location')).to.equal('/i/thanks');
      expect((await get(expired.path)).status).to.equal(410);
    }
    expect(await InterviewResponse.countDocuments({ interviewId: done.interviewId })).to.equal(1);
    expect((await get(`/i/${'D'.repeat(43)}`)).status, 'none of that counted towards the guessing limit').to.equal(404);
    expect((await get(done.path)).status, 'opening a used link shows the thank-you').to.equal(200);
  });

  it('a post from another site is refused and changes nothing', async () => {
    const iv = await invitedInterview(app.config);
    await post(iv.path, { _step: '1', ...defaultAnswerSteps[0]! });
    const before = await draftOf(iv.interviewId);
    const foreign = await post(iv.path, { _step: '1', a_primary_reason: 'support', a_chosen_vendor: 'none' }, { origin: 'https://evil.example' });
    expect(foreign.status).to.equal(403);
    const crossSite = await post(`${iv.path}/decline`, {}, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).to.equal(403);
    expect(await draftOf(iv.interviewId)).to.deep.equal(before);
    expect((await Interview.findById(iv.interviewId).lean())?.state).to.equal('in_progress');
    // The browser's own same-origin post, and one from APP_URL, are accepted.
    expect((await post(iv.path, { _step: '1', ...defaultAnswerSteps[0]! }, { origin: 'http://localhost:3000' })).status).to.equal(303);
    expect((await post(iv.path, { _step: '1', ...defaultAnswerSteps[0]! }, { origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'same-origin' })).status).to.equal(
      303,
    );
  });

  it('“No thanks” records a decline, deletes the draft and closes the link', async () => {
    const iv = await invitedInterview(app.config);
    await post(iv.path, { _step: '1', ...defaultAnswerSteps[0]! });
    const confirm = await get(`${iv.path}/decline`);
    expect(confirm.status).to.equal(200);
    const res = await post(`${iv.path}/decline`, {});
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/i/declined');
    const interview = await Interview.findById(iv.interviewId).lean();
    expect(interview?.state).to.equal('declined');
    expect(interview?.timeline.at(-1)?.state).to.equal('declined');
    expect(await FormDraft.countDocuments()).to.equal(0);
    const closed = await get(iv.path);
    expect(closed.status, 'the link no longer opens the form').to.equal(200);
    expect(await closed.text())
      .to.contain('We will not ask you about this decision again')
      .and.not.contain('name="_step"');
  });

  describe('bad input', () => {
    let iv: Awaited<ReturnType<typeof invitedInterview>>;
    let stored: Record<string, unknown> | undefined;
    beforeEach(async () => {
      iv = await invitedInterview(app.config);
      expect((await post(iv.path, { _step: '1', ...defaultAnswerSteps[0]! })).status).to.equal(303);
      expect((await post(iv.path, { _step: '3', _action: 'back', a_why_text: 'Kept answer.', 'a_why_text.use': 'named' })).status).to.equal(303);
      stored = await draftOf(iv.interviewId);
      expect(stored).to.have.property('why_text');
    });
    const unchanged = async () => expect(await draftOf(iv.interviewId)).to.deep.equal(stored);

    it('wrong types and out-of-options choices are refused, naming the field', async () => {
      for (const answers of [
        { primary_reason: 5 },
        { primary_reason: 'bribery' },
        { contributing: 'price' },
        { ratings: { price: 9 } },
        { ratings: { price: '3' } },
        { chosen_vendor: 'Clearpath' },
        { why_text: { text: 42, use: 'named' } },
        { why_text: { text: 'x', use: 'everywhere' } },
        { call_consent: true },
      ]) {
        const res = await postJson(`${iv.path}/answers`, { answers });
        expect(res.status, JSON.stringify(answers)).to.equal(400);
        const body = (await res.json()) as { error: { code: string; details: Record<string, string[]> } };
        expect(body.error.code).to.equal('validation_failed');
        expect(Object.keys(body.error.details).join(' '), JSON.stringify(answers)).to.contain(Object.keys(answers)[0]);
      }
      const form = await post(iv.path, { _step: '1', a_primary_reason: 'bribery', a_chosen_vendor: 'none' });
      expect(form.status).to.equal(400);
      expect(await form.text()).to.contain('Choose one of the options listed.');
      await unchanged();
    });

    it('unknown fields are refused, in JSON and in the form', async () => {
      const json = await postJson(`${iv.path}/answers`, { answers: { primary_reason: 'support', is_admin: true } });
      expect(json.status).to.equal(400);
      expect(JSON.stringify(await json.json())).to.contain('is_admin');
      expect((await postJson(`${iv.path}/answers`, { answers: {}, state: 'completed' })).status).to.equal(400);
      const form = await post(iv.path, { _step: '1', ...defaultAnswerSteps[0]!, a_primary_reason: 'support', state: 'completed' });
      expect(form.status).to.equal(400);
      expect(await form.text()).to.contain('These fields are not part of this form: state');
      const autosave = await post(`${iv.path}/answers`, { _step: '1', a_primary_reason: 'support', 'a_ratings.price': '3' });
      expect(autosave.status).to.equal(400);
      await unchanged();
      expect((await Interview.findById(iv.interviewId).lean())?.state).to.equal('in_progress');
    });

    it('operator objects are refused and reach no query', async () => {
      for (const body of [
        { answers: { primary_reason: { $gt: '' } } },
        { answers: { $where: 'sleep(1000)' } },
        { answers: { 'why_text.text': 'x' } },
        { $set: { state: 'completed' } },
        { answers: { why_text: { text: { $ne: null }, use: 'named' } } },
      ]) {
        const res = await postJson(`${iv.path}/answers`, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
      }
      await unchanged();
    });

    it('a 1 MB answer is refused as too large, in the form and as JSON; a text over its cap comes back with what was typed', async () => {
      const huge = 'x'.repeat(1_000_000);
      const form = await post(iv.path, { _step: '3', a_why_text: huge, 'a_why_text.use': 'named' });
      expect(form.status).to.equal(413);
      expect(await form.text()).to.contain('shorten your answer');
      const json = await postJson(`${iv.path}/answers`, { answers: { why_text: { text: huge, use: 'named' } } });
      expect(json.status).to.equal(413);
      expect(((await json.json()) as { error: { code: string } }).error.code).to.equal('payload_too_large');
      const long = `${'word '.repeat(1000)}and more`;
      const over = await post(iv.path, { _step: '3', a_why_text: long, 'a_why_text.use': 'named' });
      expect(over.status).to.equal(400);
      const page = await over.text();
      expect(page).to.contain('Keep this to 5,000 characters or fewer').and.contain('and more</textarea>');
      await unchanged();
    });

    it('HTML and script come back inert on the form when reloaded and on the staff pages', async () => {
      const saved = await postJson(`${iv.path}/answers`, {
        answers: { why_text: { text: xss, use: 'named' }, chosen_vendor: { choice: 'other', other: xss.slice(0, 150) } },
      });
      expect(saved.status).to.equal(200);
      const step3 = await (await get(`${iv.path}?step=3`)).text();
      expect(step3).not.to.contain('<script>alert').and.not.to.contain('<img src=x');
      expect(step3).to.contain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
      const step1 = await (await get(`${iv.path}?step=1`)).text();
      expect(step1).not.to.contain('<script>alert');
      for (const [i, step] of defaultAnswerSteps.entries()) {
        if (i === 0 || i === 2) continue;
        const fields = i === 3 ? { ...step, _action: 'submit' } : step;
        expect((await post(iv.path, { _step: String(i + 1), ...fields })).status).to.equal(303);
      }
      const response = await InterviewResponse.findOne({ interviewId: iv.interviewId }).lean();
      expect(response?.whyText, 'stored as typed').to.equal(xss);
      const marketer = await buildUser('marketer');
      const c = new Client(app.url);
      await c.signIn(marketer.email, testPassword);
      const staff = await c.get(`/interviews/${String(iv.interviewId)}/answers`);
      expect(staff.status).to.equal(200);
      expect(staff.body).not.to.contain('<script>alert').and.not.to.contain('<img src=x');
      expect(staff.body).to.contain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;').and.contain('may be quoted by name');
      const themes = await c.get('/themes');
      expect(themes.body).not.to.contain('<script>alert');
    });
  });
});

describe('a live interview, filled by a marketer on a call', () => {
  useTestDatabase('buyer_live');
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('is recorded as interviewed by the marketer, with notes, and only marketers and admins may do it', async () => {
    await buildUser('admin');
    const marketer = await buildUser('marketer', { name: 'Lena Live' });
    const iv = await invitedInterview(app.config, { state: 'planned' });
    const c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
    const live = `/interviews/${String(iv.interviewId)}/live`;
    const page = await c.get(live);
    expect(page.status).to.equal(200);
    expect(page.body).to.contain('Live interview').and.contain('name="_notes"').and.contain('name="_csrf"');
    for (const [i, step] of defaultAnswerSteps.entries()) {
      const res = await c
        .submit(`${live}?step=${i + 1}`, live, { _step: String(i + 1), ...flat(step), _notes: `Notes ${xss}`, _action: i === 3 ? 'submit' : 'next' })
        .catch((e: unknown) => {
          throw e;
        });
      expect(res.status, res.body.slice(0, 500)).to.equal(303);
    }
    const response = await InterviewResponse.findOne({ interviewId: iv.interviewId }).lean();
    expect(response?.interviewedBy).to.deep.include({ name: 'Lena Live', email: marketer.email });
    expect(response?.notes).to.equal(`Notes ${xss}`);
    const interview = await Interview.findById(iv.interviewId).lean();
    expect(interview?.state).to.equal('completed');
    expect(interview?.timeline.at(-1)?.note).to.equal('Interviewed live by Lena Live');
    const answers = await c.get(`/interviews/${String(iv.interviewId)}/answers`);
    expect(answers.body).to.contain('Interviewed live by').and.contain('Lena Live').and.not.contain('<script>alert');
    expect((await c.get(live)).status, 'a completed interview takes no more answers').to.equal(409);

    // The deal's rep (the factory's owner) reads the answers, and may not interview.
    const sales = await buildUser('sales', { email: 'rep@debrief.test' });
    const s = new Client(app.url);
    await s.signIn(sales.email, testPassword);
    const other = await invitedInterview(app.config);
    expect((await s.get(`/interviews/${String(other.interviewId)}/live`)).status).to.equal(403);
    expect((await s.get(`/interviews/${String(iv.interviewId)}/answers`)).status).to.equal(200);
  });
});

/** Client.post takes one value a field: repeated fields (checkboxes) are sent with the first value only. */
function flat(fields: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v[0]! : v]));
}
