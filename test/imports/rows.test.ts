// Reading CSV files and cells the way CRMs export them: encodings, delimiters, header guesses, amounts,
// dates, statuses, and a row's errors named by field.
import { expect } from 'chai';
import { detectDelimiter, parseCsv } from '../../src/imports/csv.ts';
import { guessMapping } from '../../src/imports/fields.ts';
import { defaultReasonTaxonomy } from '../../src/program/taxonomy.ts';
import { isDayFirstDate, readAmount, readDate, readRow, readStatus, toStoredRow, type RowContext } from '../../src/imports/rows.ts';

describe('reading CSV files and cells', () => {
  it('reads UTF-8 with a BOM, Windows-1252 and Excel’s UTF-16, with quotes and any line ending', async () => {
    const utf8 = await parseCsv(Buffer.from('\uFEFFid,name,company\r\n1,"Café, ""the"" deal",Société\n2,"two\nlines",B\r\n', 'utf8'));
    expect(utf8.headers).to.deep.equal(['id', 'name', 'company']);
    expect(utf8.rows.map((r) => r.cells)).to.deep.equal([
      ['1', 'Café, "the" deal', 'Société'],
      ['2', 'two\nlines', 'B'],
    ]);
    const latin = await parseCsv(Buffer.from('id;name;company\n1;Café;Société\n', 'latin1'));
    expect(latin.delimiter).to.equal(';');
    expect(latin.rows[0]!.cells).to.deep.equal(['1', 'Café', 'Société']);
    const utf16 = await parseCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id\tname\tcompany\r\n1\tZoë\tÅse AB\r\n', 'utf16le')]));
    expect(utf16.delimiter).to.equal('\t');
    expect(utf16.rows[0]!.cells).to.deep.equal(['1', 'Zoë', 'Åse AB']);
  });

  it('numbers rows as a spreadsheet does, skipping blank ones, and names blank or repeated headers', async () => {
    const csv = await parseCsv(Buffer.from('id,,name,name\n1,a,b,c\n\n,,,\n2,d,e,f\n'));
    expect(csv.headers).to.deep.equal(['id', 'Column 2', 'name', 'name (2)']);
    expect(csv.rows.map((r) => r.row)).to.deep.equal([2, 5]);
  });

  it('takes the delimiter the header row uses, outside quotes', () => {
    expect(detectDelimiter('a;b;c\n1,2;3')).to.equal(';');
    expect(detectDelimiter('"a;b",c,d\n')).to.equal(',');
    expect(detectDelimiter('single\n1')).to.equal(',');
  });

  it('guesses the mapping from CRM header names, each header used once', () => {
    expect(guessMapping(['Deal Name', 'Deal ID', 'Company Name', 'Deal Stage', 'Close Date', 'Closed Lost Reason', 'Email', 'Deal owner'])).to.deep.equal({
      name: 0,
      externalId: 1,
      buyerCompany: 2,
      status: 3,
      lostAt: 4,
      reasonCode: 5,
      contactEmail: 6,
      ownerName: 7,
    });
    // 'Contact Email' is the contact's; 'Owner Email' the rep's; 'Name' alone is the deal's.
    expect(guessMapping(['Owner Email', 'Contact Email', 'Name', 'ID', 'Account'])).to.deep.equal({
      ownerEmail: 0,
      contactEmail: 1,
      name: 2,
      externalId: 3,
      buyerCompany: 4,
    });
  });

  it('reads amounts as CRMs write them', () => {
    expect(['42000', '42,000', '42,000.50', '42.000,50', '42000,50', '$42,000', '€ 1.234', "1'000", 'USD 900'].map(readAmount)).to.deep.equal([
      42000, 42000, 42000.5, 42000.5, 42000.5, 42000, 1.234, 1000, 900,
    ]);
    expect(readAmount('lots')).to.be.NaN;
    expect(readAmount('1,2,3')).to.be.NaN;
  });

  it('reads dates, slash dates in the file’s order, and refuses impossible ones', () => {
    const iso = (d: Date | undefined) => d?.toISOString().slice(0, 10);
    expect(iso(readDate('2024-03-15', 'mdy'))).to.equal('2024-03-15');
    expect(iso(readDate('2024-03-15 14:30:00', 'mdy'))).to.equal('2024-03-15');
    expect(iso(readDate('15.03.2024', 'mdy'))).to.equal('2024-03-15');
    expect(iso(readDate('3/15/2024', 'mdy'))).to.equal('2024-03-15');
    expect(iso(readDate('04/05/2024', 'dmy'))).to.equal('2024-05-04');
    expect(readDate('31/02/2024', 'dmy')).to.equal(undefined);
    expect(readDate('soon', 'mdy')).to.equal(undefined);
    // A file's slash dates are read day first once one of them cannot be month first.
    expect(['03/04/2024', '15/04/2024', '15.04.2024', '2024-04-15'].map(isDayFirstDate)).to.deep.equal([false, true, false, false]);
  });

  it('reads statuses in common CRM spellings', () => {
    expect(
      ['Closed Lost', 'closedlost', 'LOST', '6 - Closed Lost', 'Closed Won', 'won', 'Negotiation/Review', 'Open', '', 'Closed'].map(readStatus),
    ).to.deep.equal(['lost', 'lost', 'lost', 'lost', 'won', 'won', 'open', 'open', undefined, null]);
  });

  it('names every problem of a row by field, and needs a competitor for a competitive loss', () => {
    const ctx: RowContext = {
      source: 'crm',
      reasons: defaultReasonTaxonomy,
      dateOrder: 'mdy',
      mapping: { externalId: 0, name: 1, buyerCompany: 2, amount: 3, contactName: 4, contactEmail: 5, status: 6, lossType: 7, reasonCode: 8, lostAt: 9 },
    };
    const row = (cells: string[]) => readRow(toStoredRow({ row: 7, cells }, 10), ctx);
    const bad = row(['X-1', '', 'Acme', 'lots', 'Al', 'al-at-acme', 'Closed Lost', 'competitor', 'Price', 'yesterday']);
    expect(bad.ok).to.equal(false);
    expect(!bad.ok && bad.errors.map((e) => `${e.row} ${e.field}: ${e.message}`)).to.deep.equal([
      '7 amount: Enter an amount as a number, such as 25000.',
      '7 name: Enter the deal’s name.',
      '7 contactEmail: Enter an email address such as name@company.com.',
      '7 lostAt: Enter the date as 2024-03-15 (or 15.03.2024, 3/15/2024).',
      '7 competitor: Name the competitor the buyer chose.',
    ]);
    const good = row(['X-2', 'Deal', 'Acme', '', '', '', 'Closed Lost', 'No decision', 'Price or commercial terms', '']);
    expect(good.ok && good.outcome.status === 'lost' && good.outcome.loss).to.deep.include({
      lossType: 'no_decision',
      reasonCode: 'price',
      competitor: undefined,
    });
    expect(good.ok && good.deal.contacts).to.deep.equal([]);
    const extra = readRow(toStoredRow({ row: 3, cells: ['X-3', 'Deal', 'Acme', '', '', '', '', '', '', '', 'spill'] }, 10), ctx);
    expect(!extra.ok && extra.errors[0]!.message).to.contain('more cells than the header row');
  });
});
