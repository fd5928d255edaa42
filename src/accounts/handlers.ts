// Request handlers for signing in and out, the one-time set-up and user administration.
import type { Request, Response } from 'express';
import { AppError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { actorOf } from './actor.ts';
import { renderForm, typed } from '../lib/http/forms.ts';
import { fieldErrors, parseOrThrow } from '../lib/http/validate.ts';
import { interviewsBuyers, roleLabels, roles, User } from './model.ts';
import type { SendStaffEmail } from './emails.ts';
import type { Queue } from '../lib/queue.ts';
import {
  changeRoleBody,
  forgotBody,
  interviewingBody,
  inviteBody,
  linkParam,
  setPasswordBody,
  setupBody,
  signInBody,
  signInQuery,
  timeZoneBody,
  userIdParam,
} from './schemas.ts';
import { timeZoneChoices } from '../lib/time-zones.ts';
import { setTimeZone } from './time-zone.ts';
import { tokenLifetimes, type TokenKind } from './tokens.ts';
import {
  adminExists,
  authenticate,
  changeRole,
  inviteUser,
  listUsers,
  reinviteUser,
  setPasswordWithLink,
  setUpFirstAdmin,
  setInterviewsBuyers,
  SignInError,
  signOutEverywhere,
  userForLink,
} from './service.ts';
import { signOut, startSession } from './session.ts';
import { passwordResetContract } from './jobs.ts';
import { takeNotice } from '../lib/http/notice.ts';

export async function showSignIn(req: Request, res: Response): Promise<void> {
  if (!(await adminExists())) return res.redirect(303, '/setup');
  if (req.user) return res.redirect(303, '/');
  const { next } = signInQuery.catch({ next: undefined }).parse(req.query);
  const notice = takeNotice(req);
  renderForm(res, 200, 'accounts/sign-in', 'Sign in', { values: { email: '', next: next ?? '' } }, { notice });
}

export async function signIn(req: Request, res: Response): Promise<void> {
  const values = typed(req.body, ['email', 'next']);
  const parsed = signInBody.safeParse(req.body);
  if (!parsed.success) return renderForm(res, 400, 'accounts/sign-in', 'Sign in', { values, errors: fieldErrors(parsed.error) });
  try {
    const user = await authenticate(parsed.data.email, parsed.data.password, actorOf(req));
    await startSession(req, user);
    res.redirect(303, parsed.data.next ?? '/');
  } catch (err) {
    if (err instanceof SignInError) return renderForm(res, err.status, 'accounts/sign-in', 'Sign in', { values, formError: err.message });
    throw err;
  }
}

export async function signOutHere(req: Request, res: Response): Promise<void> {
  await signOut(req);
  res.redirect(303, '/sign-in');
}

export async function signOutAll(req: Request, res: Response): Promise<void> {
  await signOutEverywhere(req.user!.id, actorOf(req));
  await signOut(req);
  res.redirect(303, '/sign-in');
}

export async function showSetup(_req: Request, res: Response): Promise<void> {
  if (await adminExists()) throw new NotFoundError('Debrief is already set up.');
  renderForm(res, 200, 'accounts/setup', 'Set up Debrief', { values: { name: '', email: '' } });
}

export async function setup(req: Request, res: Response): Promise<void> {
  const values = typed(req.body, ['name', 'email']);
  const parsed = setupBody.safeParse(req.body);
  if (!parsed.success) return renderForm(res, 400, 'accounts/setup', 'Set up Debrief', { values, errors: fieldErrors(parsed.error) });
  try {
    const user = await setUpFirstAdmin(parsed.data, actorOf(req));
    await startSession(req, user);
    res.redirect(303, '/');
  } catch (err) {
    if (err instanceof ValidationError) return renderForm(res, 400, 'accounts/setup', 'Set up Debrief', { values, errors: err.details ?? {} });
    if (err instanceof AppError && err.code === 'already_set_up') throw new NotFoundError(err.message);
    throw err;
  }
}

async function accountPage(
  req: Request,
  res: Response,
  status: number,
  state: { values: Record<string, string>; errors?: Record<string, string[]>; notice?: string },
): Promise<void> {
  const me = await User.findById(req.user!.id).select({ interviewsBuyers: 1, role: 1 }).lean();
  res.status(status).render('accounts/account', {
    title: 'Your account',
    account: req.user,
    interviews: me ? interviewsBuyers(me) : false,
    values: state.values,
    errors: state.errors ?? {},
    formError: undefined,
    notice: state.notice,
    programTimeZone: req.user!.programTimeZone,
    timeZones: timeZoneChoices(),
  });
}

export async function showAccount(req: Request, res: Response): Promise<void> {
  const notice = takeNotice(req);
  await accountPage(req, res, 200, { values: { timeZone: req.user!.ownTimeZone ?? '' }, notice });
}

/** An admin starts or stops signing buyers' emails (their account page, the set-up checklist). */
export async function setInterviewing(req: Request, res: Response): Promise<void> {
  const { interviews, back } = parseOrThrow(interviewingBody, req.body);
  await setInterviewsBuyers(req.user!.id, interviews === 'yes', actorOf(req));
  req.session.notice =
    interviews === 'yes'
      ? 'You interview buyers now: invitations may be signed with your name, and replies come to you. Interviews that waited for an interviewer go out.'
      : 'You no longer interview buyers. Interviews already signed by you stay yours.';
  res.redirect(303, back === '/' ? '/#setup' : '/account#interviewing');
}

export async function saveOwnTimeZone(req: Request, res: Response): Promise<void> {
  const values = typed(req.body, ['timeZone']);
  const parsed = timeZoneBody.safeParse(req.body);
  if (!parsed.success) return accountPage(req, res, 400, { values, errors: fieldErrors(parsed.error) });
  await setTimeZone(req.user!.id, parsed.data.timeZone, actorOf(req));
  req.session.notice = parsed.data.timeZone
    ? `Saved: your pages show times in ${parsed.data.timeZone}.`
    : 'Saved: your pages show times in the program’s time zone.';
  res.redirect(303, '/account');
}

export async function saveUserTimeZone(req: Request, res: Response): Promise<void> {
  const { id } = parseOrThrow(userIdParam, req.params);
  const parsed = timeZoneBody.safeParse(req.body);
  if (!parsed.success) {
    const typedZone = typed(req.body, ['timeZone']).timeZone ?? '';
    return usersPage(req, res, 400, { errors: { [`timeZone-${id}`]: fieldErrors(parsed.error).timeZone ?? [] }, typedZones: { [id]: typedZone } });
  }
  await setTimeZone(id, parsed.data.timeZone, actorOf(req));
  req.session.notice = 'Time zone saved.';
  res.redirect(303, '/admin/users');
}

export async function showUsers(req: Request, res: Response): Promise<void> {
  const notice = takeNotice(req);
  await usersPage(req, res, 200, { notice });
}

export async function updateRole(req: Request, res: Response): Promise<void> {
  const { id } = parseOrThrow(userIdParam, req.params);
  const { role } = parseOrThrow(changeRoleBody, req.body);
  try {
    await changeRole(id, role, actorOf(req));
  } catch (err) {
    if (err instanceof ValidationError) {
      return usersPage(req, res, 400, { errors: { [id]: err.details?.role ?? [] } });
    }
    throw err;
  }
  req.session.notice = 'Role changed. That user signs in again to use it.';
  res.redirect(303, '/admin/users');
}

// --- invitations and password resets: links sent by email, used once ---

export interface LinkDeps {
  queue: Queue;
  appUrl: string;
  sendStaffEmail: SendStaffEmail;
}

async function usersPage(
  req: Request,
  res: Response,
  status: number,
  extra: { errors?: Record<string, string[]>; notice?: string; values?: Record<string, string>; typedZones?: Record<string, string> },
): Promise<void> {
  res.status(status).render('admin/users', {
    title: 'Users',
    users: (await listUsers()).map((u) => ({ ...u, interviewer: interviewsBuyers(u) })),
    roles,
    roleLabels,
    notice: extra.notice,
    errors: extra.errors ?? {},
    values: extra.values ?? { name: '', email: '', role: 'marketer' },
    // A zone refused for one person is shown again as typed, beside its error.
    typedZones: extra.typedZones ?? {},
    programTimeZone: req.user!.programTimeZone,
    timeZones: timeZoneChoices(),
  });
}

export function invite(deps: LinkDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const values = typed(req.body, ['name', 'email', 'role']);
    const parsed = inviteBody.safeParse(req.body);
    if (!parsed.success) return usersPage(req, res, 400, { errors: fieldErrors(parsed.error), values });
    try {
      const { user, token } = await inviteUser(parsed.data, actorOf(req));
      await deps.sendStaffEmail({
        template: 'staff-invite',
        to: user.email,
        data: {
          inviterName: req.user!.name,
          inviteeName: user.name,
          roleLabel: roleLabels[user.role],
          link: `${deps.appUrl}/invite/${token}`,
          expiresHours: tokenLifetimes.invite / 3_600_000,
        },
      });
    } catch (err) {
      if (err instanceof ValidationError) return usersPage(req, res, 400, { errors: err.details ?? {}, values });
      throw err;
    }
    req.session.notice = `Invitation sent to ${parsed.data.email}. The link works for 72 hours.`;
    res.redirect(303, '/admin/users');
  };
}

