import type { z } from 'zod';
import { dealInput, lossInput, type DealInput } from '../../src/deals/schemas.ts';

let n = 0;
/** A valid deal as every way in would describe it, parsed by the same schema. */
export function dealInputFor(overrides: Partial<z.input<typeof dealInput>> = {}): DealInput {
  n += 1;
  return dealInput.parse({
    source: 'crm',
    externalId: `D-${n}-${Date.now()}`,
    name: `Deal ${n}`,
    buyerCompany: `Buyer Co ${n}`,
    amount: 20000,
    currency: 'USD',
    segment: 'Mid-market',
    ownerEmail: 'rep@debrief.test',
    contacts: [{ name: `Buyer ${n}`, email: `buyer${n}@buyer${n}.example`, timeZone: 'Europe/Berlin', primary: true }],
    ...overrides,
  });
}

export const competitorLoss = lossInput.parse({ lossType: 'competitor', reasonCode: 'price', competitor: 'Clearpath' });
