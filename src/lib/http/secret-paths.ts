// Path segments that are secrets (the token of a buyer's link, an invitation, a password reset, an
// unsubscribe link) never reach a log line or an error report. One rule for every such route: a router
// declares which of its route parameters are secrets (secretParams), and the redactor, built once from
// the app's own route table, masks those parameters in any path one of those routes would take. As the
// request logger binds the path when a request arrives, before routing, the redactor works on the URL
// alone: a refusal before the route (a rate limit, a foreign origin) or a 404 under a secret route is
// masked as well.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Router } from 'express';
import { compile, match, type MatchFunction, type ParamData } from 'path-to-regexp';
import { pino } from 'pino';

const declared = new WeakMap<object, ReadonlySet<string>>();

/** Declares route parameters of this router as secrets: every route of it that has one is masked in logs. */
export function secretParams(router: Router, ...names: string[]): void {
  declared.set(router, new Set([...(declared.get(router) ?? []), ...names]));
}

/** What router 2 (express 5) lists of a router: its routes and mounted routers, in order. */
interface Listed {
  path: string | RegExp;
  router?: object;
}
type Listing = { listRoutes(): Listed[] };

interface RoutePattern {
  path: string;
  secret: readonly string[];
  exact: MatchFunction<ParamData>;
  prefix: MatchFunction<ParamData>;
  fill: (params: ParamData) => string;
}

export const masked = '…';

function joinPath(prefix: string, path: string): string {
  return `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`.replace(/\/+$/, '') || '/';
}

/** Every route of the app with its full path, in the order express tries them; a router's secrets hold for those mounted in it. */
function routesOf(router: Listing, prefix: string, out: RoutePattern[], inherited: ReadonlySet<string> = new Set()): RoutePattern[] {
  // router 2.3's listRoutes (package.json asks for it: express alone would take 2.2).
  if (typeof router.listRoutes !== 'function') throw new Error('The log redactor needs router 2.3 or later (Router#listRoutes).');
  const secrets = new Set([...inherited, ...(declared.get(router) ?? [])]);
  for (const { path, router: mounted } of router.listRoutes()) {
    // No route here is a regular expression; one would not be masked, so refuse it loudly.
    if (typeof path !== 'string') throw new Error(`A route path is a regular expression (${String(path)}): the log redactor cannot read it.`);
    const full = joinPath(prefix, path);
    if (mounted) {
      routesOf(mounted as unknown as Listing, full, out, secrets);
      continue;
    }
    const secret = [...full.matchAll(/[:*]([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!).filter((name) => secrets.has(name));
    out.push({
      path: full,
      secret,
      exact: match(full, { decode: false, end: true, trailing: true }),
      prefix: match(full, { decode: false, end: false, trailing: true }),
      fill: compile(full, { encode: false }),
    });
  }
  return out;
}

/** The app's routes with their full paths and secret parameters (for the test that every token is declared). */
export function routeTable(app: { router: unknown }): { path: string; secret: readonly string[] }[] {
  return routesOf(app.router as Listing, '', []).map(({ path, secret }) => ({ path, secret }));
}

export interface Redaction {
  /** The path with each secret segment replaced by "…". */
  path: string;
  /** The secrets it held, to scrub from error messages. */
  secrets: string[];
}

/**
 * Builds the redactor from the app's routes (call it once every router is mounted). A path that one route
 * takes whole is masked as that route says (so /i/thanks, a route of its own before /i/:token, stays as
 * it is); any other path under a route with a secret (a 404 below it, a refusal before it) is masked as
 * that route's start. Most paths are under no such route and cost a few prefix tests.
 */
export function secretPathRedactor(app: { router: unknown }): (path: string) => Redaction {
  const routes = routesOf(app.router as Listing, '', []);
  const secretRoutes = routes.filter((r) => r.secret.length > 0);
  const mask = (route: RoutePattern, params: ParamData, rest: string): Redaction => {
    const secrets = route.secret.flatMap((name) => {
      const value = params[name];
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    });
    const replaced = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, route.secret.includes(k) ? (Array.isArray(v) ? [masked] : masked) : v]));
    // Real keys are long; a short segment masked in passing ("/i/x/y") is not worth scrubbing from text.
    return { path: `${route.fill(replaced)}${rest}`, secrets: secrets.filter((s) => s.length >= 8) };
  };
  return (path) => {
    const under = secretRoutes.find((route) => route.prefix(path));
    if (!under) return { path, secrets: [] };
    for (const route of routes) {
      const whole = route.exact(path);
      if (whole) return route.secret.length > 0 ? mask(route, whole.params, '') : { path, secrets: [] };
    }
    const start = under.prefix(path);
    return start ? mask(under, start.params, path.slice(start.path.length)) : { path, secrets: [] };
  };
}

/** The text with each secret replaced by "…". */
export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => t.split(s).join(masked), text);
}

const redactions = new WeakMap<IncomingMessage, Redaction>();
const pathOf = (url: string | undefined) => (url ?? '/').split('?')[0]!;

export interface SecretPathGuards {
  /** Before the request logger: works out the path to log and the secrets in it. */
  before: RequestHandler;
  /** The path the request logger records (its req serializer). */
  loggedPath(req: IncomingMessage & { originalUrl?: string }): string;
  /** After the request logger: req.log scrubs the path's secrets from the errors it is given. */
  after: RequestHandler;
}

export function secretPathGuards(app: { router: unknown }): SecretPathGuards {
  // Built at the first request: by then every router is mounted.
  let redactor: ((path: string) => Redaction) | undefined;
  const redact = (url: string | undefined) => (redactor ??= secretPathRedactor(app))(pathOf(url));
  return {
    before: (req, _res, next) => {
      redactions.set(req, redact(req.originalUrl));
      next();
    },
    loggedPath: (req) => (redactions.get(req) ?? redact(req.originalUrl ?? req.url)).path,
    after: (req, _res, next) => {
      const secrets = redactions.get(req)?.secrets ?? [];
      if (secrets.length > 0) {
        const err = (e: unknown) => (e instanceof Error ? (JSON.parse(scrub(JSON.stringify(pino.stdSerializers.err(e)), secrets)) as unknown) : e);
        req.log = req.log.child({}, { serializers: { err } });
      }
      next();
    },
  };
}
