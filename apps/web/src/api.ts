/**
 * The node API from the browser: the same origin that served this page. Types come from the node's one route table
 * (`@aic/node/api`), imported as types only, so no server code (and no zod) reaches the bundle; each call names the
 * route and its path, and the compiler checks that the path is that route's.
 */
import type { ApiRoutes, RouteName, RouteResponse } from '@aic/node/api';

export type { RouteResponse } from '@aic/node/api';

/** A non-2xx answer, with the API's stable code (`{code, message, details}` body). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | undefined>;

/** GET one read route; `path` must be that route's path (checked against the route table at compile time). */
export async function apiGet<N extends RouteName>(
  _route: N,
  path: ApiRoutes[N]['path'],
  query: Query = {},
  signal?: AbortSignal,
): Promise<RouteResponse<N>> {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (cause) {
    throw new ApiError(0, 'API_UNREACHABLE', `the node did not answer (${String(cause)})`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = body as { code?: unknown; message?: unknown } | undefined;
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : 'API_BAD_RESPONSE',
      typeof error?.message === 'string' ? error.message : `HTTP ${response.status} from ${url.pathname}`,
    );
  }
  return body as RouteResponse<N>;
}

export type PlazaAssets = RouteResponse<'plazaAssets'>;
export type PlazaAsset = PlazaAssets['assets'][number];
export type Offer = RouteResponse<'listOffers'>['offers'][number];
export type NodeStatus = RouteResponse<'status'>;
export type JobStatus = RouteResponse<'jobStatus'>;
export type JobLogs = RouteResponse<'jobLogs'>;
