// What the buyer's pages are branded with: the company name buyers know (the program's email settings,
// else the display name of MAIL_FROM) and the address to write to (MAIL_FROM's). Kept for a few seconds
// per process: every form page shows it, and it rarely changes. Without the database, the last one known.
import mongoose from 'mongoose';
import type { Config } from '../config.ts';
import { mailFromParts } from '../lib/mailer.ts';
import { loadEmailSettings } from '../outbox/index.ts';

export interface Brand {
  company: string;
  contact: string;
}

const ttlMs = 10_000;
let cached: { brand: Brand; at: number; key: string } | undefined;

export async function brandFor(config: Config): Promise<Brand> {
  const key = `${mongoose.connection.name}/${config.mailFrom}`;
  if (cached && cached.key === key && Date.now() - cached.at < ttlMs) return cached.brand;
  const from = mailFromParts(config.mailFrom);
  let company: string;
  try {
    ({ companyName: company } = await loadEmailSettings(config.mailFrom));
  } catch {
    // The database is away: the pages that say so (and keep the buyer's answers) must still render.
    return cached?.key === key ? cached.brand : { company: from.name, contact: from.address };
  }
  const brand = { company, contact: from.address };
  cached = { brand, at: Date.now(), key };
  return brand;
}

export function initials(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = parts[0]!;
  const last = parts.length > 1 ? parts[parts.length - 1]! : '';
  return (Array.from(first)[0]! + (last ? Array.from(last)[0]! : '')).toUpperCase();
}
