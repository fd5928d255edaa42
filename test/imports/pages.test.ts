// CSV import as a marketer does it in the pages: upload a CRM export, check the guessed mapping, read the
// preview's validation report, import in the worker, watch the progress; and what stays refused.
import { expect } from 'chai';
import { DealHistory } from '../../src/deals/history.ts';
import { Deal } from '../../src/deals/model.ts';
import { ImportChunk, ImportRun } from '../../src/imports/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { defaultProgram, saveProgram } from '../../src/program/model.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { selectedMapping, uploadAndPreview, uploadCsv, waitForRun } from './helpers.ts';

// A Salesforce-style export: two lost deals, a won one, an open one, and row 5 with three mistakes.
// Recent losses (the planner leaves out losses older than 90 days), as a CRM would write them.
const today = new Date();
const daysAgo = (n: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - n)).toISOString().slice(0, 10);
const lost = { globex: daysAgo(20), acme: daysAgo(17), umbrella: daysAgo(15) };
const crmExport = [
  'Opportunity ID,Opportunity Name,Account Name,Amount,Currency,Stage,Close Date,Loss Reason,Competitor,Contact Name,Contact Email,Contact Title,Segment',
  `OPP-1,Globex analytics,Globex,"42,000",eur,Closed Lost,${lost.globex},Price,Clearpath,Gina Buyer,gina@globex.example,VP Operations,Enterprise`,
  'OPP-2,Initech renewal,Initech,15000,USD,Closed Won,,,,Ivan Init,ivan@initech.example,CFO,Mid-market',
  'OPP-3,Hooli pilot,Hooli,8000,USD,Negotiation/Review,,,,Hank Hooli,hank@hooli.example,,SMB',
  `OPP-4,,Acme,lots,USD,Closed Lost,${lost.acme},Price,,Al Acme,al-at-acme,Buyer,SMB`,
  `OPP-5,Umbrella rollout,Umbrella,"1,000",USD,Closed Lost,${lost.umbrella},,,Uma Brella,uma@umbrella.example,,Enterprise`,
].join('\r\n');

