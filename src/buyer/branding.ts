// What the buyer's pages are branded with: the company name buyers know (the program's email settings,
// else the display name of MAIL_FROM) and the address to write to (MAIL_FROM's). Kept for a few seconds
// per process: every form page shows it, and it rarely changes.
import mongoose from 'mongoose';
import type { Config } from '../config.ts';
import { mailFromParts } from '../lib/mailer.ts';
import { loadEmailSettings } from '../outbox/settings.ts';

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
  const { companyName: company } = await loadEmailSettings(config.mailFrom);
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
