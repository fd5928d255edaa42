// Request handlers for signing in and out, the one-time set-up and user administration.
import type { Request, Response } from 'express';
import { AppError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { actorOf, renderForm, typed } from '../lib/http/forms.ts';
import { fieldErrors, parseOrThrow } from '../lib/http/validate.ts';
import { roleLabels, roles } from './model.ts';
import { changeRoleBody, setupBody, signInBody, signInQuery, userIdParam } from './schemas.ts';
import { adminExists, authenticate, changeRole, listUsers, setUpFirstAdmin, SignInError, signOutEverywhere } from './service.ts';
import { signOut, startSession } from './session.ts';

export async function showSignIn(req: Request, res: Response): Promise<void> {
  if (!(await adminExists())) return res.redirect(303, '/setup');
  if (req.user) return res.redirect(303, '/');
  const { next } = signInQuery.catch({ next: undefined }).parse(req.query);
  const notice = req.session.notice;
  delete req.session.notice;
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

export async function showAccount(req: Request, res: Response): Promise<void> {
  res.render('accounts/account', { title: 'Your account', account: req.user });
}

export async function showUsers(req: Request, res: Response): Promise<void> {
  const notice = req.session.notice;
  delete req.session.notice;
  res.render('admin/users', { title: 'Users', users: await listUsers(), roles, roleLabels, notice, errors: {} });
}

export async function updateRole(req: Request, res: Response): Promise<void> {
  const { id } = parseOrThrow(userIdParam, req.params);
  const { role } = parseOrThrow(changeRoleBody, req.body);
  try {
    await changeRole(id, role, actorOf(req));
  } catch (err) {
    if (err instanceof ValidationError) {
      res.status(400).render('admin/users', { title: 'Users', users: await listUsers(), roles, roleLabels, notice: undefined, errors: { [id]: err.details?.role ?? [] } });
      return;
    }
    throw err;
  }
  req.session.notice = 'Role changed. That user signs in again to use it.';
  res.redirect(303, '/admin/users');
}
