// The program settings through the API: GET answers what PUT takes, PUT replaces the whole program
// (validated by the same schema as the settings page), is audited, and steers the next lost deal.
import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/model.ts';
import { Interview } from '../../src/interviews/model.ts';
import { defaultProgram, loadProgram, type Program } from '../../src/program/model.ts';
import { programInput } from '../../src/program/schemas.ts';
import { useTestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { apiClient, type ApiClient } from './client.ts';

const berlinProgram: Program = {
  coolOffBusinessDays: 2,
  timeZone: 'Europe/Berlin',
  sendFrom: '10:00',
  sendUntil: '16:30',
  minimumAmount: 50000,
  segments: ['Enterprise', 'Mid-market'],
  contactCooldownDays: 90,
  holdOffHours: 48,
  reasons: [
    { code: 'price', label: 'Price', buyerLabel: 'The price' },
    { code: 'product_fit', label: 'Product fit', buyerLabel: 'It did not do what we needed' },
    { code: 'security_review', label: 'Failed the security review', buyerLabel: 'Our security review' },
  ],
  interviewerBySegment: [{ segment: 'Enterprise', email: 'ent.lead@debrief.test' }],
  competitors: ['Clearpath', 'Northwind'],
  workingDays: [1, 2, 3, 4, 5],
  holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
  winPercent: 0,
  winPercentBySegment: [{ segment: 'Enterprise', percent: 25 }],
};

describe('the program API', () => {
  useTestDatabase('api_program');
  const app = useTestApp();
  let writer: ApiClient;
  let reader: ApiClient;
  beforeEach(async () => {
    await clearCollections();
    writer = await apiClient(app.url, ['read', 'write'], 'Ops bot');
    reader = await apiClient(app.url, ['read'], 'Reader');
  });

  it('GET answers the program (the defaults at first), in the shape PUT takes', async () => {
    const res = await reader.get('/api/v1/program');
    expect(res.status).to.equal(200);
    expect(res.json.data).to.deep.equal(JSON.parse(JSON.stringify(defaultProgram)));
    expect(programInput.safeParse(res.json.data).success).to.equal(true);
  });

  it('PUT replaces the program, GET reads it back, and the change is audited with the key; the same PUT again changes nothing', async () => {
    const res = await writer.put('/api/v1/program', berlinProgram);
    expect(res.status).to.equal(200);
    expect(res.json.data).to.deep.equal(berlinProgram);
    expect((await reader.get('/api/v1/program')).json.data).to.deep.equal(berlinProgram);
    expect(await loadProgram()).to.deep.equal(berlinProgram);

    const audit = await AuditEntry.find({ action: 'program.updated' }).lean();
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actorType: 'api_key', actorEmail: 'api key Ops bot', target: 'program' });
    const every =
      'coolOffBusinessDays, timeZone, sendFrom, sendUntil, minimumAmount, segments, contactCooldownDays, holdOffHours, reasons, interviewerBySegment, competitors, holidays, winPercentBySegment';
    expect((audit[0]!.details as unknown as Record<string, string>).fields).to.equal(every);

    expect((await writer.put('/api/v1/program', berlinProgram)).status).to.equal(200);
    await writer.put('/api/v1/program', { ...berlinProgram, holdOffHours: 12 });
    const entries = await AuditEntry.find({ action: 'program.updated' }).sort({ at: 1 }).lean();
    expect(entries.map((e) => (e.details as unknown as Record<string, string>).fields)).to.deep.equal([every, 'holdOffHours']);
  });

  it('trims what it is sent and drops repeated segments', async () => {
    const res = await writer.put('/api/v1/program', {
      ...berlinProgram,
      timeZone: ' Europe/Berlin ',
      segments: [' Enterprise', 'Enterprise', 'SMB '],
      reasons: [{ code: ' price ', label: ' Price ' }],
    });
    expect(res.status).to.equal(200);
    // A reason sent without the buyer's wording gets the default one for its code.
    expect(res.json.data).to.deep.include({
      timeZone: 'Europe/Berlin',
      segments: ['Enterprise', 'SMB'],
      reasons: [{ code: 'price', label: 'Price', buyerLabel: 'The price, or the terms of the contract' }],
    });
  });

  it('keeps each reason’s buyer wording apart from its label, and a PUT that leaves the competitors out keeps them', async () => {
    expect((await writer.put('/api/v1/program', berlinProgram)).status).to.equal(200);
    const { competitors: _left, ...older } = berlinProgram; // a client written before the field existed
    const res = await writer.put('/api/v1/program', {
      ...older,
      reasons: [
        { code: 'integrations', label: 'Integrations with their stack' },
        { code: 'fit', label: 'Fit', buyerLabel: ' It lacked a feature ' },
      ],
    });
    expect(res.status).to.equal(200);
    expect(res.json.data.competitors).to.deep.equal(['Clearpath', 'Northwind']);
    expect(res.json.data.reasons).to.deep.equal([
      { code: 'integrations', label: 'Integrations with their stack', buyerLabel: 'It did not work with the tools we use' },
      { code: 'fit', label: 'Fit', buyerLabel: 'It lacked a feature' },
    ]);
    const renamed = await writer.put('/api/v1/program', { ...berlinProgram, competitors: ['Clearpath', ' clearpath', 'Acme'] });
    expect(renamed.json.data.competitors, 'one spelling per vendor').to.deep.equal(['Clearpath', 'Acme']);
  });

  it('the new rules steer the next lost deal', async () => {
    await writer.put('/api/v1/program', berlinProgram);
    await writer.put('/api/v1/deals/crm/small-1', {
      name: 'Small',
      buyerCompany: 'Tiny Co',
      amount: 1000,
      segment: 'Enterprise',
      contacts: [{ name: 'T', email: 't@tiny.example' }],
    });
    const lost = await writer.post('/api/v1/deals/crm/small-1/lost', { lossType: 'other', reasonCode: 'price' });
    expect(lost.json.data.interview.outcome).to.equal('excluded');
    expect(lost.json.data.interview.reason).to.match(/minimum of 50,000/);
    expect(await Interview.countDocuments({ state: 'excluded' })).to.equal(1);
  });

  describe('refuses a program that is not valid, naming the field, and keeps the old one', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone', /time zone such as Europe\/Berlin/],
      ['an offset instead of a zone', { timeZone: '+01:00' }, 'timeZone', /time zone/],
      ['sending hours that close before they open', { sendFrom: '17:00', sendUntil: '09:00' }, 'sendUntil', /later than 17:00/],
      ['sending hours that close as they open', { sendFrom: '09:00', sendUntil: '09:00' }, 'sendUntil', /later than 09:00/],
      ['a time that is not HH:MM', { sendFrom: '9am' }, 'sendFrom', /HH:MM/],
      ['a cool-off over 30 business days', { coolOffBusinessDays: 31 }, 'coolOffBusinessDays', /0 to 30/],
      ['a fractional cool-off', { coolOffBusinessDays: 1.5 }, 'coolOffBusinessDays', /whole number/],
      ['a negative minimum amount', { minimumAmount: -1 }, 'minimumAmount', /0 or more/],
      ['a contact cool-down over two years', { contactCooldownDays: 731 }, 'contactCooldownDays', /0 to 730/],
      ['a hold-off over a week', { holdOffHours: 169 }, 'holdOffHours', /0 to 168/],
      ['a reason code with capitals', { reasons: [{ code: 'Price', label: 'Price' }] }, 'reasons.0.code', /lower-case/],
      ['no reasons at all', { reasons: [] }, 'reasons', /at least one/],
      ['31 reasons', { reasons: Array.from({ length: 31 }, (_, i) => ({ code: `r${i}`, label: `Reason ${i}` })) }, 'reasons', /At most 30/],
      ['an interviewer rule without a valid email', { interviewerBySegment: [{ segment: 'SMB', email: 'nobody' }] }, 'interviewerBySegment.0.email', /email/],
      ['an operator object', { timeZone: { $ne: null } }, 'timeZone', /time zone/],
      ['an unknown field', { sendOnWeekends: true }, 'sendOnWeekends', /Unknown field/],
    ];
    for (const [what, change, field, message] of cases) {
      it(what, async () => {
        await writer.put('/api/v1/program', berlinProgram);
        const res = await writer.put('/api/v1/program', { ...berlinProgram, ...change });
        expect(res.status).to.equal(400);
        expect(res.json.error.code).to.equal('validation_failed');
        expect(res.json.error.details, JSON.stringify(res.json.error.details)).to.have.property(field);
        expect(res.json.error.details[field].join(' ')).to.match(message);
        expect(await loadProgram()).to.deep.equal(berlinProgram);
      });
    }

    it('duplicate reason codes, each repeat named', async () => {
      const res = await writer.put('/api/v1/program', {
        ...berlinProgram,
        reasons: [
          { code: 'price', label: 'Price' },
          { code: 'fit', label: 'Fit' },
          { code: 'price', label: 'Cost' },
        ],
      });
      expect(res.status).to.equal(400);
      expect(res.json.error.details).to.deep.equal({ 'reasons.2.code': ['The code price is used twice: each reason needs its own.'] });
    });

    it('a partial program: PUT takes the whole document, and names what is missing', async () => {
      const res = await writer.put('/api/v1/program', { timeZone: 'Europe/Paris' });
      expect(res.status).to.equal(400);
      expect(res.json.error.details).to.include.keys('coolOffBusinessDays', 'sendFrom', 'sendUntil', 'reasons', 'interviewerBySegment');
      expect(res.json.error.details).not.to.have.property('timeZone');
    });
  });

  it('a read key cannot change the program', async () => {
    const res = await reader.put('/api/v1/program', berlinProgram);
    expect(res.status).to.equal(403);
    expect(res.json.error.code).to.equal('insufficient_scope');
    expect(await loadProgram()).to.deep.equal(defaultProgram);
    expect(await AuditEntry.countDocuments({ action: 'program.updated' })).to.equal(0);
    const hooks = await apiClient(app.url, ['webhooks']);
    expect((await hooks.get('/api/v1/program')).status).to.equal(403);
  });
});
