// The OpenAPI 3.1 document of /api/v1, generated from the route table (routes.ts) and the very zod
// schemas the router validates with (z.toJSONSchema), so what is documented is what is enforced.
// Named schemas become components; everything else is inlined.
import { z } from 'zod';
import { lossInput } from '../deals/schemas.ts';
import { apiEraseBody } from '../privacy/index.ts';
import { programInput } from '../program/index.ts';
import type { ApiRoute } from './define.ts';
import * as s from './schemas.ts';
import * as o from './outbound-schemas.ts';
import { answerDeal, answerText, buyerAnswers } from '../answers/index.ts';

type Json = Record<string, unknown>;

/** Components with a name a reader (or a client generator) would choose; others are named after their operation. */
const named: [z.ZodType, string][] = [
  [s.errorResponse, 'Error'],
  [s.paging, 'Paging'],
  [s.apiContact, 'Contact'],
  [s.apiDeal, 'Deal'],
  [s.apiDealRow, 'DealRow'],
  [s.apiInterview, 'Interview'],
  [s.apiInterviewRow, 'InterviewRow'],
  [s.apiHistoryEntry, 'HistoryEntry'],
  [s.apiPlan, 'InterviewPlan'],
  [s.apiWinPlan, 'WinInterviewPlan'],
  [s.apiDealBody, 'DealBody'],
  [lossInput, 'Loss'],
  [programInput, 'Program'],
  [apiEraseBody, 'EraseRequest'],
  [buyerAnswers, 'BuyerAnswers'],
  [answerText, 'AnswerText'],
  [answerDeal, 'AnswerDeal'],
  [o.apiTheme, 'Theme'],
  [o.apiEndpoint, 'WebhookEndpoint'],
  [o.apiDelivery, 'WebhookDelivery'],
  [o.apiEndpointBody, 'WebhookEndpointBody'],
];

const info = {
  title: 'Debrief API',
  version: '1',
  description: [
    'Automate what a marketer can click in Debrief: create and update deals from your CRM, mark them lost (which plans the buyer interview), reopen or win them, read deals with their interviews, read buyers’ answers and the themes, send an interview now, read or change the interview program, and register outgoing webhooks.',
    '',
    'Authenticate with an API key as `Authorization: Bearer dbk_…`. Admins create keys under Admin, API keys (or `npm run cli -- api-key create`). Each key carries scopes: `read` for GET operations, `write` for the ones that change something, `webhooks` to manage outgoing webhook endpoints, and `answers:internal` (with `read`) to also read the answers buyers gave for the team only. A missing or revoked key gets 401, a missing scope 403; each key may make 600 requests a minute (429 after that).',
    '',
    'Bodies are JSON and validated strictly: unknown fields are refused (400, naming the field), and every error answers `{"error": {"code", "message", "details", "requestId"}}`. Deals are addressed as `/deals/{source}/{externalId}`: where the deal comes from and its id there.',
  ].join('\n'),
};

const errorResponses: Record<string, { status: string; description: string }> = {
  ValidationFailed: { status: '400', description: 'The request is not valid (code validation_failed): details names each field and what is wrong.' },
  Unauthorized: { status: '401', description: 'No API key, or one that is unknown or revoked.' },
  Forbidden: { status: '403', description: 'The API key lacks the scope this operation needs (code insufficient_scope).' },
  NotFound: { status: '404', description: 'There is no such deal, interview or webhook endpoint.' },
  Conflict: {
    status: '409',
    description: 'The request no longer fits what it is about (code not_planned: the interview is no longer planned; no_interviewer: no one can sign it).',
  },
  RateLimited: { status: '429', description: 'Too many requests with this key this minute.' },
};

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const schemaRef = (name: string) => `#/components/schemas/${name}`;

/** JSON Schema for a request or answer: dates as date-time strings, no $schema/$id, no generated date regex. */
function tidy(json: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = json;
  return rest;
}

