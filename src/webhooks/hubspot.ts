// HubSpot's workflow webhooks ("Send a webhook", POST) about a deal, in either of the two bodies the
// action sends: every deal property, nested as {"properties": {"dealname": {"value": ...}}} beside
// objectId (or dealId), or a custom body of flat {"dealname": "..."} pairs chosen by the admin. The
// property names read are listed in README.md ("CRM webhooks").
import { ValidationError } from '../lib/errors.ts';
import type { ReasonCode } from '../program/index.ts';
import type { WebhookEventName } from './model.ts';
import { amountFrom, crmEvent, FieldReader, isRecord, lossTypeFor, lostAtFrom, reasonCodeFor, scalar } from './fields.ts';
import { messages, type WebhookEvent } from './schemas.ts';

/** Won, lost, back in an open stage, or (no stage sent) just updated. */
function hubspotOutcome(f: FieldReader): WebhookEventName {
  const won = f.flag('won', 'hs_is_closed_won');
  const lost = f.flag('lost', 'hs_is_closed_lost');
  const closed = f.flag('closed', 'hs_is_closed');
  const stage = f.text('stage', 'dealstage')?.toLowerCase();
  if (won === true || stage === 'closedwon') return 'deal.won';
  if (lost === true || stage === 'closedlost') return 'deal.lost';
  if (closed === true) {
    if (won === false) return 'deal.lost';
    throw new ValidationError({
      hs_is_closed_won: [
        'The deal is closed in a stage Debrief does not know: include hs_is_closed_won (or hs_is_closed_lost) so that it can tell a win from a loss.',
      ],
    });
  }
  if (stage !== undefined || closed === false || (won === false && lost === false)) return 'deal.reopened';
  return 'deal.updated';
}

export function hubspotEvent(body: unknown, reasons: readonly ReasonCode[], now: Date): WebhookEvent {
  if (!isRecord(body)) throw new ValidationError({ _: [messages.notAnObject] });
  const properties = isRecord(body.properties) ? body.properties : undefined;
  // A property's value, nested ({"value": ...}) or flat, in properties or at the top level.
  const lookup = (name: string): unknown => {
    const nested = properties?.[name];
    if (nested !== undefined) return isRecord(nested) ? nested.value : nested;
    return body[name];
  };
  const f = new FieldReader(lookup);
  const event = hubspotOutcome(f);

  const email = f.text('contacts.0.email', 'buyer_email', 'contact_email');
  const fullName =
    f.text('contacts.0.name', 'buyer_name', 'contact_name') ??
    ([f.text('contacts.0.firstname', 'buyer_firstname', 'contact_firstname'), f.text('contacts.0.lastname', 'buyer_lastname', 'contact_lastname')]
      .filter(Boolean)
      .join(' ') ||
      undefined);
  const role = f.text('contacts.0.role', 'buyer_role', 'contact_role');
  const timeZone = f.text('contacts.0.timeZone', 'buyer_time_zone', 'contact_time_zone');
  const hasContact = Boolean(email || fullName);

  const deal = {
    source: 'hubspot',
    externalId: f.text('externalId', 'hs_object_id', 'objectId', 'dealId'),
    name: f.text('name', 'dealname'),
    buyerCompany: f.text('buyerCompany', 'buyer_company', 'company_name', 'company'),
    amount: amountFrom(f.text('amount', 'amount')),
    currency: f.text('currency', 'deal_currency_code'),
    segment: f.text('segment', 'segment'),
    productLine: f.text('productLine', 'product_line'),
    region: f.text('region', 'region'),
    ownerEmail: f.text('ownerEmail', 'owner_email'),
    ownerName: f.text('ownerName', 'owner_name'),
    contacts: hasContact ? [{ name: fullName, email, role, timeZone, primary: true }] : [],
  };

  let loss: Record<string, unknown> | undefined;
  if (event === 'deal.lost') {
    const reasonNote = f.text('loss.reasonNote', 'closed_lost_reason');
    const competitor = f.text('loss.competitor', 'competitor');
    const reasonCode = reasonCodeFor(reasonNote, reasons);
    loss = {
      lossType: lossTypeFor(f.text('loss.lossType', 'loss_type'), competitor, reasonCode),
      reasonCode,
      reasonNote,
      competitor,
      lostAt: lostAtFrom(f.text('loss.lostAt', 'closedate')),
    };
  }

  // The deal's last change orders events; the nested body also dates each property.
  const stageChangedAt = isRecord(properties?.dealstage) ? scalar(properties.dealstage.timestamp) : undefined;
  const occurredAt = f.text('occurredAt', 'hs_lastmodifieddate') ?? stageChangedAt;
  return crmEvent(f, { event, occurredAt, occurredAtNames: 'hs_lastmodifieddate', deal, loss }, now);
}
