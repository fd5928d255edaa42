// Salesforce opportunities, as a record-triggered Flow's HTTP callout (or Apex) posts them: the
// Opportunity's fields as JSON, {"Id": "006...", "StageName": "Closed Lost", "Account": {"Name": ...}}.
// Salesforce's classic Outbound Messages are SOAP XML and are not read here. Field names are listed in
// README.md ("CRM webhooks").
import { ValidationError } from '../lib/errors.ts';
import type { ReasonCode } from '../program/index.ts';
import type { WebhookEventName } from './model.ts';
import { amountFrom, crmEvent, FieldReader, isRecord, lossTypeFor, lostAtFrom, reasonCodeFor } from './fields.ts';
import { messages, type WebhookEvent } from './schemas.ts';

/** Won, lost, back in an open stage, or (no stage sent) just updated. */
function salesforceOutcome(f: FieldReader): WebhookEventName {
  const won = f.flag('won', 'IsWon');
  const closed = f.flag('closed', 'IsClosed');
  const stage = f.text('stage', 'StageName')?.toLowerCase().replace(/\s+/g, ' ');
  if (won === true) return 'deal.won';
  if (closed === true && won === false) return 'deal.lost';
  if (stage === 'closed won') return 'deal.won';
  if (stage === 'closed lost') return 'deal.lost';
  if (closed === true) {
    throw new ValidationError({ IsWon: ['The opportunity is closed in a stage Debrief does not know: include IsWon so that it can tell a win from a loss.'] });
  }
  if (stage !== undefined || closed === false) return 'deal.reopened';
  return 'deal.updated';
}

export function salesforceEvent(body: unknown, reasons: readonly ReasonCode[], now: Date): WebhookEvent {
  if (!isRecord(body)) throw new ValidationError({ _: [messages.notAnObject] });
  // "Account.Name" reads {"Account": {"Name": ...}}, as Salesforce nests related records.
  const lookup = (path: string): unknown => path.split('.').reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), body);
  const f = new FieldReader(lookup);
  const event = salesforceOutcome(f);

  const email = f.text('contacts.0.email', 'Contact_Email__c');
  const name = f.text('contacts.0.name', 'Contact_Name__c');
  const role = f.text('contacts.0.role', 'Contact_Role__c');
  const timeZone = f.text('contacts.0.timeZone', 'Contact_Time_Zone__c');

  const deal = {
    source: 'salesforce',
    externalId: f.text('externalId', 'Id'),
    name: f.text('name', 'Name'),
    buyerCompany: f.text('buyerCompany', 'Account.Name', 'AccountName'),
    amount: amountFrom(f.text('amount', 'Amount')),
    currency: f.text('currency', 'CurrencyIsoCode'),
    segment: f.text('segment', 'Segment__c'),
    productLine: f.text('productLine', 'Product_Line__c'),
    region: f.text('region', 'Region__c'),
    ownerEmail: f.text('ownerEmail', 'Owner.Email', 'OwnerEmail'),
    ownerName: f.text('ownerName', 'Owner.Name', 'OwnerName'),
    contacts: email || name ? [{ name, email, role, timeZone, primary: true }] : [],
  };

  let loss: Record<string, unknown> | undefined;
  if (event === 'deal.lost') {
    const reasonNote = f.text('loss.reasonNote', 'Loss_Reason__c');
    const competitor = f.text('loss.competitor', 'Competitor__c');
    const reasonCode = reasonCodeFor(reasonNote, reasons);
    loss = {
      lossType: lossTypeFor(f.text('loss.lossType', 'Loss_Type__c'), competitor, reasonCode),
      reasonCode,
      reasonNote,
      competitor,
      lostAt: lostAtFrom(f.text('loss.lostAt', 'CloseDate')),
    };
  }

  const occurredAt = f.text('occurredAt', 'LastModifiedDate', 'SystemModstamp');
  return crmEvent(f, { event, occurredAt, occurredAtNames: 'LastModifiedDate', deal, loss }, now);
}
