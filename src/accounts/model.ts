// Staff users. Passwords are stored only as argon2id hashes; sessionVersion is bumped to sign a user
// out everywhere (every session carries the version it was made with).
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { oneLine } from '../lib/text.ts';

export const roles = ['admin', 'marketer', 'sales', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  marketer: 'Marketer',
  sales: 'Sales',
  viewer: 'Viewer',
};

const userSchema = new Schema(
  {
    email: { type: String, required: true, trim: true, lowercase: true, maxlength: 320, unique: true },
    // One line (see personName in schemas.ts): it becomes the From name of the emails they send.
    name: { type: String, required: true, trim: true, maxlength: 200, match: oneLine },
    role: { type: String, enum: roles, required: true },
    passwordHash: { type: String },
    disabled: { type: Boolean, default: false },
    sessionVersion: { type: Number, default: 1 },
    lastSignInAt: { type: Date },
    // An admin who signs buyers' emails (src/interviews/interviewers.ts): their choice, as buyers get
    // emails in their name and replies come to them. Marketers always interview.
    interviewsBuyers: { type: Boolean },
    // IANA zone the person's pages show times in; unset: the program's (src/accounts/time-zone.ts).
    timeZone: { type: String, trim: true, maxlength: 100 },
  },
  { timestamps: true },
);

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };
export const User = mongoose.model('User', userSchema);

/** Whether this user signs buyers' emails when it is their turn. */
export function interviewsBuyers(user: { role: Role; disabled?: boolean | null; interviewsBuyers?: boolean | null }): boolean {
  if (user.disabled) return false;
  return user.role === 'marketer' || (user.role === 'admin' && user.interviewsBuyers === true);
}
