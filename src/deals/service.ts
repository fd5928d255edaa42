import mongoose from 'mongoose';
import { Deal, type DealDoc } from './model.ts';
import type { ListDealsQuery } from './schemas.ts';

export const pageSize = 25;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
}

export async function listDeals(query: ListDealsQuery, ownerEmail?: string): Promise<Page<DealDoc & { _id: mongoose.Types.ObjectId }>> {
  const filter: Record<string, unknown> = {};
  if (ownerEmail) filter.ownerEmail = ownerEmail;
  if (query.status) filter.status = query.status;
  if (query.q) {
    const pattern = new RegExp(escapeRegex(query.q), 'i');
    filter.$or = [{ name: pattern }, { buyerCompany: pattern }, { competitor: pattern }];
  }
  const [items, total] = await Promise.all([
    Deal.find(filter).sort({ lostAt: -1, createdAt: -1 }).skip((query.page - 1) * pageSize).limit(pageSize).lean(),
    Deal.countDocuments(filter),
  ]);
  return { items, total, page: query.page, pages: Math.max(1, Math.ceil(total / pageSize)) };
}
