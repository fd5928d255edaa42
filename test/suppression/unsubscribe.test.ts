// The buyer's unsubscribe link through the real app and engine: a mail client's one-click POST (RFC 8058)
// opts out without cookies or a redirect, a GET (a link scanner's, say) changes nothing, a bad link
// reveals nothing, and the list answers for addresses and whole domains.
import { expect } from 'chai';
import { Deal } from '../../src/deals/model.ts';
import { Interview, type InterviewState } from '../../src/interviews/model.ts';
import { loadSecrets, type Secrets } from '../../src/lib/secrets.ts';
import { Suppression } from '../../src/suppression/model.ts';
import { isSuppressed, optOut, removeSuppression, suppressAddress, suppressDomain, unsubscribeHeaders, unsubscribeUrl } from '../../src/suppression/service.ts';
import { useTestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

const system = { type: 'system' as const };

describe('unsubscribing from buyer emails', () => {
  useTestDatabase('unsubscribe');
  const app = useTestApp();
  let secrets: Secrets;
  before(() => {
    secrets = loadSecrets(app.config);
  });
  beforeEach(async () => {
    await clearCollections();
  });

  let n = 0;
  async function buildInterview(state: InterviewState = 'invited', email = 'Bea.Buyer@Acme.example') {
    n += 1;
    const deal = await Deal.create({ source: 'crm', externalId: `D-${n}`, name: 'Acme renewal', buyerCompany: 'Acme', status: 'lost', lostAt: new Date() });
    const interview = await Interview.create({
      dealId: deal._id,
      planKey: `${String(deal._id)}#1`,
      contact: { name: 'Bea Buyer', email, role: 'CFO' },
      state,
      timeline: [{ state, at: new Date() }],
    });
    return { id: String(interview._id), path: new URL(unsubscribeUrl(app.config.appUrl, String(interview._id), secrets)).pathname };
  }

  /** A request as a mail client or a scanner makes it: no cookies, redirects not followed. */
  async function raw(path: string, init: RequestInit = {}) {
    const res = await fetch(`${app.url}${path}`, { ...init, redirect: 'manual' });
    return { status: res.status, body: await res.text(), headers: res.headers };
  }

  function oneClick(path: string, body = 'List-Unsubscribe=One-Click') {
    return raw(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  }

  async function stateOf(id: string) {
    const doc = await Interview.findById(id).lean();
    return { state: doc!.state, timeline: doc!.timeline };
  }

  describe('the link and its headers', () => {
    it('every buyer email can carry the RFC 8058 headers, pointing at a signed link under APP_URL', () => {
      const id = '0123456789abcdef01234567';
      const url = unsubscribeUrl('https://debrief.example.com/', id, secrets);
      expect(url).to.match(/^https:\/\/debrief\.example\.com\/u\/0123456789abcdef01234567\.[A-Za-z0-9_-]{43}$/);
      expect(unsubscribeHeaders('https://debrief.example.com', id, secrets)).to.deep.equal({
        'List-Unsubscribe': `<${url}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      });
      expect(unsubscribeUrl('https://debrief.example.com', '0123456789abcdef01234568', secrets).split('.').pop()).not.to.equal(url.split('.').pop());
    });
  });

  describe('one-click (RFC 8058)', () => {
    it('a POST of List-Unsubscribe=One-Click without cookies opts out, and answers 200 without a redirect or a cookie', async () => {
      const { id, path } = await buildInterview('reminded');

      const res = await oneClick(path);

      expect(res.status).to.equal(200);
      expect(res.headers.get('location')).to.equal(null);
      expect(res.headers.getSetCookie()).to.deep.equal([]);
      expect(res.headers.get('cache-control')).to.contain('no-store');
      expect(res.body).to.contain('You are unsubscribed');
      const after = await stateOf(id);
      expect(after.state).to.equal('opted_out');
      expect(after.timeline.at(-1)).to.include({ state: 'opted_out' });
      expect(after.timeline.at(-1)!.note).to.match(/one-click/);
      const entry = await Suppression.findById('bea.buyer@acme.example').lean();
      expect(entry).to.include({ kind: 'address', source: 'one-click', addedBy: 'buyer' });
      expect(String(entry!.interviewId)).to.equal(id);
      expect(await isSuppressed('bea.buyer@acme.example')).to.equal(true);
    });

    it('is idempotent: a second POST answers the same and changes nothing more', async () => {
      const { id, path } = await buildInterview('invited');
      await oneClick(path);
      const first = await stateOf(id);

      const again = await oneClick(path);

      expect(again.status).to.equal(200);
      expect(again.headers.getSetCookie()).to.deep.equal([]);
      expect((await stateOf(id)).timeline).to.have.length(first.timeline.length);
      expect(await Suppression.countDocuments()).to.equal(1);
    });

    it('also takes the POST as multipart/form-data, which RFC 8058 allows', async () => {
      const { id, path } = await buildInterview('invited');
      const form = new FormData();
      form.set('List-Unsubscribe', 'One-Click');

      const res = await raw(path, { method: 'POST', body: form });

      expect(res.status).to.equal(200);
      expect((await stateOf(id)).state).to.equal('opted_out');
    });

    it('a completed interview keeps its state (the answers are in), but the address goes on the list', async () => {
      const { id, path } = await buildInterview('completed', 'carl@initech.example');

      const res = await oneClick(path);

      expect(res.status).to.equal(200);
      expect((await stateOf(id)).state).to.equal('completed');
      expect(await isSuppressed('carl@initech.example')).to.equal(true);
    });

    it('a POST without List-Unsubscribe=One-Click changes nothing and shows the button again', async () => {
      const { id, path } = await buildInterview('invited');

      const res = await oneClick(path, 'List-Unsubscribe=Maybe');

      expect(res.status).to.equal(400);
      expect(res.body).to.contain('Stop these emails');
      expect((await stateOf(id)).state).to.equal('invited');
      expect(await Suppression.countDocuments()).to.equal(0);
    });
  });

  describe('the link in the email (GET)', () => {
    it('a GET only shows a confirm button and changes nothing (link scanners follow links)', async () => {
      const { id, path } = await buildInterview('invited');

      const res = await raw(path);

      expect(res.status).to.equal(200);
      expect(res.headers.getSetCookie()).to.deep.equal([]);
      expect(res.body).to.contain('Stop these emails');
      expect(res.body).to.contain(`action="${path}"`);
      expect(res.body).to.contain('name="List-Unsubscribe" value="One-Click"');
      expect((await stateOf(id)).state).to.equal('invited');
      expect(await Suppression.countDocuments()).to.equal(0);
      expect((await raw(path, { method: 'HEAD' })).status).to.equal(200);
      expect((await stateOf(id)).state).to.equal('invited');
    });

    it('the confirm button posts the same field, opts out, and is recorded as the link', async () => {
      const { id, path } = await buildInterview('opened');
      const page = await raw(path);
      const fields = [...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]+)">/g)].map((m) => [m[1]!, m[2]!] as [string, string]);

      const res = await oneClick(path, new URLSearchParams(fields).toString());

      expect(res.status).to.equal(200);
      expect(res.headers.getSetCookie()).to.deep.equal([]);
      const after = await stateOf(id);
      expect(after.state).to.equal('opted_out');
      expect(after.timeline.at(-1)!.note).to.match(/page the email links to/);
      expect(await Suppression.findById('bea.buyer@acme.example').lean()).to.include({ source: 'unsubscribe-link' });
      expect((await raw(path)).body).to.contain('You are already unsubscribed');
    });
  });

  describe('a bad link', () => {
    it('answers a friendly 404 that reveals nothing, for a GET and a POST, and changes nothing', async () => {
      const { id, path } = await buildInterview('invited');
      const other = await buildInterview('invited', 'other@acme.example');
      const sig = path.split('.').pop()!;
      const flip = (c: string) => (c === 'A' ? 'B' : 'A');
      const tampered = `${path.slice(0, -20)}${flip(path.at(-20)!)}${path.slice(-19)}`;
      // The last character has two spare bits: another spelling of the same signature is refused too.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const respelled = `${path.slice(0, -1)}${alphabet[alphabet.indexOf(path.at(-1)!) ^ 1]}`;
      expect(Buffer.from(respelled.split('.').pop()!, 'base64url')).to.deep.equal(Buffer.from(sig, 'base64url'));
      const swapped = `/u/${other.id}.${sig}`;
      const unknown = new URL(unsubscribeUrl(app.config.appUrl, '0123456789abcdef01234567', secrets)).pathname;

      for (const bad of [tampered, respelled, swapped, unknown, `/u/${id}`, `/u/${id}.short`, '/u/', '/u/a/b']) {
        for (const method of ['GET', 'POST']) {
          const res = method === 'GET' ? await raw(bad) : await oneClick(bad);
          expect(res.status, `${method} ${bad}`).to.equal(404);
          expect(res.headers.getSetCookie(), `${method} ${bad}`).to.deep.equal([]);
          expect(res.body).to.contain('This link does not work');
          expect(res.body).not.to.contain('acme.example');
          expect(res.body).not.to.contain('Acme');
          expect(res.body).not.to.contain('Stop these emails');
        }
      }
      expect((await stateOf(id)).state).to.equal('invited');
      expect((await stateOf(other.id)).state).to.equal('invited');
      expect(await Suppression.countDocuments()).to.equal(0);
    });
  });

  describe('the check before every send', () => {
    it('finds an address whatever its case, and everyone at a suppressed domain', async () => {
      await suppressAddress('Ada@Example.com', { source: 'bounce', actor: system });
      await suppressDomain('@Globex.EXAMPLE', { source: 'marketer', actor: system });

      expect(await isSuppressed('ada@example.com')).to.equal(true);
      expect(await isSuppressed('  ADA@EXAMPLE.COM ')).to.equal(true);
      expect(await isSuppressed('bob@example.com')).to.equal(false);
      expect(await isSuppressed('anyone@globex.example')).to.equal(true);
      expect(await isSuppressed('Hank@GLOBEX.example')).to.equal(true);
      expect(await isSuppressed('hank@sub.globex.example')).to.equal(false);
      expect(await isSuppressed('ada@example.co')).to.equal(false);
    });

    it('answers from what it looked up only while the list is unchanged: an entry added or removed counts at once', async () => {
      // The sender keeps its lookups under the list's change token; each write renews the token.
      expect(await isSuppressed('ada@example.com')).to.equal(false);
      expect(await isSuppressed('bob@globex.example')).to.equal(false);
      await suppressAddress('ada@example.com', { source: 'one-click', actor: system });
      await suppressDomain('globex.example', { source: 'marketer', actor: system });
      expect(await isSuppressed('ada@example.com')).to.equal(true);
      expect(await isSuppressed('bob@globex.example')).to.equal(true);
      await removeSuppression('@globex.example', system);
      expect(await isSuppressed('bob@globex.example')).to.equal(false);
      // Written past the service (an import, another tool using the models): counted just the same.
      await Suppression.create({ _id: '@initech.example', kind: 'domain', source: 'marketer', addedBy: 'system' });
      expect(await isSuppressed('peter@initech.example')).to.equal(true);
    });

    it('adding the same address twice keeps one entry, as it was', async () => {
      const first = await suppressAddress('ada@example.com', { source: 'bounce', actor: system, note: 'hard bounce' });
      const second = await suppressAddress('ADA@example.com', { source: 'marketer', actor: system });
      expect(first.created).to.equal(true);
      expect(second.created).to.equal(false);
      expect(second.entry).to.include({ key: 'ada@example.com', source: 'bounce', note: 'hard bounce' });
      expect(await Suppression.countDocuments()).to.equal(1);
    });

    it('optOut is idempotent when called directly, and refuses an unknown interview', async () => {
      const { id } = await buildInterview('planned');
      expect(await optOut(id, 'one-click')).to.deep.equal({ state: 'opted_out', changed: true });
      expect(await optOut(id, 'link')).to.deep.equal({ state: 'opted_out', changed: false });
      let error: unknown;
      await optOut('0123456789abcdef01234567', 'link').catch((err: unknown) => (error = err));
      expect((error as { status?: number }).status).to.equal(404);
    });
  });
});
