// The JSON API, /api/v1. Stateless: mounted before the session and CSRF middleware, so cookies mean
// nothing here and only a bearer API key counts. Every path under it answers JSON, unknown ones 404.
//
// apiRoutes is the one list of operations: the router below serves exactly these (validating each
// request with the entry's schemas) and /api/v1/openapi.json describes exactly these, so a route
// cannot exist without being documented.
import { Router, type Request, type RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { z } from 'zod';
import { lossInput } from '../deals/schemas.ts';
import { AppError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { addFieldError, fieldErrorRecord, type FieldErrors } from '../lib/http/validate.ts';
import { limiter } from '../lib/rate-limit.ts';
import { apiEraseBody, apiExportQuery } from '../privacy/index.ts';
import { programInput } from '../program/index.ts';
import { bearerAuth, requireScope } from './auth.ts';
import { defineRoute, type ApiRoute, type ApiServices, type Parsed } from './define.ts';
import * as h from './handlers.ts';
import { openApiDocument } from './openapi.ts';
import * as s from './schemas.ts';
import * as out from './outbound.ts';
import * as o from './outbound-schemas.ts';

export const apiRateLimit = { windowMs: 60_000, perKey: 600 } as const;

const programResponse = z.object({ data: programInput });

export const apiRoutes: readonly ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    tag: 'Meta',
    access: 'public',
    input: {},
    summary: 'This API described as OpenAPI 3.1',
    responses: { 200: { description: 'The OpenAPI document.', schema: z.record(z.string(), z.unknown()) } },
    handler: (_input, _req, res) => {
      // A public description, readable by API tools served from elsewhere (Swagger UI, editors).
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      res.json(openApiDocument(apiRoutes));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/me',
    operationId: 'getMe',
    tag: 'Meta',
    access: 'any',
    input: {},
    summary: 'The API key making the call: its name, prefix and scopes',
    responses: { 200: { description: 'The key.', schema: s.meResponse } },
    handler: h.me,
  }),
  defineRoute({
    method: 'get',
    path: '/deals',
    operationId: 'listDeals',
    tag: 'Deals',
    access: 'read',
    input: { query: s.apiDealsQuery },
    summary: 'List deals, lost ones first (25 a page)',
    responses: { 200: { description: 'A page of deals.', schema: s.dealListResponse } },
    handler: h.deals,
  }),
  defineRoute({
    method: 'get',
    path: '/deals/:source/:externalId',
    operationId: 'getDeal',
    tag: 'Deals',
    access: 'read',
    input: { params: s.dealKeyParams },
    summary: 'Read a deal with its interviews (state, plan, interviewer, exclusion, hold-off, timeline) and its last 50 changes',
    responses: { 200: { description: 'The deal.', schema: s.dealDetailResponse } },
    errors: [404],
    handler: h.getDeal,
  }),
  defineRoute({
    method: 'put',
    path: '/deals/:source/:externalId',
    operationId: 'putDeal',
    tag: 'Deals',
    access: 'write',
    input: { params: s.dealKeyParams, body: s.apiDealBody },
    summary: 'Create or update a deal (idempotent)',
    description:
      'The body is the whole deal except source and externalId, which come from the path. Fields left out are cleared. Every change lands in the deal’s history.',
    responses: {
      201: { description: 'The deal was created.', schema: s.dealResponse },
      200: { description: 'The deal existed and is updated (or was already as sent).', schema: s.dealResponse },
    },
    handler: h.putDeal,
  }),
  defineRoute({
    method: 'post',
    path: '/deals/:source/:externalId/lost',
    operationId: 'markDealLost',
    tag: 'Deals',
    access: 'write',
    input: { params: s.dealKeyParams, body: lossInput },
    summary: 'Mark a deal lost and plan its interview',
    description:
      'Plans one interview per loss on the program’s rules, or says why the buyer is left out. Marking a lost deal lost again updates the loss details and plans nothing new (outcome already_lost).',
    responses: { 200: { description: 'The deal and what happened to its interview.', schema: s.lostResponse } },
    errors: [404],
    handler: h.markDealLost,
  }),
  defineRoute({
    method: 'post',
    path: '/deals/:source/:externalId/reopen',
    operationId: 'reopenDeal',
    tag: 'Deals',
    access: 'write',
    input: { params: s.dealKeyParams },
    summary: 'Reopen a deal; its interview, if not sent yet, is cancelled',
    responses: { 200: { description: 'The deal and how many interviews were cancelled.', schema: s.outcomeResponse } },
    errors: [404],
    handler: h.dealOutcome('open'),
  }),
  defineRoute({
    method: 'post',
    path: '/deals/:source/:externalId/won',
    operationId: 'markDealWon',
    tag: 'Deals',
    access: 'write',
    input: { params: s.dealKeyParams },
    summary: 'Mark a deal won; a loss interview not yet sent is cancelled, and a win interview planned if the program samples the deal in',
    description:
      'The program’s share of won deals for the deal’s segment decides whether the buyer is asked why they chose you (winPercent, winPercentBySegment); which deals are in the share is fixed per deal, so a retry plans nothing new and a replay plans the same. Marking a won deal won again changes nothing (interview null).',
    responses: { 200: { description: 'The deal, how many interviews were cancelled, and what happened to its win interview.', schema: s.outcomeResponse } },
    errors: [404],
    handler: h.dealOutcome('won'),
  }),
  defineRoute({
    method: 'get',
    path: '/interviews',
    operationId: 'listInterviews',
    tag: 'Interviews',
    access: 'read',
    input: { query: s.apiInterviewsQuery },
    summary: 'List interviews, latest change first (25 a page)',
    responses: { 200: { description: 'A page of interviews.', schema: s.interviewListResponse } },
    handler: h.interviews,
  }),
  defineRoute({
    method: 'get',
    path: '/program',
    operationId: 'getProgram',
    tag: 'Program',
    access: 'read',
    input: {},
    summary: 'Read the interview program settings',
    responses: { 200: { description: 'The program; it is also a valid body for PUT.', schema: programResponse } },
    handler: h.getProgram,
  }),
  defineRoute({
    method: 'put',
    path: '/program',
    operationId: 'putProgram',
    tag: 'Program',
    access: 'write',
    input: { body: programInput },
    summary: 'Replace the interview program settings',
    description:
      'PUT replaces the whole program: send every field (GET it, change what you need, PUT it back). Applies to deals lost from now on. A change is recorded in the audit log as program.updated.',
    responses: { 200: { description: 'The program as saved.', schema: programResponse } },
    handler: h.putProgram,
  }),
  defineRoute({
    method: 'get',
    path: '/privacy/export',
    operationId: 'exportBuyer',
    tag: 'Privacy',
    access: 'read',
    input: { query: apiExportQuery },
    summary: 'Export everything held about a buyer’s email address',
    responses: { 200: { description: 'What Debrief holds about the buyer.', schema: s.privacyExportResponse } },
    handler: h.privacyExport,
  }),
  defineRoute({
    method: 'post',
    path: '/privacy/erase',
    operationId: 'eraseBuyer',
    tag: 'Privacy',
    access: 'write',
    input: { body: apiEraseBody },
    summary: 'Erase a buyer’s contact details and free text (cannot be undone)',
    responses: { 200: { description: 'How many records were changed.', schema: s.privacyEraseResponse } },
    handler: h.privacyErase,
  }),
  defineRoute({
    method: 'get',
    path: '/interviews/:id/answers',
    operationId: 'getInterviewAnswers',
    tag: 'Answers',
    access: 'read',
    input: { params: o.interviewIdParams },
    summary: 'Read one interview’s answers, as the buyer allowed each to be used',
    description:
      'The primary reason, the contributing reasons, the competitor the buyer chose and the ratings, and each free-text answer with the buyer’s choice for it: given by name, as written; without their name, with their name, company and contact details taken out; for the team only, withheld (text null, withheld true) unless the key also has the `answers:internal` scope. answers is null until the buyer answered.',
    responses: { 200: { description: 'The interview and its answers.', schema: o.interviewAnswersResponse } },
    errors: [404],
    handler: out.getInterviewAnswers,
  }),
  defineRoute({
    method: 'post',
    path: '/interviews/:id/send',
    operationId: 'sendInterviewNow',
    tag: 'Answers',
    access: 'write',
    input: { params: o.interviewIdParams },
    summary: 'Send a planned interview’s invitation now instead of at its planned time',
    description: 'The same as Send now on the staff queue page: only a planned interview, and only with someone to sign it (409 otherwise).',
    responses: { 200: { description: 'The invitation is on its way.', schema: o.sendNowResponse } },
    errors: [404, 409],
    handler: out.sendInterviewNow,
  }),
  defineRoute({
    method: 'get',
    path: '/answers',
    operationId: 'listAnswers',
    tag: 'Answers',
    access: 'read',
    input: { query: o.apiAnswersQuery },
    summary: 'List answers by date, outcome, competitor and segment, newest first, paged by a cursor',
    description:
      'Pass paging.nextCursor as cursor to get the next page; answers arriving meanwhile never shift a page. Consent applies per answer as in getInterviewAnswers.',
    responses: { 200: { description: 'A page of answers.', schema: o.answerListResponse } },
    handler: out.listAnswersHandler,
  }),
  defineRoute({
    method: 'get',
    path: '/themes',
    operationId: 'getThemes',
    tag: 'Answers',
    access: 'read',
    input: { query: o.apiThemesQuery },
    summary: 'Read the latest themes: labels, sizes and quotes as the buyers allowed',
    responses: { 200: { description: 'The latest themes of the set.', schema: o.themesResponse } },
    handler: out.getThemes,
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks',
    operationId: 'listWebhookEndpoints',
    tag: 'Webhooks',
    access: 'webhooks',
    input: {},
    summary: 'List the outgoing webhook endpoints',
    responses: { 200: { description: 'Every endpoint, newest first.', schema: o.endpointListResponse } },
    handler: out.listHookEndpoints,
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks',
    operationId: 'createWebhookEndpoint',
    tag: 'Webhooks',
    access: 'webhooks',
    input: { body: o.apiEndpointBody },
    summary: 'Register an endpoint; its signing secret is in this answer only',
    description:
      'Each delivery is a POST of JSON signed with X-Debrief-Timestamp and X-Debrief-Signature (sha256=HMAC-SHA256(secret, "<timestamp>.<body>")), retried for 24 hours until it gets a 2xx. See the README, Outgoing webhooks.',
    responses: { 201: { description: 'The endpoint, with its secret.', schema: o.endpointCreatedResponse } },
    handler: out.createHookEndpoint,
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks/:id',
    operationId: 'getWebhookEndpoint',
    tag: 'Webhooks',
    access: 'webhooks',
    input: { params: o.endpointIdParams },
    summary: 'Read an endpoint with its recent deliveries',
    responses: { 200: { description: 'The endpoint.', schema: o.endpointResponse } },
    errors: [404],
    handler: out.getHookEndpoint,
  }),
  defineRoute({
    method: 'put',
    path: '/webhooks/:id',
    operationId: 'putWebhookEndpoint',
    tag: 'Webhooks',
    access: 'webhooks',
    input: { params: o.endpointIdParams, body: o.apiEndpointBody },
    summary: 'Change an endpoint’s URL, description and events',
    responses: { 200: { description: 'The endpoint as saved.', schema: o.endpointResponse } },
    errors: [404],
    handler: out.putHookEndpoint,
  }),
  defineRoute({
    method: 'delete',
    path: '/webhooks/:id',
    operationId: 'deleteWebhookEndpoint',
    tag: 'Webhooks',
    access: 'webhooks',
    input: { params: o.endpointIdParams },
    summary: 'Delete an endpoint; what was not delivered yet is not',
    responses: { 200: { description: 'Deleted.', schema: o.endpointDeletedResponse } },
    errors: [404],
    handler: out.deleteHookEndpoint,
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/:id/pause',
    operationId: 'pauseWebhookEndpoint',
    tag: 'Webhooks',
    access: 'webhooks',
    input: { params: o.endpointIdParams },
    summary: 'Pause an endpoint: nothing is sent to it until it is resumed',
    responses: { 200: { description: 'The endpoint.', schema: o.endpointResponse } },
    errors: [404],
    handler: out.hookEndpointState('paused'),
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/:id/resume',
    operationId: 'resumeWebhookEndpoint',
    tag: 'Webhooks',
    access: 'webhooks',
    input: { params: o.endpointIdParams },
    summary: 'Resume a paused endpoint: events from now on are sent',
    responses: { 200: { description: 'The endpoint.', schema: o.endpointResponse } },
    errors: [404],
    handler: out.hookEndpointState('active'),
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/:id/test',
    operationId: 'testWebhookEndpoint',
    tag: 'Webhooks',
    access: 'webhooks',
    input: { params: o.endpointIdParams },
    summary: 'Send a test event (type debrief.test) to this endpoint, once',
    responses: { 200: { description: 'The test event is on its way; read the endpoint for how it went.', schema: o.endpointTestResponse } },
    errors: [404],
    handler: out.testHookEndpoint,
  }),
];