export function reinvite(deps: LinkDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { id } = parseOrThrow(userIdParam, req.params);
    try {
      const { user, token } = await reinviteUser(id, actorOf(req));
      await deps.sendStaffEmail({
        template: 'staff-invite',
        to: user.email,
        data: {
          inviterName: req.user!.name,
          inviteeName: user.name,
          roleLabel: roleLabels[user.role],
          link: `${deps.appUrl}/invite/${token}`,
          expiresHours: tokenLifetimes.invite / 3_600_000,
        },
      });
      req.session.notice = `A new invitation was sent to ${user.email}; the earlier link no longer works.`;
    } catch (err) {
      if (err instanceof ValidationError) return usersPage(req, res, 400, { errors: err.details ?? {} });
      throw err;
    }
    res.redirect(303, '/admin/users');
  };
}

function linkView(purpose: TokenKind) {
  return { view: 'accounts/set-password', title: purpose === 'invite' ? 'Accept your invitation' : 'Choose a new password' };
}

export function showSetPassword(purpose: TokenKind) {
  return async (req: Request, res: Response): Promise<void> => {
    const { token } = parseOrThrow(linkParam, req.params);
    const user = await userForLink(purpose, token);
    const { view, title } = linkView(purpose);
    res.setHeader('Referrer-Policy', 'no-referrer');
    renderForm(res, 200, view, title, { values: {} }, { purpose, person: { name: user.name, email: user.email }, action: req.originalUrl });
  };
}

