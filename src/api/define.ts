// The shape of one API operation in the route table (routes.ts): its method and path, who may call it,
// the zod schemas of what it takes and answers, and its handler. The router validates requests with
// these schemas before the handler runs, and the OpenAPI document is generated from the same entries.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { ApiKeyScope } from '../apikeys/index.ts';
import type { Queue } from '../lib/queue.ts';
import type { Secrets } from '../lib/secrets.ts';

/** What handlers may use beyond the request: the job queue (send now, test events) and the app's keys (webhook secrets). */
export interface ApiServices {
  queue: Queue;
  secrets: Secrets;
}

/** The services the API router was given (apiRouter), for a handler. */
export function apiServices(res: Response): ApiServices {
  const services = res.locals.apiServices as ApiServices | undefined;
  if (!services) throw new Error('The API router was mounted without its services.');
  return services;
}

export interface InputSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What the handler receives: the path, query and body, each parsed by its schema. */
export interface Parsed<S extends InputSchemas> {
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: Out<S['body']>;
}

export type ApiHandler<S extends InputSchemas = InputSchemas> = (input: Parsed<S>, req: Request, res: Response) => void | Promise<void>;

/** 'public': no key needed; 'any': any valid key; otherwise the scope the key must carry. */
export type Access = ApiKeyScope | 'any' | 'public';

export interface ApiResponse {
  description: string;
  schema: z.ZodType;
}

export interface ApiRoute<S extends InputSchemas = InputSchemas> {
  method: 'get' | 'put' | 'post' | 'delete';
  /** Express-style path under /api/v1, e.g. /deals/:source/:externalId. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  input: S;
  /** Successful answers by status. */
  responses: Partial<Record<200 | 201, ApiResponse>>;
  /** Error statuses beyond the ones every operation of its kind can answer (400, 401, 403, 429). */
  errors?: (404 | 409)[];
  handler: ApiHandler<S>;
}

/** Types one route table entry: the handler must take what the schemas produce. */
export function defineRoute<S extends InputSchemas>(route: ApiRoute<S>): ApiRoute {
  return route as unknown as ApiRoute;
}
