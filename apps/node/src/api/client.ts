import { AicError } from '@aic/core';
import type { z } from 'zod';
import { errorBodyToAicError } from './error-body.ts';
import {
  type ApiRoutes,
  apiRoutes,
  type RouteDef,
  type RouteName,
  type RouteRequest,
  type RouteResponse,
} from './routes.ts';

import { apiErrorSchema } from './schemas.ts';

/** The call signature of one route: a body is required where the route has one; a query is always optional. */
type ClientCall<N extends RouteName> = ApiRoutes[N] extends { body: z.ZodType }
  ? (request: { body: RouteRequest<N>['body'] }) => Promise<RouteResponse<N>>
  : ApiRoutes[N] extends { query: z.ZodType }
    ? (request?: { query?: RouteRequest<N>['query'] }) => Promise<RouteResponse<N>>
    : () => Promise<RouteResponse<N>>;

/** The node API as typed functions, one per route; built from the same route table as the server. */
export type ApiClient = { [N in RouteName]: ClientCall<N> } & { readonly baseUrl: string };

export interface ApiClientOptions {
  timeoutMs?: number;
  /**
   * The node's API token (`readApiToken(dataDir)`), sent as `Authorization: Bearer …` on every write (non-GET);
   * reads need none. A function is called on each write, so a token file can be read lazily.
   */
  token?: string | (() => string | undefined) | undefined;
  /**
   * Signs each write instead (the EIP-712 credential, e.g. `eip712RequestSigner(account)` for the node's own
   * account): returns the headers to add. Used when no token is given.
   */
  sign?:
    | ((request: { method: string; path: string; body: string | undefined }) => Promise<Record<string, string>>)
    | undefined;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * Creates a typed client for a node's HTTP API. Request bodies are validated before sending and responses are
 * parsed with the server's own schemas; failures throw AicError with the server's code (or API_UNREACHABLE,
 * API_BAD_RESPONSE).
 *
 * @example
 * const api = createApiClient('http://127.0.0.1:7700', { token: readApiToken(dataDir) });
 * const { peerId } = await api.status();
 */
export function createApiClient(baseUrl: string, options: ApiClientOptions = {}): ApiClient {
  const base = baseUrl.replace(/\/+$/, '');
  const client: Record<string, unknown> = { baseUrl: base };
  for (const [name, route] of Object.entries(apiRoutes) as Array<[RouteName, RouteDef]>) {
    client[name] = (request: { body?: unknown; query?: unknown } = {}) => callRoute(base, route, request, options);
  }
  return client as ApiClient;
}

async function callRoute(
  base: string,
  route: RouteDef,
  request: { body?: unknown; query?: unknown },
  options: ApiClientOptions,
): Promise<unknown> {
  const body = route.body === undefined ? undefined : validateOutgoing(route, route.body, request.body ?? {});
  const url = new URL(base + route.path);
  if (route.query !== undefined && request.query !== undefined) {
    const query = validateOutgoing(route, route.query, request.query) as Record<string, unknown>;
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const response = await send(url, route, body, options);
  const json = await readJson(response, url);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    if (parsed.success) throw errorBodyToAicError(response.status, parsed.data);
    throw new AicError('API_BAD_RESPONSE', `HTTP ${response.status} from ${url.pathname}`, {
      details: { status: response.status },
    });
  }
  const parsed = route.response.safeParse(json);
  if (!parsed.success) {
    throw new AicError('API_BAD_RESPONSE', `response of ${route.method} ${route.path} does not match its schema`, {
      details: { issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  return parsed.data;
}

function validateOutgoing(route: RouteDef, schema: NonNullable<RouteDef['body']>, value: unknown): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first === undefined ? '' : `${first.path.join('.') || '(root)'}: ${first.message}`;
  throw new AicError('API_INVALID_REQUEST', `invalid request for ${route.method} ${route.path}: ${where}`, {
    details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

async function send(url: URL, route: RouteDef, body: unknown, options: ApiClientOptions): Promise<Response> {
  const fetchImpl = options.fetch ?? fetch;
  const text = body === undefined ? undefined : JSON.stringify(body);
  let headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json' };
  if (route.method !== 'GET') {
    const token = typeof options.token === 'function' ? options.token() : options.token;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    else if (options.sign !== undefined) {
      headers = {
        ...headers,
        ...(await options.sign({ method: route.method, path: url.pathname + url.search, body: text })),
      };
    }
  }
  // A route that answers only after chain work (a submit: the payer's funding lead) names its own default bound.
  const timeoutMs = options.timeoutMs ?? route.clientTimeoutMs ?? 10_000;
  try {
    return await fetchImpl(url, {
      method: route.method,
      signal: AbortSignal.timeout(timeoutMs),
      headers,
      ...(text === undefined ? {} : { body: text }),
    });
  } catch (cause) {
    if ((cause as { name?: unknown }).name === 'TimeoutError') {
      throw new AicError(
        'API_TIMEOUT',
        `no answer from ${route.method} ${url.origin}${route.path} within ${timeoutMs} ms`,
        {
          cause,
          details: { url: url.origin, path: route.path, timeoutMs },
        },
      );
    }
    throw new AicError('API_UNREACHABLE', `cannot reach the node at ${url.origin}`, {
      cause,
      details: { url: url.origin },
    });
  }
}

async function readJson(response: Response, url: URL): Promise<unknown> {
  try {
    return await response.json();
  } catch (cause) {
    throw new AicError('API_BAD_RESPONSE', `non-JSON answer from ${url.pathname}`, {
      cause,
      details: { status: response.status },
    });
  }
}
