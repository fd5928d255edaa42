// Who may do what: the one table every staff route is checked against.
import type { Role } from './model.ts';

export const permissions = {
  'overview:read': ['admin', 'marketer', 'sales', 'viewer'],
  'reports:read': ['admin', 'marketer', 'sales', 'viewer'],
  'themes:read': ['admin', 'marketer', 'sales', 'viewer'],
  'deals:read': ['admin', 'marketer', 'sales'],
  'interviews:read': ['admin', 'marketer', 'sales'],
  // Which rows: sales reach only their own deals and what is under them (src/deals/access.ts).
  'deals:write': ['admin', 'marketer', 'sales'],
  'interviews:hold': ['admin', 'marketer', 'sales'],
  'deals:import': ['admin', 'marketer'],
  'interviews:manage': ['admin', 'marketer'],
  'settings:read': ['admin', 'marketer'],
  'program:manage': ['admin', 'marketer'],
  'users:manage': ['admin'],
  'audit:read': ['admin'],
  // The dev mailbox holds every buyer's link: admins only (and account mail only for its addressee, src/mail).
  'mailbox:read': ['admin'],
  'mailbox:manage': ['admin'],
  'apikeys:manage': ['admin'],
  // Outgoing webhooks send buyers' answers to other systems: admins only (src/hooks).
  'webhooks:manage': ['admin'],
  'privacy:manage': ['admin'],
  // The set-up checklist on the overview (src/onboarding): those who set the program up see it; the
  // SMTP test and putting the checklist away are an admin's.
  'setup:read': ['admin', 'marketer'],
  'setup:manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}
