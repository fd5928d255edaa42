// Accounts: the first admin, users, signing in with lockout, signing out everywhere. Takes typed input
// and the actor; never sees req/res. Throws AppError subclasses for what the person can fix.
import { AppError, ValidationError } from '../lib/errors.ts';
import { audit, type Actor } from '../audit/index.ts';
import { claimMarker } from '../system/index.ts';
import { User, type Role, type UserDoc } from './model.ts';
import { hashPassword, passwordProblem, verifyDummy, verifyPassword } from './passwords.ts';
import { consumeToken, findValidToken, issueToken, revokeTokens, tokenLifetimes, type TokenKind } from './tokens.ts';
import type { SendStaffEmail } from './emails.ts';
import { isDuplicateKeyError } from '../lib/db.ts';
import { clearFailures, lockedUntil, recordFailure } from './lockout.ts';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export async function adminExists(): Promise<boolean> {
  return Boolean(await User.exists({ role: 'admin' }));
}

export async function createUser(input: NewUser, actor: Actor): Promise<UserDoc> {
  const problem = passwordProblem(input.password, input.email);
  if (problem) throw new ValidationError({ password: [problem] });
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await User.create({ email: input.email, name: input.name, role: input.role, passwordHash });
    await audit(actor, 'user.created', user.email, { role: user.role });
    return user.toObject() as UserDoc;
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ValidationError({ email: ['There is already a user with this email.'] });
    throw err;
  }
}

/** The one-time set-up: creates the first admin, once, even when two requests race. */
export async function setUpFirstAdmin(input: Omit<NewUser, 'role'>, actor: Actor): Promise<UserDoc> {
  const problem = passwordProblem(input.password, input.email);
  if (problem) throw new ValidationError({ password: [problem] });
  if ((await adminExists()) || !(await claimMarker('first-admin'))) {
    throw new AppError(409, 'already_set_up', 'Debrief is already set up. Sign in, or ask an admin for an account.');
  }
  return createUser({ ...input, role: 'admin' }, { ...actor, email: input.email });
}

export class SignInError extends AppError {
  constructor(message: string, status = 401) {
    super(status, 'sign_in_failed', message);
  }
}

