// The Debrief fields a CSV column can feed, with the header names CRMs use for them, and the guess that
// pre-fills the mapping page from a file's header row.
import { z } from 'zod';

export const importFields = [
  'externalId',
  'name',
  'buyerCompany',
  'amount',
  'currency',
  'segment',
  'productLine',
  'region',
  'ownerEmail',
  'ownerName',
  'contactName',
  'contactEmail',
  'contactRole',
  'contactTimeZone',
  'status',
  'lostAt',
  'lossType',
  'reasonCode',
  'reasonNote',
  'competitor',
] as const;
export type ImportField = (typeof importFields)[number];

export const requiredFields: readonly ImportField[] = ['externalId', 'name', 'buyerCompany'];

export interface FieldInfo {
  label: string;
  group: 'Deal' | 'Primary buyer contact' | 'Outcome';
  hint?: string;
  /** Header names that mean this field, compared without case, spaces or punctuation; best first. */
  synonyms: string[];
}

export const fieldInfo: Record<ImportField, FieldInfo> = {
  externalId: {
    label: 'Deal id',
    group: 'Deal',
    hint: 'The deal’s id in your CRM: importing the same id again updates that deal.',
    synonyms: ['externalid', 'dealid', 'opportunityid', 'oppid', 'recordid', 'crmid', 'hsobjectid', 'id'],
  },
  name: { label: 'Deal name', group: 'Deal', synonyms: ['dealname', 'opportunityname', 'oppname', 'name', 'deal', 'opportunity', 'dealtitle'] },
  buyerCompany: {
    label: 'Buyer’s company',
    group: 'Deal',
    synonyms: [
      'buyercompany',
      'accountname',
      'companyname',
      'company',
      'account',
      'buyer',
      'customer',
      'customername',
      'organization',
      'organisation',
      'associatedcompany',
    ],
  },
  amount: {
    label: 'Amount',
    group: 'Deal',
    hint: '42000, 42,000.50 or 42000,50; currency signs are ignored.',
    synonyms: ['amount', 'dealamount', 'opportunityamount', 'dealvalue', 'value', 'totalamount', 'acv', 'arr'],
  },
  currency: {
    label: 'Currency',
    group: 'Deal',
    hint: 'Three letters such as USD; USD when empty.',
    synonyms: ['currency', 'currencycode', 'currencyisocode', 'dealcurrency', 'opportunitycurrency', 'dealcurrencycode'],
  },
  segment: { label: 'Segment', group: 'Deal', synonyms: ['segment', 'customersegment', 'marketsegment', 'tier'] },
  productLine: { label: 'Product line', group: 'Deal', synonyms: ['productline', 'productfamily', 'product'] },
  region: { label: 'Region', group: 'Deal', synonyms: ['region', 'salesregion', 'territory', 'geo'] },
  ownerEmail: { label: 'Owner (rep) email', group: 'Deal', synonyms: ['owneremail', 'dealowneremail', 'opportunityowneremail', 'repemail', 'salesrepemail'] },
  ownerName: {
    label: 'Owner (rep) name',
    group: 'Deal',
    synonyms: ['ownername', 'dealowner', 'opportunityowner', 'owner', 'salesrep', 'rep', 'accountexecutive'],
  },
  contactName: {
    label: 'Contact name',
    group: 'Primary buyer contact',
    synonyms: ['contactname', 'primarycontactname', 'primarycontact', 'contact', 'buyername', 'contactfullname'],
  },
  contactEmail: {
    label: 'Contact email',
    group: 'Primary buyer contact',
    synonyms: ['contactemail', 'primarycontactemail', 'buyeremail', 'email', 'emailaddress'],
  },
  contactRole: {
    label: 'Contact role',
    group: 'Primary buyer contact',
    synonyms: ['contactrole', 'contacttitle', 'contactjobtitle', 'jobtitle', 'role', 'title'],
  },
  contactTimeZone: {
    label: 'Contact time zone',
    group: 'Primary buyer contact',
    hint: 'Such as Europe/Berlin.',
    synonyms: ['contacttimezone', 'timezone', 'tz'],
  },
  status: {
    label: 'Status or stage',
    group: 'Outcome',
    hint: 'Lost / Closed Lost, Won / Closed Won, or an open stage; empty leaves the deal as it is.',
    synonyms: ['status', 'dealstatus', 'stage', 'dealstage', 'stagename', 'opportunitystage', 'outcome', 'result'],
  },
  lostAt: {
    label: 'Lost on',
    group: 'Outcome',
    hint: '2024-03-15 is safest; today when empty. On a won row: the day it was won.',
    synonyms: ['lostat', 'lostdate', 'losson', 'datelost', 'closedate', 'closeddate', 'dateclosed', 'closedat'],
  },
  lossType: {
    label: 'Loss type',
    group: 'Outcome',
    hint: 'Competitor, No decision or Other.',
    synonyms: ['losstype', 'losscategory', 'closedlosttype', 'lostreasoncategory'],
  },
  reasonCode: {
    label: 'Reason',
    group: 'Outcome',
    hint: 'A reason code or label from Settings; “other” when empty.',
    synonyms: ['reasoncode', 'lossreason', 'lostreason', 'closedlostreason', 'closelostreason', 'reasonlost', 'reason'],
  },
  reasonNote: {
    label: 'Reason in words',
    group: 'Outcome',
    synonyms: [
      'reasonnote',
      'lossnote',
      'lossreasondetail',
      'lossreasondetails',
      'lostreasondetail',
      'lostreasondetails',
      'closedlostreasondetail',
      'lossdetails',
      'notes',
      'note',
    ],
  },
  competitor: { label: 'Competitor', group: 'Outcome', synonyms: ['competitor', 'lostto', 'primarycompetitor', 'competitorname', 'winningcompetitor'] },
};

