// Every change to a deal, kept: who or what changed which fields, when.
import mongoose, { Schema, type Types } from 'mongoose';
import type { Actor } from '../audit/index.ts';

const historySchema = new Schema(
  {
    dealId: { type: Schema.Types.ObjectId, ref: 'Deal', required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true, maxlength: 320 },
    via: { type: String, required: true, maxlength: 40 },
    event: { type: String, required: true, maxlength: 60 },
    changes: { type: [new Schema({ field: String, from: String, to: String }, { _id: false })], default: [] },
  },
  { versionKey: false },
);
historySchema.index({ dealId: 1, at: -1 });
export const DealHistory = mongoose.model('DealHistory', historySchema);

export interface Change {
  field: string;
  from: string;
  to: string;
}

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (value instanceof Date) return value.toISOString();
  // Contact lists read as their people, not as JSON.
  if (Array.isArray(value))
    return value
      .map((v) => (v && typeof v === 'object' && 'email' in v ? `${String((v as { name?: unknown }).name ?? '')} <${String(v.email)}>` : show(v)))
      .join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The fields whose shown value differs between before and after. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): Change[] {
  return fields.map((field) => ({ field, from: show(before[field]), to: show(after[field]) })).filter((c) => c.from !== c.to);
}

export async function recordHistory(dealId: Types.ObjectId, actor: Actor, via: string, event: string, changes: Change[], at = new Date()): Promise<void> {
  await DealHistory.create({ dealId, at, actor: actor.email ?? actor.type, via, event, changes });
}

/** The deal's last changes, newest first. */
export async function dealHistory(dealId: Types.ObjectId | string, limit = 200) {
  return DealHistory.find({ dealId }).sort({ at: -1, _id: -1 }).limit(limit).lean();
}
