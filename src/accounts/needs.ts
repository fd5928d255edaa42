// What accounts needs from features above it, handed in where the app is wired (src/app.ts): every page
// asks accounts who is signed in, so it stands below every feature and imports none of them.
import type { SendStaffEmail } from './emails.ts';

export interface AccountsNeeds {
  /** The program's time zone (src/program), which staff follow until they choose their own. */
  programTimeZone(): Promise<string>;
  /** Sends a staff email (an invitation, a reset link) through the outbox (src/outbox/staff.ts). */
  sendStaffEmail: SendStaffEmail;
}
