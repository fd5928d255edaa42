// What Debrief holds about a buyer, feature by feature: each feature that keeps something of a buyer
// describes it here as a part (src/<feature>/privacy.ts), saying how to export it, erase it and delete it
// past the retention period; src/privacy/parts.ts lists the parts in the order erasure runs them.
import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';

export const erasedName = 'Erased';

/** A stable stand-in for an erased address, so counts per contact still add up without the address. */
export function erasedEmail(email: string): string {
  return `erased-${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16)}@erased.invalid`;
}

/** One erasure as it goes through the parts: what later parts need of what earlier ones found. */
export interface Erasure {
  /** The buyer's address, lower-case. */
  readonly email: string;
  /** What replaces the address (erasedEmail). */
  readonly standIn: string;
  /** The buyer's interviews, found by their address (set by the interviews part, which runs before the parts that read it). */
  interviewIds: Types.ObjectId[];
  /** Those interviews' answers. */
  responseIds: string[];
}

/** One retention run: the answers it deleted (set by the interviews part), for the parts that keep copies. */
export interface Expiry {
  /** Answers submitted before this go. */
  readonly cutoff: Date;
  responseIds: string[];
}

type Counts = Record<string, number>;
type Sections = Record<string, unknown[]>;

/**
 * S: the sections it adds to a buyer's export; C: what erasing counts (the erasure's result and audit
 * entry); R: what a retention run counts.
 */
export interface BuyerDataPart<S extends Sections = Record<never, never>, C extends Counts = Record<never, never>, R extends Counts = Record<never, never>> {
  /** A short name, for the coverage test's messages. */
  name: string;
  /** What it holds about a buyer, in a line. */
  holds: string;
  /** The mongoose models it covers: the coverage test (test/privacy/coverage.test.ts) checks every model is covered or listed as holding no buyer data. */
  models: readonly { modelName: string }[];
  export?(email: string): Promise<S>;
  erase?(erasure: Erasure): Promise<C>;
  expire?(expiry: Expiry): Promise<R>;
}

/** Declares a part; the types of its sections and counts carry through to the export and the results. */
export function buyerData<S extends Sections = Record<never, never>, C extends Counts = Record<never, never>, R extends Counts = Record<never, never>>(
  part: BuyerDataPart<S, C, R>,
): BuyerDataPart<S, C, R> {
  return part;
}

/**
 * The update that erases each entry of a contact list at `path` holding the address, wherever it is in
 * the list: its name and address replaced, the rest but `primary` gone. Use with erasedContactFilter.
 */
export function erasedContact(path: string, erasure: Erasure) {
  return {
    $set: { [`${path}.$[c].name`]: erasedName, [`${path}.$[c].email`]: erasure.standIn },
    $unset: { [`${path}.$[c].role`]: 1, [`${path}.$[c].timeZone`]: 1 },
  };
}

export function erasedContactFilter(erasure: Erasure) {
  return { arrayFilters: [{ 'c.email': erasure.email }] };
}

// The parts' sections, counts and retention counts, each merged into one type (a union turned intersection).
type Merge<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
export type SectionsOf<P> = Merge<P extends BuyerDataPart<infer S, Counts, Counts> ? S : never>;
export type ErasureCountsOf<P> = Merge<P extends BuyerDataPart<Sections, infer C, Counts> ? C : never>;
export type ExpiryCountsOf<P> = Merge<P extends BuyerDataPart<Sections, Counts, infer R> ? R : never>;
