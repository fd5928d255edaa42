// The accounts feature's face for the rest of the app: who is signed in and what they may do (every
// staff route), the actor the audit log names, staff members as others read them (the interviewers, the
// admins, the digest's readers), the time zone a staff email states times in, and the staff emails the
// outbox sends for accounts. The accounts' model stays inside: others read staff through staff.ts.
export { authorize, type SignedInUser } from './session.ts';
export { can, type Permission } from './permissions.ts';
export { actorOf } from './actor.ts';
export { activeAdmins, activeStaffMember, allStaff, interviewingStaff, isDisabledAccount, type StaffMember } from './staff.ts';
export { timeZoneOfRecipient } from './time-zone.ts';
export { staffEmail, type SendStaffEmail, type StaffEmail } from './emails.ts';
export type { AccountsNeeds } from './needs.ts';