describe('CSV import pages', () => {
  useTestDatabase('import_pages');
  const app = useTestApp({ worker: true });
  beforeEach(async () => {
    await clearCollections();
    await saveProgram({ ...defaultProgram, timeZone: 'Europe/Berlin' });
    await buildUser('admin');
  });

  async function signedIn(role: 'sales' | 'marketer' | 'admin') {
    const user = await buildUser(role);
    const c = new Client(app.url);
    await c.signIn(user.email, testPassword);
    return { c, user };
  }

  it('a marketer uploads a CRM export, checks the guessed mapping and the report, imports it and sees the result', async () => {
    const { c, user } = await signedIn('marketer');
    expect((await c.get('/deals')).body).to.contain('href="/imports/new">Import CSV</a>');

    const uploaded = await uploadCsv(c, crmExport, { source: 'salesforce-export', filename: 'lost-q1.csv' });
    expect(uploaded.status).to.equal(303);
    const mapPage = await c.get(uploaded.location!);
    expect(mapPage.body).to.contain('lost-q1.csv').and.contain('5 rows');
    expect(selectedMapping(mapPage.body)).to.deep.include({
      map_externalId: '0',
      map_name: '1',
      map_buyerCompany: '2',
      map_amount: '3',
      map_currency: '4',
      map_status: '5',
      map_lostAt: '6',
      map_reasonCode: '7',
      map_competitor: '8',
      map_contactName: '9',
      map_contactEmail: '10',
      map_contactRole: '11',
      map_segment: '12',
      map_ownerEmail: '',
      map_lossType: '',
    });
    expect(mapPage.body).to.contain('Globex analytics, Initech renewal'); // example values beside each column

    const mapped = await c.submit(uploaded.location!, uploaded.location!, selectedMapping(mapPage.body));
    expect(mapped.status).to.equal(303);
    const preview = await c.get(mapped.location!);
    expect(preview.body).to.match(/4<\/span> <span class="stat-label">rows ready to import/);
    expect(preview.body).to.match(/1<\/span> <span class="stat-label">row with errors/);
    expect(preview.body).to.contain('row 5: deal name: Enter the deal’s name.');
    expect(preview.body).to.contain('row 5: amount: Enter an amount as a number, such as 25000.');
    expect(preview.body).to.contain('row 5: contact email: Enter an email address such as name@company.com.');
    expect(preview.body)
      .to.contain('€42,000')
      .and.contain('Gina Buyer &lt;gina@globex.example&gt;')
      .and.contain('Lost to a competitor · Clearpath · reason: price');
    expect(preview.body).to.contain('Import 4 valid rows');
    expect(await Deal.countDocuments()).to.equal(0); // nothing imported before the start

    const id = /\/imports\/([0-9a-f]{24})\//.exec(uploaded.location!)![1]!;
    const started = await c.submit(mapped.location!, `/imports/${id}/start`, {});
    expect(started.status).to.equal(303);
    expect(started.location).to.equal(`/imports/${id}`);
    const run = await waitForRun(id);
    expect(run.status).to.equal('done');
    expect(run.counters).to.deep.include({ processed: 5, created: 4, updated: 0, unchanged: 0, lost: 2, interviews: 2, failed: 1 });
    expect(run.rowErrors.map((e) => `${e.row} ${e.field}`)).to.have.members(['5 name', '5 amount', '5 contactEmail']);

    const globex = await Deal.findOne({ source: 'salesforce-export', externalId: 'OPP-1' }).lean();
    expect(globex).to.deep.include({ status: 'lost', lossType: 'competitor', competitor: 'Clearpath', amount: 42000, currency: 'EUR', segment: 'Enterprise' });
    expect(globex!.repReason?.code).to.equal('price');
    expect(globex!.lostAt?.toISOString()).to.equal(`${lost.globex}T00:00:00.000Z`);
    expect(globex!.contacts).to.have.length(1);
    expect(globex!.contacts[0]).to.deep.include({ name: 'Gina Buyer', email: 'gina@globex.example', role: 'VP Operations', primary: true });
    expect((await Deal.findOne({ externalId: 'OPP-2' }).lean())?.status).to.equal('won');
    expect((await Deal.findOne({ externalId: 'OPP-3' }).lean())?.status).to.equal('open');
    const umbrella = await Deal.findOne({ externalId: 'OPP-5' }).lean();
    expect(umbrella).to.deep.include({ status: 'lost', lossType: 'other', amount: 1000 }); // no type or reason given: the defaults
    expect(umbrella!.repReason?.code).to.equal('other');
    expect(await Deal.countDocuments({ externalId: 'OPP-4' })).to.equal(0); // the bad row left nothing behind

    // One interview per lost deal, and every change in the deals' history, by the uploader, via csv.
    const interviews = await Interview.find().lean();
    expect(interviews.map((i) => String(i.dealId)).sort()).to.deep.equal([String(globex!._id), String(umbrella!._id)].sort());
    const history = await DealHistory.find({ dealId: globex!._id }).lean();
    expect(history.map((h) => h.event).sort()).to.deep.equal(['created', 'lost']);
    expect(history.every((h) => h.via === 'csv' && h.actor === user.email)).to.equal(true);
    expect(await DealHistory.findOne({ dealId: (await Deal.findOne({ externalId: 'OPP-2' }).lean())!._id, event: 'won' }).lean()).to.not.equal(null);

    const page = await c.get(`/imports/${id}`);
    expect(page.body).to.contain('<progress id="import-progress" max="5" value="5">');
    expect(page.body).to.contain('Done').and.contain('row 5: contact email: Enter an email address');
    expect(page.body).to.contain(`href="/deals/${String(globex!._id)}">Globex analytics</a>`);
    expect(page.body).not.to.contain('http-equiv="refresh"'); // over: no more refreshing
    expect(page.body).to.contain('<script src="/static/imports.js" defer></script>');

    const json = await c.get(`/imports/${id}/progress.json`, 'application/json');
    expect(json.status).to.equal(200);
    expect(JSON.parse(json.body)).to.deep.include({ id, status: 'done', rowCount: 5, processed: 5, errorCount: 1, finished: true, failure: null });
    expect(JSON.parse(json.body).counters).to.deep.include({ created: 4, lost: 2, interviews: 2 });

    expect((await c.get('/imports')).body)
      .to.contain('lost-q1.csv')
      .and.contain('Done');
    expect(await ImportChunk.countDocuments()).to.equal(0); // the uploaded rows (buyer contacts) are gone once imported
  });

  it('importing the same file again changes nothing and plans no second interview', async () => {
    const { c } = await signedIn('marketer');
    const first = await uploadAndPreview(c, crmExport, { source: 'salesforce-export' });
    await c.submit(`/imports/${first.id}/preview`, `/imports/${first.id}/start`, {});
    await waitForRun(first.id);
    const before = { history: await DealHistory.countDocuments(), interviews: await Interview.countDocuments(), deals: await Deal.find().lean() };

    const again = await uploadAndPreview(c, crmExport, { source: 'salesforce-export' });
    await c.submit(`/imports/${again.id}/preview`, `/imports/${again.id}/start`, {});
    const run = await waitForRun(again.id);
    expect(run.counters).to.deep.include({ processed: 5, created: 0, updated: 0, unchanged: 4, lost: 0, interviews: 0, failed: 1 });
    expect(await DealHistory.countDocuments()).to.equal(before.history);
    expect(await Interview.countDocuments()).to.equal(before.interviews);
    expect(await Deal.find().lean()).to.deep.equal(before.deals);
  });

  it('a later export updates what changed, keeps what the file leaves empty, and reopens or wins', async () => {
    const { c } = await signedIn('marketer');
    const first = await uploadAndPreview(c, crmExport, { source: 'salesforce-export' });
    await c.submit(`/imports/${first.id}/preview`, `/imports/${first.id}/start`, {});
    await waitForRun(first.id);

    const later = [
      'Opportunity ID,Opportunity Name,Account Name,Amount,Stage',
      'OPP-1,Globex analytics,Globex,50000,Closed Lost', // amount up; no loss columns: the loss stays as it was
      'OPP-5,Umbrella rollout,Umbrella,,Prospecting', // reopened; empty amount: kept
    ].join('\n');
    const again = await uploadAndPreview(c, later, { source: 'salesforce-export' });
    await c.submit(`/imports/${again.id}/preview`, `/imports/${again.id}/start`, {});
    const run = await waitForRun(again.id);
    expect(run.counters).to.deep.include({ processed: 2, created: 0, updated: 2, unchanged: 0, lost: 0, interviews: 0, failed: 0 });
    const globex = await Deal.findOne({ externalId: 'OPP-1' }).lean();
    expect(globex).to.deep.include({ amount: 50000, currency: 'EUR', status: 'lost', lossType: 'competitor', competitor: 'Clearpath', segment: 'Enterprise' });
    expect(globex!.contacts[0]?.email).to.equal('gina@globex.example');
    const umbrella = await Deal.findOne({ externalId: 'OPP-5' }).lean();
    expect(umbrella).to.deep.include({ status: 'open', amount: 1000 });
    expect((await Interview.findOne({ dealId: umbrella!._id }).lean())?.state).to.equal('cancelled');
    expect(await Interview.countDocuments()).to.equal(2);
  });

  it('a stopped import says so and resumes from its page', async () => {
    const { c } = await signedIn('marketer');
    const { id } = await uploadAndPreview(c, crmExport, { source: 'salesforce-export' });
    // As the job leaves a run it could not finish (a database outage, say).
    await ImportRun.updateOne({ _id: id }, { $set: { status: 'failed', failure: 'The import stopped because of an error on our side.' } });
    const page = await c.get(`/imports/${id}`);
    expect(page.body).to.contain('The import stopped because of an error on our side.').and.contain('Resume the import');
    const resumed = await c.submit(`/imports/${id}`, `/imports/${id}/start`, {});
    expect(resumed.status).to.equal(303);
    expect((await waitForRun(id)).counters).to.deep.include({ processed: 5, created: 4, failed: 1 });
    expect((await c.get(`/imports/${id}`)).body).not.to.contain('Resume the import');
  });

  it('reads a semicolon-separated file with a byte-order mark, European numbers and day-first dates', async () => {
    const { c } = await signedIn('admin');
    const file = [
      '\uFEFFDeal ID;Deal Name;Company;Amount;Status;Close Date',
      'D-1;Übersetzung GmbH deal;Müller AG;"1.234,50";Open;15/03/2024',
      'D-2;"Zweiter; mit Semikolon";Ärger KG;99,5;;',
      'D-3;Dritter;Drei GmbH;10;Verloren - Closed Lost;04/03/2024',
    ].join('\r\n');
    const { id, mapPage, preview } = await uploadAndPreview(c, file, { source: 'dach', filename: 'Verlorene Deals – München.csv' });
    expect(mapPage.body).to.contain('Verlorene Deals – München.csv');
    expect(selectedMapping(mapPage.body)).to.deep.include({
      map_externalId: '0',
      map_name: '1',
      map_buyerCompany: '2',
      map_amount: '3',
      map_status: '4',
      map_lostAt: '5',
    });
    expect(preview.body).to.contain('Import 3 valid rows').and.contain('on 4 Mar 2024');
    await c.submit(`/imports/${id}/preview`, `/imports/${id}/start`, {});
    expect((await waitForRun(id)).counters.created).to.equal(3);
    expect((await Deal.findOne({ externalId: 'D-3' }).lean())?.lostAt?.toISOString()).to.equal('2024-03-04T00:00:00.000Z');
    expect(await Deal.findOne({ externalId: 'D-1' }).lean()).to.deep.include({
      source: 'dach',
      name: 'Übersetzung GmbH deal',
      buyerCompany: 'Müller AG',
      amount: 1234.5,
    });
    expect(await Deal.findOne({ externalId: 'D-2' }).lean()).to.deep.include({ name: 'Zweiter; mit Semikolon', amount: 99.5 });
  });

  it('admins and marketers may import; sales, viewers and people signed out may not', async () => {
    for (const [role, status] of [
      ['admin', 200],
      ['marketer', 200],
      ['sales', 403],
      ['viewer', 403],
    ] as const) {
      const user = await buildUser(role);
      const client = new Client(app.url);
      await client.signIn(user.email, testPassword);
      for (const path of ['/imports', '/imports/new']) expect((await client.get(path)).status, `${role} on ${path}`).to.equal(status);
    }
    const anonymous = await new Client(app.url).get('/imports/new');
    expect(anonymous.status).to.equal(303);
    expect(anonymous.location).to.equal('/sign-in?next=%2Fimports%2Fnew');
  });

  it('a sales user may not upload, even with a valid form token', async () => {
    const { c } = await signedIn('sales');
    expect((await c.get('/deals')).body).not.to.contain('Import CSV');
    const form = new FormData();
    form.set('file', new Blob([crmExport]), 'x.csv');
    const deals = await c.get('/deals');
    const token = /name="_csrf" value="([^"]+)"/.exec(deals.body)![1]!;
    const res = await c.request(`/imports?_csrf=${encodeURIComponent(token)}`, { method: 'POST', body: form, headers: { accept: 'text/html' } });
    expect(res.status).to.equal(403);
    expect(await ImportRun.countDocuments()).to.equal(0);
  });

  it('an upload needs the CSRF token in its form’s address', async () => {
    const { c } = await signedIn('marketer');
    expect((await uploadCsv(c, crmExport, { token: 'none' })).status).to.equal(403);
    // In the multipart body it is not read: the check runs before the body is parsed.
    expect((await uploadCsv(c, crmExport, { token: 'body' })).status).to.equal(403);
    // The address token counts for uploads only, not for ordinary forms.
    const page = await c.get('/imports/new');
    const token = decodeURIComponent(/_csrf=([^"&]+)/.exec(page.body)![1]!);
    expect((await c.post(`/sign-out?_csrf=${encodeURIComponent(token)}`, {})).status).to.equal(403);
    expect(await ImportRun.countDocuments()).to.equal(0);
  });

  it('says clearly what is wrong with a file it cannot take', async () => {
    const { c } = await signedIn('marketer');
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]);
    const notCsv = await uploadCsv(c, zip, { filename: 'deals.xlsx' });
    expect(notCsv.status).to.equal(400);
    expect(notCsv.body).to.contain('This file is not a CSV file.');
    const empty = await uploadCsv(c, '');
    expect(empty.status).to.equal(400);
    expect(empty.body).to.contain('The file is empty.');
    const headerOnly = await uploadCsv(c, 'Deal ID,Deal Name,Company\r\n');
    expect(headerOnly.body).to.contain('The file has a header row but no rows of deals under it.');
    const unclosed = await uploadCsv(c, 'Deal ID,Deal Name,Company\n1,"Open quote,Acme\n');
    expect(unclosed.body).to.contain('The file could not be read as CSV near line 2: a quoted value is never closed.');
    const tooLarge = await uploadCsv(c, Buffer.alloc(20 * 1024 * 1024 + 1, 'a'));
    expect(tooLarge.status).to.equal(413);
    expect(tooLarge.body).to.contain('The file is larger than 20 MB.');
    const tooMany = await uploadCsv(c, `id,name,company\n${'1,a,b\n'.repeat(100_001)}`);
    expect(tooMany.status).to.equal(400);
    expect(tooMany.body).to.contain('The file has more than 100,000 rows.');
    const wide = await uploadCsv(c, `${Array.from({ length: 501 }, (_, i) => `col${i}`).join(',')}\n1\n`);
    expect(wide.body).to.contain('The header row has more than 500 columns');
    const badSource = await uploadCsv(c, crmExport, { source: 'sales force!' });
    expect(badSource.status).to.equal(400);
    expect(badSource.body).to.contain('Use letters, digits, - and _ only.');
    expect(await ImportRun.countDocuments()).to.equal(0);
    expect(await ImportChunk.countDocuments()).to.equal(0);
  });

  it('the mapping needs a deal id, a name and a company, and keeps the choices on error', async () => {
    const { c } = await signedIn('marketer');
    const uploaded = await uploadCsv(c, 'Ref,Title,Notes\nA-1,Deal,none\n');
    const mapPage = await c.get(uploaded.location!);
    const choices = selectedMapping(mapPage.body);
    expect(choices).to.deep.include({ map_externalId: '', map_name: '', map_buyerCompany: '', map_reasonNote: '2' });
    const res = await c.submit(uploaded.location!, uploaded.location!, { ...choices, map_externalId: '0', map_name: '9' });
    expect(res.status).to.equal(400);
    expect(res.body).to.contain('Choose one of the file’s columns.').and.contain('Choose the column that holds the buyer’s company.');
    expect(selectedMapping(res.body)).to.deep.include({ map_externalId: '0', map_reasonNote: '2' });
    expect((await ImportRun.findOne().lean())?.status).to.equal('uploaded');
  });
});