/** Column positions (0-based) per field; a field without a column is absent. */
export type Mapping = Partial<Record<ImportField, number>>;

export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Guesses the mapping from the header names. Every (field, header) pair whose header is one of the
 * field's synonyms is a candidate, ranked by how good a synonym it is; the best candidates are taken
 * first, and a header feeds at most one field (so 'Contact Email' goes to the contact even when a looser
 * synonym of another field would also match it).
 */
export function guessMapping(headers: readonly string[]): Mapping {
  const normalised = headers.map(normaliseHeader);
  const candidates: { field: ImportField; column: number; rank: number }[] = [];
  for (const field of importFields) {
    fieldInfo[field].synonyms.map(normaliseHeader).forEach((synonym, rank) => {
      normalised.forEach((h, column) => {
        if (h === synonym) candidates.push({ field, column, rank });
      });
    });
  }
  candidates.sort((a, b) => a.rank - b.rank || a.column - b.column);
  const mapping: Mapping = {};
  const used = new Set<number>();
  for (const c of candidates) {
    if (mapping[c.field] !== undefined || used.has(c.column)) continue;
    mapping[c.field] = c.column;
    used.add(c.column);
  }
  return mapping;
}

/** The mapping form as posted: one `map_<field>` select per field, a column position or ''. */
export function mappingFormSchema(columnCount: number) {
  const shape = Object.fromEntries(importFields.map((f) => [`map_${f}`, z.string().max(10).optional()])) as Record<
    `map_${ImportField}`,
    z.ZodOptional<z.ZodString>
  >;
  // One transform over plain strings, so that a bad column and a missing required field are reported together.
  return z
    .object({ ...shape, _csrf: z.string().optional() })
    .strict()
    .transform((form, ctx) => {
      const mapping: Mapping = {};
      for (const f of importFields) {
        const v = form[`map_${f}`];
        if (v === undefined || v === '') continue;
        const n = Number(v);
        if (Number.isInteger(n) && n >= 0 && n < columnCount) mapping[f] = n;
        else ctx.addIssue({ code: 'custom', path: [`map_${f}`], message: 'Choose one of the file’s columns.' });
      }
      for (const f of requiredFields) {
        if (mapping[f] === undefined && !form[`map_${f}`])
          ctx.addIssue({ code: 'custom', path: [`map_${f}`], message: `Choose the column that holds the ${fieldInfo[f].label.toLowerCase()}.` });
      }
      return mapping;
    });
}
