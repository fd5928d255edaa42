// What the API shows of deals, interviews and history: each field named here, typed by the answer
// schemas in schemas.ts (which the OpenAPI document describes), never the database document as is.
import type { Types } from 'mongoose';
import type { StoredDeal } from '../deals/lifecycle.ts';
import { outcomeOf, type InterviewDoc } from '../interviews/index.ts';
import type { ApiDeal, ApiHistoryEntry, ApiInterview } from './schemas.ts';

type StoredInterview = InterviewDoc & { _id: Types.ObjectId };

/** An ISO 8601 instant, or null. */
export function instant(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}

function text(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

export function presentDeal(d: StoredDeal): ApiDeal {
  return {
    id: String(d._id),
    source: d.source,
    externalId: d.externalId,
    name: d.name,
    buyerCompany: d.buyerCompany,
    amount: d.amount ?? null,
    currency: text(d.currency),
    segment: text(d.segment),
    productLine: text(d.productLine),
    region: text(d.region),
    ownerEmail: text(d.ownerEmail),
    ownerName: text(d.ownerName),
    status: d.status,
    lostAt: instant(d.lostAt),
    wonAt: instant(d.wonAt),
    lossType: d.lossType ?? null,
    reasonCode: text(d.repReason?.code),
    reasonNote: text(d.repReason?.note),
    competitor: text(d.competitor),
    contacts: d.contacts.map((c) => ({ name: c.name, email: c.email, role: text(c.role), timeZone: text(c.timeZone), primary: Boolean(c.primary) })),
    createdAt: instant(d.createdAt)!,
    updatedAt: instant(d.updatedAt)!,
  };
}

export function presentInterviewer(i: Pick<StoredInterview, 'interviewer'>): { name: string; email: string } | null {
  return i.interviewer?.email ? { name: i.interviewer.name ?? i.interviewer.email, email: i.interviewer.email } : null;
}

export function presentInterview(i: StoredInterview): ApiInterview {
  const holdOff = i.holdOff?.at || i.holdOff?.reason ? { by: text(i.holdOff.by), reason: text(i.holdOff.reason), at: instant(i.holdOff.at) } : null;
  return {
    id: String(i._id),
    outcome: outcomeOf(i),
    state: i.state,
    contact: { name: i.contact?.name ?? '', email: i.contact?.email ?? '', role: text(i.contact?.role) },
    interviewer: presentInterviewer(i),
    plannedFor: instant(i.plannedFor),
    exclusionReason: text(i.exclusionReason),
    holdOff,
    timeline: i.timeline.map((t) => ({ state: t.state, at: instant(t.at)!, note: text(t.note) })),
    createdAt: instant(i.createdAt)!,
    updatedAt: instant(i.updatedAt)!,
  };
}

export function presentHistory(h: {
  at: Date;
  actor: string;
  via: string;
  event: string;
  changes: { field?: string | null; from?: string | null; to?: string | null }[];
}): ApiHistoryEntry {
  return {
    at: instant(h.at)!,
    actor: h.actor,
    via: h.via,
    event: h.event,
    changes: h.changes.map((c) => ({ field: c.field ?? '', from: c.from ?? '', to: c.to ?? '' })),
  };
}
