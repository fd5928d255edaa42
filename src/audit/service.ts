import mongoose from 'mongoose';
import { pageSize, type Page } from '../lib/paging.ts';
import { AuditEntry } from './model.ts';

export interface Actor {
  /** rep_link: a deal's owner through their emailed link (src/replinks), with or without an account. */
  type: 'user' | 'api_key' | 'system' | 'anonymous' | 'rep_link';
  id?: string;
  email?: string;
  ip?: string;
}

export async function audit(actor: Actor, action: string, target?: string, details?: Record<string, string>): Promise<void> {
  await AuditEntry.create({
    at: new Date(),
    actorType: actor.type,
    actorId: actor.id,
    actorEmail: actor.email,
    ip: actor.ip,
    action,
    target,
    details,
  });
}

export interface AuditQuery {
  action?: string | undefined;
  actor?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  page: number;
}

export interface AuditRow {
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  details: string;
}

export async function listAudit(query: AuditQuery): Promise<Page<AuditRow>> {
  const filter: Record<string, unknown> = {};
  if (query.action) filter.action = query.action;
  if (query.actor) filter.actorEmail = query.actor.toLowerCase();
  if (query.from || query.to) filter.at = mongoose.trusted({ ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) });
  const [docs, total] = await Promise.all([
    AuditEntry.find(filter)
      .sort({ at: -1 })
      .skip((query.page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
    AuditEntry.countDocuments(filter),
  ]);
  return {
    items: docs.map((d) => ({
      at: d.at,
      actor: d.actorEmail ?? d.actorType,
      action: d.action,
      target: d.target ?? null,
      ip: d.ip ?? null,
      // lean() returns a Map path as a plain object.
      details: d.details
        ? Object.entries(d.details as unknown as Record<string, string>)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')
        : '',
    })),
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
  };
}

export async function auditActions(): Promise<string[]> {
  return ((await AuditEntry.distinct('action')) as string[]).sort();
}