function minutes(ms: number): string {
  const m = Math.ceil(ms / 60_000);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

const lockedMessage = (until: Date, now: Date) => `Too many failed attempts. Try again in ${minutes(until.getTime() - now.getTime())}, or reset your password.`;

/**
 * Checks email and password; locks the address for a growing time after repeated failures. An address
 * without a usable account takes the same path (a dummy hash is checked, failures are counted and lock
 * it alike), so the answers and their timing do not tell which addresses have an account.
 */
export async function authenticate(email: string, password: string, actor: Actor, now = new Date()): Promise<UserDoc> {
  const address = email.toLowerCase();
  const [user, locked] = await Promise.all([User.findOne({ email: address }).lean<UserDoc>(), lockedUntil(address, now)]);
  // A locked address is refused without checking the password, whether or not it has an account.
  if (locked) throw new SignInError(lockedMessage(locked, now), 429);
  const usable = user && user.passwordHash && !user.disabled ? user : null;
  const matches = usable ? await verifyPassword(usable.passwordHash!, password) : await verifyDummy(password).then(() => false);
  if (!usable || !matches) {
    const { failures, lockedUntil: until } = await recordFailure(address, now);
    const reason = usable ? 'password' : user?.disabled ? 'disabled' : 'unknown';
    await audit({ ...actor, ...(usable ? { id: String(usable._id) } : {}), email: address }, 'sign_in.failed', undefined, {
      reason,
      failures: String(failures),
    });
    if (until) throw new SignInError(lockedMessage(until, now), 429);
    throw new SignInError('That email and password do not match an account.');
  }
  await clearFailures(address); // the sign-in itself is recorded by startSession
  await audit({ ...actor, id: String(usable._id), email: usable.email }, 'sign_in');
  return usable;
}

export async function signOutEverywhere(userId: string, actor: Actor): Promise<void> {
  await User.updateOne({ _id: userId }, { $inc: { sessionVersion: 1 } });
  await audit(actor, 'sign_out.everywhere', actor.email);
}

export async function listUsers(): Promise<UserDoc[]> {
  return User.find().sort({ role: 1, name: 1 }).lean<UserDoc[]>();
}

export async function changeRole(userId: string, role: Role, actor: Actor): Promise<void> {
  const user = await User.findById(userId).lean<UserDoc>();
  if (!user) throw new AppError(404, 'not_found', 'No such user.');
  if (user.role === 'admin' && role !== 'admin' && (await User.countDocuments({ role: 'admin', disabled: false })) <= 1) {
    throw new ValidationError({ role: ['This is the last admin: make someone else admin first.'] });
  }
  // A new role takes effect at once: existing sessions are ended.
  await User.updateOne({ _id: user._id }, { $set: { role }, $inc: { sessionVersion: 1 } });
  await audit(actor, 'user.role_changed', user.email, { from: user.role, to: role });
}

/**
 * Whether an admin signs buyers' emails (marketers always do: src/interviews/interviewers.ts). Their
 * choice, made by them: buyers then get emails in their name. Interviews that waited for someone are
 * signed by them at the dispatcher's next run.
 */
export async function setInterviewsBuyers(userId: string, on: boolean, actor: Actor): Promise<void> {
  const { modifiedCount } = await User.updateOne({ _id: userId, role: 'admin' }, { $set: { interviewsBuyers: on } });
  if (modifiedCount > 0) await audit(actor, on ? 'user.interviews_buyers' : 'user.stopped_interviewing', actor.email);
}

export interface Invitation {
  user: UserDoc;
  token: string;
}

/** Creates an invited user (no password yet) and a 72-hour link for them to choose one. */
export async function inviteUser(input: Omit<NewUser, 'password'>, actor: Actor): Promise<Invitation> {
  let user;
  try {
    user = await User.create({ email: input.email, name: input.name, role: input.role });
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ValidationError({ email: ['There is already a user with this email.'] });
    throw err;
  }
  const token = await issueToken('invite', user._id);
  await audit(actor, 'user.invited', user.email, { role: user.role });
  return { user: user.toObject() as UserDoc, token };
}

/** A new invitation link for someone who has not accepted yet; older links stop working. */
export async function reinviteUser(userId: string, actor: Actor): Promise<Invitation> {
  const user = await User.findById(userId).lean<UserDoc>();
  if (!user) throw new AppError(404, 'not_found', 'No such user.');
  if (user.passwordHash) throw new ValidationError({ [userId]: ['This person has already accepted their invitation.'] });
  await revokeTokens('invite', user._id);
  const token = await issueToken('invite', user._id);
  await audit(actor, 'user.reinvited', user.email);
  return { user, token };
}

export class InvalidLinkError extends AppError {
  constructor() {
    super(410, 'invalid_link', 'This link has expired or was already used. Ask an admin for a new invitation, or request a new password reset.');
  }
}

/** The user a valid link belongs to, or an InvalidLinkError. */
export async function userForLink(kind: TokenKind, token: string): Promise<UserDoc> {
  const valid = await findValidToken(kind, token);
  const user = valid ? await User.findById(valid.userId).lean<UserDoc>() : null;
  if (!valid || !user || user.disabled) throw new InvalidLinkError();
  return user;
}

/** Sets the password through an invitation or reset link, once; ends the user's other sessions. */
export async function setPasswordWithLink(kind: TokenKind, token: string, password: string, actor: Actor): Promise<UserDoc> {
  const valid = await findValidToken(kind, token);
  const user = valid ? await User.findById(valid.userId).lean<UserDoc>() : null;
  if (!valid || !user || user.disabled) throw new InvalidLinkError();
  const problem = passwordProblem(password, user.email);
  if (problem) throw new ValidationError({ password: [problem] });
  const passwordHash = await hashPassword(password);
  if (!(await consumeToken(valid.id))) throw new InvalidLinkError();
  await User.updateOne({ _id: user._id }, { $set: { passwordHash }, $inc: { sessionVersion: 1 } });
  await clearFailures(user.email); // a reset also lifts a lockout
  await audit({ ...actor, id: String(user._id), email: user.email }, kind === 'invite' ? 'user.invite_accepted' : 'user.password_reset');
  return { ...user, sessionVersion: user.sessionVersion + 1 };
}

/** A 1-hour reset link for an active account with this email, or null (the caller says the same either way). */
export async function requestPasswordReset(email: string, actor: Actor): Promise<{ user: UserDoc; token: string } | null> {
  const user = await User.findOne({ email: email.toLowerCase() }).lean<UserDoc>();
  await audit({ ...actor, email: email.toLowerCase() }, 'user.password_reset_requested', undefined, { known: user && !user.disabled ? 'yes' : 'no' });
  if (!user || user.disabled) return null;
  await revokeTokens('reset', user._id);
  return { user, token: await issueToken('reset', user._id) };
}

/** Emails a reset link to the account with this address, if there is an active one (the accounts.password-reset job). */
export async function sendPasswordReset(sendStaffEmail: SendStaffEmail, appUrl: string, email: string, actor: Actor): Promise<void> {
  const reset = await requestPasswordReset(email, actor);
  if (!reset) return;
  await sendStaffEmail({
    template: 'password-reset',
    to: reset.user.email,
    data: { name: reset.user.name, link: `${appUrl}/reset-password/${reset.token}`, expiresMinutes: tokenLifetimes.reset / 60_000 },
  });
}