const messages = {
  unknownField: 'Unknown field: this request does not take it.',
  noBody: 'Send a JSON object as the body, with Content-Type: application/json.',
};

/** Field errors keyed by path, with unknown fields named one by one. */
function issuesOf(error: z.ZodError, prefix: string[] = []): FieldErrors {
  const out = fieldErrorRecord();
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) addFieldError(out, [...path, key].join('.'), messages.unknownField);
    } else {
      addFieldError(out, path.join('.') || '_', issue.message);
    }
  }
  return out;
}

/** Parses path, query and body with the route's schemas and hands the handler what they produce. */
function validated(route: ApiRoute): RequestHandler {
  return async (req, res) => {
    const details = fieldErrorRecord();
    const parse = (schema: z.ZodType | undefined, value: unknown): unknown => {
      if (!schema) return undefined;
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      Object.assign(details, issuesOf(parsed.error));
      return undefined;
    };
    if (route.input.body && (req.body === undefined || req.body === null || typeof req.body !== 'object' || Array.isArray(req.body))) {
      throw new ValidationError({ _: [messages.noBody] }, messages.noBody);
    }
    const input = {
      params: parse(route.input.params, { ...req.params }),
      query: parse(route.input.query, { ...req.query }),
      body: parse(route.input.body, req.body),
    };
    if (Object.keys(details).length > 0) throw new ValidationError(details);
    await route.handler(input as Parsed<typeof route.input>, req, res);
  };
}