const jsonSchemaOptions = {
  io: 'input' as const,
  unrepresentable: 'any' as const,
  override: (ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }) => {
    const type = ctx.zodSchema._zod.def.type;
    if (type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
    if (ctx.jsonSchema.format === 'date-time') delete ctx.jsonSchema.pattern;
    // An address is a trimmed, lower-cased string piped into z.email(): the input is a string, say which.
    const out = type === 'pipe' ? (ctx.zodSchema._zod.def as { out?: { _zod: { def: { format?: string } } } }).out : undefined;
    if (out?._zod.def.format === 'email') ctx.jsonSchema.format = 'email';
  },
};

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  if (!(schema instanceof z.ZodObject)) throw new Error(`${where} parameters must be described by a zod object`);
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const { description, ...json } = tidy(z.toJSONSchema(field, jsonSchemaOptions) as Json);
    return {
      name,
      in: where,
      required: where === 'path' || !field.safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: json,
    };
  });
}

function scopeNote(route: ApiRoute): string {
  if (route.access === 'public') return 'No API key needed.';
  if (route.access === 'any') return 'Any valid API key.';
  return `Needs an API key with the \`${route.access}\` scope.`;
}

function build(routes: readonly ApiRoute[]) {
  // One registry for this document: each named schema once, referenced wherever it appears.
  const registry = z.registry<{ id: string }>();
  const nameOf = new Map<z.ZodType, string>();
  const register = (schema: z.ZodType, fallback: string): string => {
    const known = nameOf.get(schema) ?? named.find(([candidate]) => candidate === schema)?.[1] ?? fallback;
    if (!nameOf.has(schema)) {
      nameOf.set(schema, known);
      registry.add(schema, { id: known });
    }
    return known;
  };
  for (const [schema, name] of named) register(schema, name);

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const responses: Record<string, Json> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      const name = register(response!.schema, `${pascal(route.operationId)}Response`);
      responses[status] = { description: response!.description, content: { 'application/json': { schema: { $ref: schemaRef(name) } } } };
    }
    const errors = [
      ...(route.input.params || route.input.query || route.input.body ? ['ValidationFailed'] : []),
      ...(route.access === 'public' ? [] : ['Unauthorized']),
      ...(route.access === 'public' || route.access === 'any' ? [] : ['Forbidden']),
      ...(route.errors?.includes(404) ? ['NotFound'] : []),
      ...(route.errors?.includes(409) ? ['Conflict'] : []),
      'RateLimited',
    ];
    for (const error of errors) responses[errorResponses[error]!.status] = { $ref: `#/components/responses/${error}` };

    const operation: Json = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      description: [route.description, scopeNote(route)].filter(Boolean).join('\n\n'),
      security: route.access === 'public' ? [] : [{ apiKey: route.access === 'any' ? [] : [route.access] }],
      ...(route.access === 'public' || route.access === 'any' ? {} : { 'x-required-scope': route.access }),
      parameters: [...parameters(route.input.params, 'path'), ...parameters(route.input.query, 'query')],
      ...(route.input.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: schemaRef(register(route.input.body, `${pascal(route.operationId)}Body`)) } } },
            },
          }
        : {}),
      responses,
    };
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }

  const generated = z.toJSONSchema(registry, { ...jsonSchemaOptions, uri: schemaRef }).schemas as Record<string, Json>;
  if ('__shared' in generated) throw new Error('OpenAPI: a schema could not be placed in components');
  const schemas = Object.fromEntries(Object.entries(generated).map(([name, json]) => [name, tidy(json)]));

  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/api/v1', description: 'This Debrief' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'Debrief API key (dbk_…)',
          description: 'An API key, with the scopes each operation names (read, write, webhooks, answers:internal).',
        },
      },
      schemas,
      responses: Object.fromEntries(
        Object.entries(errorResponses).map(([name, { description }]) => [
          name,
          { description, content: { 'application/json': { schema: { $ref: schemaRef('Error') } } } },
        ]),
      ),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof build>;

const built = new WeakMap<readonly ApiRoute[], OpenApiDocument>();

/** The document for these routes, built once. */
export function openApiDocument(routes: readonly ApiRoute[]): OpenApiDocument {
  let doc = built.get(routes);
  if (!doc) built.set(routes, (doc = build(routes)));
  return doc;
}