export function setPassword(purpose: TokenKind) {
  return async (req: Request, res: Response): Promise<void> => {
    const { token } = parseOrThrow(linkParam, req.params);
    const { view, title } = linkView(purpose);
    const parsed = setPasswordBody.safeParse(req.body);
    const person = await userForLink(purpose, token);
    const state = { purpose, person: { name: person.name, email: person.email }, action: req.originalUrl };
    if (!parsed.success) return renderForm(res, 400, view, title, { values: {}, errors: fieldErrors(parsed.error) }, state);
    try {
      const user = await setPasswordWithLink(purpose, token, parsed.data.password, actorOf(req));
      await startSession(req, user);
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(res, 400, view, title, { values: {}, errors: err.details ?? {} }, state);
      throw err;
    }
    res.redirect(303, '/');
  };
}

export async function showForgot(_req: Request, res: Response): Promise<void> {
  renderForm(res, 200, 'accounts/forgot', 'Forgot your password?', { values: { email: '' } }, { sent: false });
}

export function forgot(deps: LinkDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const values = typed(req.body, ['email']);
    const parsed = forgotBody.safeParse(req.body);
    if (!parsed.success)
      return renderForm(res, 400, 'accounts/forgot', 'Forgot your password?', { values, errors: fieldErrors(parsed.error) }, { sent: false });
    // The same work and the same answer whether or not the address has an account: the job does the rest.
    await deps.queue.enqueue(passwordResetContract, { email: parsed.data.email, ...(req.ip ? { ip: req.ip } : {}) });
    renderForm(res, 200, 'accounts/forgot', 'Forgot your password?', { values: { email: parsed.data.email } }, { sent: true });
  };
}
