// Staff members as other features read them: who interviews buyers, who the admins are, who gets the
// digest, and whether an address belongs to a disabled account. Read-only; changing accounts is service.ts.
import mongoose from 'mongoose';
import { interviewsBuyers, type Role, User } from './model.ts';

export interface StaffMember {
  id: string;
  email: string;
  name: string;
}

/** Every active user who interviews buyers and has a name (a buyer reads it), by name. */
export async function interviewingStaff(): Promise<{ name: string; email: string }[]> {
  const users = await User.find({ role: mongoose.trusted({ $in: ['marketer', 'admin'] }), disabled: false })
    .select({ name: 1, email: 1, role: 1, interviewsBuyers: 1 })
    .sort({ name: 1 })
    .lean();
  return users.filter((u) => interviewsBuyers(u) && u.name.trim() !== '').map((u) => ({ name: u.name, email: u.email }));
}

/** The active user with this address, if any (a segment's named interviewer may be any of them). */
export async function activeStaffMember(email: string): Promise<StaffMember | null> {
  const user = await User.findOne({ email, disabled: false }).lean();
  return user ? { id: String(user._id), email: user.email, name: user.name } : null;
}

/** The admins whose accounts are not disabled (told when Debrief pauses something on its own). */
export async function activeAdmins(): Promise<StaffMember[]> {
  const admins = await User.find({ role: 'admin', disabled: mongoose.trusted({ $ne: true }) })
    .select({ email: 1, name: 1 })
    .lean();
  return admins.map((a) => ({ id: String(a._id), email: a.email, name: a.name }));
}

/** Every account, disabled ones too, with its role (the digest picks its readers). */
export async function allStaff(): Promise<(StaffMember & { role: Role; disabled: boolean })[]> {
  const users = await User.find({}).select({ email: 1, name: 1, role: 1, disabled: 1 }).lean();
  return users.map((u) => ({ id: String(u._id), email: u.email, name: u.name, role: u.role, disabled: Boolean(u.disabled) }));
}

/** Whether an account with this address exists and was disabled (someone who left). */
export async function isDisabledAccount(email: string): Promise<boolean> {
  const account = await User.findOne({ email }).select({ disabled: 1 }).lean();
  return Boolean(account?.disabled);
}
