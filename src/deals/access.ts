// Sales people see and change their own deals only (the deal's owner email is theirs); other roles
// with access to deals see all of them.
import type { SignedInUser } from '../accounts/session.ts';
import { ForbiddenError } from '../lib/errors.ts';

export function ownsDeal(user: SignedInUser, deal: { ownerEmail?: string | null }): boolean {
  return user.role !== 'sales' || (deal.ownerEmail ?? '').toLowerCase() === user.email;
}

export function assertOwnsDeal(user: SignedInUser, deal: { ownerEmail?: string | null }): void {
  if (!ownsDeal(user, deal)) throw new ForbiddenError('This deal belongs to another rep.');
}

/** The owner filter for lists: a sales person's own deals, else none. */
export function ownerScope(user: SignedInUser): string | undefined {
  return user.role === 'sales' ? user.email : undefined;
}
