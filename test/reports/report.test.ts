// The deal-review report on a known data set, through the real app: the funnel, coverage, median, hold-off
// rates, "too few answers" breakdowns, filters that change the numbers, a bad filter reported and left
// out, the themes restricted to the view, and the CSV exports read back with csv-parse.
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { csvCell, toCsv } from '../../src/reports/csv.ts';
import { Deal } from '../../src/deals/model.ts';
import { parseFilters } from '../../src/reports/filters.ts';
import { forgetCachedTemplates } from '../../src/questionnaires/service.ts';
import { latestSnapshot, recomputeThemes } from '../../src/themes/snapshots.ts';
import { ThemeSnapshot } from '../../src/themes/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { expected, seedReportData, specs, tricky, type Seeded } from './seed.ts';

function metric(body: string, name: string): string {
  const m = new RegExp(`data-metric="${name}">([^<]*)<`).exec(body);
  if (!m) throw new Error(`no metric ${name} on the page`);
  return m[1]!.trim();
}

function row(body: string, attr: string, value: string): string {
  const m = new RegExp(`<tr ${attr}="${value}">([\\s\\S]*?)</tr>`).exec(body);
  if (!m) throw new Error(`no row ${attr}=${value}`);
  return m[1]!
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the deal-review report', function () {
  this.timeout(60_000);
  useTestDatabase('reports');
  let app: TestApp;
  let client: Client;
  let seeded: Seeded;
  before(async () => {
    forgetCachedTemplates();
    app = await startTestApp();
    seeded = await seedReportData();
    await buildUser('admin');
    const viewer = await buildUser('viewer');
    client = new Client(app.url);
    await client.signIn(viewer.email, testPassword);
  });
  after(async () => {
    await app.close();
  });

  describe('numbers', () => {
    it('shows the funnel, coverage, response rate and median days of all lost deals', async () => {
      const res = await client.get('/reports');
      expect(res.status).to.equal(200);
      const e = expected.all;
      expect(metric(res.body, 'lost')).to.equal(String(e.lost));
      expect(metric(res.body, 'funnel-invited')).to.equal(String(e.invited));
      expect(metric(res.body, 'funnel-opened')).to.equal(String(e.opened));
      expect(metric(res.body, 'funnel-completed')).to.equal(String(e.completed));
      expect(metric(res.body, 'funnel-declined')).to.equal(String(e.declined));
      expect(metric(res.body, 'funnel-expired')).to.equal(String(e.expired));
      expect(metric(res.body, 'response-rate')).to.equal(e.responseRate);
      expect(metric(res.body, 'coverage')).to.equal(e.coverage);
      expect(metric(res.body, 'median-days')).to.equal(e.median);
    });

    it('the overview gives the same response rate as the report, under the same name (planned, held and excluded interviews count in neither)', async () => {
      const rateOf = (body: string) => {
        const m = /<span class="stat-value"[^>]*>([^<]*)<\/span><span class="stat-label">([^<]*response rate[^<]*)</.exec(body);
        if (!m) throw new Error('no response rate on the page');
        return { value: m[1]!.trim(), name: m[2]!.trim() };
      };
      const report = rateOf((await client.get('/reports')).body);
      const overview = rateOf((await client.get('/')).body);
      expect(report.value).to.equal(expected.all.responseRate);
      expect(overview).to.deep.equal(report);
      expect(overview.name).to.equal(`response rate: completed of invited (${expected.all.completed} of ${expected.all.invited})`);
    });

    it('gives hold-off rates per rep, and "too few" for a rep with fewer than 5 interviews', async () => {
      const res = await client.get('/reports');
      expect(row(res.body, 'data-rep', 'Rita Rep')).to.equal('Rita Rep 8 0 of 8 0%');
      expect(row(res.body, 'data-rep', 'Sam Seller')).to.equal('Sam Seller 4 2 of 3 too few interviews to read');
    });

    it('averages the ratings against the chosen vendor by factor in code, and hides a factor with too few answers', async () => {
      const res = await client.get('/reports');
      expect(row(res.body, 'data-factor', 'integrations')).to.equal('Integrations 7 1.6');
      expect(row(res.body, 'data-factor', 'price')).to.equal('Price 7 3.0');
      expect(row(res.body, 'data-factor', 'trust')).to.equal('Trust 2 too few answers to read');
    });

    it('shows who we lose to and why, with "too few" for a competitor with fewer than 5 answers', async () => {
      const res = await client.get('/reports');
      expect(row(res.body, 'data-competitor', 'Clearpath')).to.match(/^Clearpath 8 6 /);
      expect(row(res.body, 'data-competitor', 'Northwind')).to.equal('Northwind 4 1 too few answers to read');
    });

    it('shows the perception gap between the reps’ reasons and the buyers’', async () => {
      const res = await client.get('/reports');
      expect(res.body).to.match(/On 7 deals with both views, the rep and the buyer gave the same main reason on 3: <strong>43%<\/strong>/);
      expect(res.body).to.match(/<td>Price or commercial terms<\/td><td>Integrations with their stack<\/td><td class="num">4<\/td>/);
    });

    it('draws each chart as SVG with a title, and a table beside it', async () => {
      const res = await client.get('/reports');
      for (const chart of ['funnel', 'holdoffs', 'themes', 'competitors', 'ratings']) {
        expect(res.body, chart).to.match(new RegExp(`<svg [^>]*role="img" aria-labelledby="${chart}-title ${chart}-desc"`));
        expect(res.body).to.contain(`<title id="${chart}-title">`);
      }
      expect(res.body).to.contain('id="funnel-table"').and.contain('id="ratings-table"');
      expect(res.body).to.contain(`data-label="Invited" data-value="${expected.all.invited}"`);
    });
  });

  describe('filters', () => {
    it('a date range changes the numbers, and stays in the links to the exports', async () => {
      const res = await client.get('/reports?from=2026-02-01&to=2026-02-28');
      expect(res.status).to.equal(200);
      const e = expected.february;
      expect(metric(res.body, 'lost')).to.equal(String(e.lost));
      expect(metric(res.body, 'funnel-invited')).to.equal(String(e.invited));
      expect(metric(res.body, 'funnel-opened')).to.equal(String(e.opened));
      expect(metric(res.body, 'funnel-completed')).to.equal(String(e.completed));
      expect(metric(res.body, 'response-rate')).to.equal(e.responseRate);
      expect(metric(res.body, 'coverage')).to.equal(e.coverage);
      expect(metric(res.body, 'median-days')).to.equal(e.median);
      expect(res.body).to.contain('href="/reports/responses.csv?from=2026-02-01&amp;to=2026-02-28"');
    });

    it('a small segment shows "too few answers to read" instead of percentages', async () => {
      const res = await client.get('/reports?segment=SMB');
      const e = expected.smb;
      expect(metric(res.body, 'lost')).to.equal(String(e.lost));
      expect(metric(res.body, 'funnel-invited')).to.equal(String(e.invited));
      expect(metric(res.body, 'response-rate')).to.equal(e.responseRate);
      expect(metric(res.body, 'coverage')).to.equal(e.coverage);
      expect(metric(res.body, 'median-days')).to.equal(e.median);
      expect(res.body).to.contain('data-too-few="themes"');
    });

    it('rep, competitor, region, product line and size band each narrow the view', async () => {
      const lost = async (q: string) => metric((await client.get(`/reports?${q}`)).body, 'lost');
      expect(await lost('rep=sam%40debrief.test')).to.equal('4');
      expect(await lost('rep=Rita+Rep')).to.equal('8');
      expect(await lost('competitor=clearpath')).to.equal('8');
      expect(await lost('region=APAC')).to.equal('4');
      expect(await lost('product=Analytics')).to.equal('8');
      expect(await lost('size=under_10k')).to.equal('4');
      expect(await lost('size=50k_100k&segment=Enterprise')).to.equal('8');
      expect(await lost('size=100k_plus')).to.equal('0');
    });

    it('a bad filter is refused with a message and left out; the other filters still apply', async () => {
      const res = await client.get('/reports?segment=SMB&from=2026-13-45&size=huge');
      expect(res.status).to.equal(400);
      expect(res.body).to.contain('Some filters could not be used');
      expect(res.body).to.contain('Decided from: That date does not exist.');
      expect(res.body).to.contain('Deal size: Choose a deal size');
      expect(metric(res.body, 'lost')).to.equal('4'); // segment=SMB kept
      expect(res.body).to.match(/<option value="SMB" selected>/);
    });

    it('an end date before the start date is reported, and the start date kept', () => {
      const parsed = parseFilters({ from: '2026-03-01', to: '2026-02-01', bogus: 'x' });
      expect(parsed.filters.from?.toISOString()).to.equal('2026-03-01T00:00:00.000Z');
      expect(parsed.filters.to).to.equal(undefined);
      expect(parsed.errors.to?.[0]).to.match(/before the start date/);
      expect(parsed.errors.bogus?.[0]).to.match(/not a filter/);
    });

    it('a parameter named like an Object property is reported as not a filter, not ignored', async () => {
      const res = await client.get('/reports/responses.csv?constructor=1&toString=x&__proto__=y', 'application/json');
      expect(res.status).to.equal(400);
      expect(Object.keys(JSON.parse(res.body).error.details).sort()).to.deep.equal(['__proto__', 'constructor', 'toString']);
    });

    it('the CSV export refuses a bad filter with the message', async () => {
      const res = await client.get('/reports/responses.csv?to=yesterday', 'application/json');
      expect(res.status).to.equal(400);
      expect(JSON.parse(res.body).error.message).to.contain('Decided until: Enter a date as YYYY-MM-DD');
    });
  });

  describe('CSV export', () => {
    it('quotes cells properly and neutralises would-be formulas', () => {
      expect(csvCell('plain')).to.equal('plain');
      expect(csvCell('a,b')).to.equal('"a,b"');
      expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
      expect(csvCell('two\nlines')).to.equal('"two\nlines"');
      expect(csvCell('=1+1')).to.equal("'=1+1");
      expect(csvCell('+1')).to.equal("'+1");
      expect(csvCell('-1')).to.equal("'-1");
      expect(csvCell('@x')).to.equal("'@x");
      expect(csvCell('=HYPERLINK("a","b")')).to.equal(`"'=HYPERLINK(""a"",""b"")"`);
      expect(csvCell(null)).to.equal('');
      expect(toCsv(['a'], [['1']])).to.equal('\uFEFFa\r\n1\r\n');
    });

    it('responses.csv has one row per answer in the view and one column per question, and reads back the same', async () => {
      const res = await client.get('/reports/responses.csv', 'text/csv');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/csv/);
      expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="debrief-answers-\d{4}-\d{2}-\d{2}\.csv"$/);
      const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
      expect(rows).to.have.length(7);
      const header = Object.keys(rows[0]!);
      for (const q of [
        'primary_reason',
        'contributing',
        'chosen_vendor',
        'stage',
        'ratings',
        'why_text',
        'would_have_changed',
        'missing_info',
        'consider_again',
        'call_consent',
      ]) {
        expect(
          header.some((h) => h.startsWith(`${q}: `)),
          q,
        ).to.equal(true);
      }
      const why = header.find((h) => h.startsWith('why_text: '))!;
      const byId = new Map(rows.map((r) => [r.response_id!, r]));
      for (const s of specs.filter((x) => x.answer)) {
        const r = byId.get(seeded.responseIds.get(s.n)!)!;
        expect(r, `answer of deal ${s.n}`).to.not.equal(undefined);
        expect(r.deal).to.equal(`Deal ${s.n}`);
        expect(r.competitor).to.equal(s.competitor);
        // Given by name: as written; else the buyer's contact details (and name and company) are taken out.
        const text =
          s.answer!.permission === 'named' ? s.answer!.why : s.answer!.why.replace('http://evil.example', '[link]').replace('+1 555 0100', '[phone]');
        expect(r[why], `deal ${s.n}`).to.equal(/^[=+\-@]/.test(text) ? `'${text}` : text);
      }
      const first = byId.get(seeded.responseIds.get(1)!)!;
      expect(first[header.find((h) => h.startsWith('primary_reason: '))!]).to.equal('Integrations with their stack');
      expect(first[header.find((h) => h.startsWith('ratings: '))!]).to.equal('Integrations: 1 of 5; Price: 3 of 5; Trust: 4 of 5');
      expect(res.body).to.contain(`"'=HYPERLINK(""[link]"",""click me"")"`);
      expect(res.body).to.not.match(/(^|,)=HYPERLINK/m);
      expect(byId.get(seeded.responseIds.get(3)!)![why]).to.equal(tricky.quoted);
    });

    it('responses.csv honours the filters', async () => {
      const res = await client.get('/reports/responses.csv?from=2026-02-01&to=2026-02-28', 'text/csv');
      const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.deal).sort()).to.deep.equal(['Deal 4', 'Deal 5', 'Deal 6']);
    });

    it('responses.csv shows a change to an answer’s deal on the next download (rows are kept between downloads)', async () => {
      const dealOf = async () => {
        const rows = parse((await client.get('/reports/responses.csv', 'text/csv')).body, { bom: true, columns: true }) as Record<string, string>[];
        return rows.find((r) => r.response_id === seeded.responseIds.get(1))?.deal;
      };
      expect(await dealOf()).to.equal('Deal 1');
      const id = seeded.dealIds.get(1)!;
      await Deal.updateOne({ _id: id }, { $set: { name: 'Deal 1, renamed' } });
      try {
        expect(await dealOf()).to.equal('Deal 1, renamed');
      } finally {
        await Deal.updateOne({ _id: id }, { $set: { name: 'Deal 1' } });
      }
      expect(await dealOf()).to.equal('Deal 1');
    });

    it('themes.csv lists each theme with its size, share and members, and reads back the same', async () => {
      const res = await client.get('/reports/themes.csv?competitor=Clearpath', 'text/csv');
      expect(res.status).to.equal(200);
      const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
      const reasons = rows.filter((r) => r.set === 'reasons');
      const members = reasons.flatMap((r) => r.member_response_ids!.split(' '));
      const clearpath = [1, 2, 3, 4, 5, 6].map((n) => seeded.responseIds.get(n)!);
      expect(members.sort()).to.deep.equal([...clearpath].sort());
      for (const r of reasons) {
        expect(Number(r.size)).to.equal(r.member_response_ids!.split(' ').length);
        expect(Number(r.share)).to.be.closeTo(Number(r.size) / 6, 0.0001);
      }
    });
  });

  describe('themes', () => {
    it('without a themes run, groups the answers by the buyers’ main reason', async () => {
      await ThemeSnapshot.deleteMany({});
      const res = await client.get('/reports');
      expect(res.body).to.contain('Grouped by the buyers’ main reason');
      expect(row(res.body, 'data-theme', 'reason:integrations')).to.equal('Integrations with their stack 4 57%');
      expect(row(res.body, 'data-theme', 'reason:price')).to.equal('Price or commercial terms 3 43%');
    });

    it('with a snapshot, restricts each theme to the answers in the view and recounts it', async () => {
      await recomputeThemes('reasons');
      await recomputeThemes('helped');
      const snapshot = (await latestSnapshot('reasons'))!;
      const feb = new Set([4, 5, 6].map((n) => seeded.responseIds.get(n)!));
      const all = await client.get('/reports');
      expect(all.body).to.contain('Themes as of');
      const filtered = await client.get('/reports?from=2026-02-01&to=2026-02-28');
      let seen = 0;
      for (const t of snapshot.themes) {
        const inView = t.memberIds.filter((id) => feb.has(id)).length;
        if (inView === 0) {
          expect(filtered.body).to.not.contain(`<tr data-theme="${t.id}">`);
          continue;
        }
        seen += inView;
        // 3 answers in the view: sizes are shown, shares are too few to read.
        expect(row(filtered.body, 'data-theme', t.id)).to.match(new RegExp(` ${inView} too few answers to read$`));
        const everywhere = t.memberIds.length;
        expect(row(all.body, 'data-theme', t.id)).to.contain(` ${everywhere} ${Math.round((everywhere / 7) * 100)}%`);
      }
      expect(seen).to.equal(3);
      expect(filtered.body).to.contain('id="helped-table"');
    });

    it('shows quotes only from answers that allowed quoting', async () => {
      const res = await client.get('/reports');
      expect(res.body).to.contain('Their connector to our warehouse worked on day one.');
      expect(res.body).to.not.contain('Too expensive for a team our size.'); // internal only
    });
  });
});
