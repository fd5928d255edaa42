// Calls the JSON API as a program does: a bearer key, JSON in and out, no cookies.
import { createApiKey } from '../../src/apikeys/service.ts';
import type { ApiKeyScope } from '../../src/apikeys/model.ts';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined for an empty one). */
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields its endpoint answers with
  json: any;
}

export interface ApiClient {
  key: string;
  call(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  get(path: string): Promise<ApiAnswer>;
  put(path: string, body: unknown): Promise<ApiAnswer>;
  post(path: string, body?: unknown): Promise<ApiAnswer>;
}

export async function apiCall(base: string, method: string, path: string, key?: string, body?: unknown, rawBody?: string): Promise<ApiAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** A client holding a new key with these scopes, made as an admin would. */
export async function apiClient(base: string, scopes: ApiKeyScope[], name = `Key ${scopes.join('+')}`): Promise<ApiClient> {
  const { key } = await createApiKey({ name, scopes }, { type: 'system', email: 'test' });
  const call = (method: string, path: string, body?: unknown) => apiCall(base, method, path, key, body);
  return { key, call, get: (p) => call('GET', p), put: (p, b) => call('PUT', p, b), post: (p, b) => call('POST', p, b) };
}