/** Counts per key (the key's id, never the key); per address only if no key got this far. */
function client(req: Request): string {
  return req.apiKey ? `key:${req.apiKey.id}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
}

function allow(methods: string[]): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Allow', methods.join(', '));
    next(new AppError(405, 'method_not_allowed', `This endpoint answers ${methods.join(' and ')} only.`));
  };
}

/** Answers JSON 404 for every path under /api that no route took, before any session or CSRF check. */
export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError('There is no such API endpoint. The API lives under /api/v1; see /api/v1/openapi.json.'));
};

export function apiRouter(services?: ApiServices): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.locals.apiServices = services;
    next();
  });
  const perKey = limiter('api', apiRateLimit.windowMs, apiRateLimit.perKey, 'Too many requests with this API key. Wait a minute and try again.', client);
  const paths = [...new Set(apiRoutes.map((r) => r.path))];
  // Public operations first (no key asked, counted per address), then the key for everything else.
  const mount = (path: string, routes: ApiRoute[], before: RequestHandler[]) => {
    const route = router.route(path);
    for (const r of routes) {
      const guard = r.access === 'public' || r.access === 'any' ? [] : [requireScope(r.access)];
      route[r.method](...before, ...guard, validated(r));
    }
    const methods = [...new Set(routes.map((r) => r.method.toUpperCase()))];
    route.all(allow(methods.includes('GET') ? [...methods, 'HEAD'] : methods));
  };
  const byPath = paths.map((path) => ({ path, routes: apiRoutes.filter((r) => r.path === path) }));
  for (const { path, routes } of byPath) {
    const publicCount = routes.filter((r) => r.access === 'public').length;
    if (publicCount > 0 && publicCount < routes.length) throw new Error(`${path}: a path is either public or needs a key, not both`);
  }
  for (const { path, routes } of byPath.filter((p) => p.routes[0]!.access === 'public')) mount(path, routes, [perKey]);
  router.use(bearerAuth, perKey);
  for (const { path, routes } of byPath.filter((p) => p.routes[0]!.access !== 'public')) mount(path, routes, []);
  router.use(apiNotFound);
  return router;
}
