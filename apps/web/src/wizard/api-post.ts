/**
 * POST to the node's routes a browser wallet may call without the node's API token (RouteDef `access: 'open'`:
 * the quote, the job's preparation, its adoption by a signature of the wallet). Typed from the node's route table.
 */
import type { ApiRoutes, RouteName, RouteRequest, RouteResponse } from '@aic/node/api';
import { ApiError } from '../api.ts';

export async function apiPost<N extends RouteName>(
  _route: N,
  path: ApiRoutes[N]['path'],
  body: RouteRequest<N>['body'],
  signal?: AbortSignal,
): Promise<RouteResponse<N>> {
  let response: Response;
  try {
    response = await fetch(new URL(path, window.location.origin), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  } catch (cause) {
    throw new ApiError(0, 'API_UNREACHABLE', `the node did not answer (${String(cause)})`);
  }
  const answer: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = answer as { code?: unknown; message?: unknown; details?: unknown } | undefined;
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : 'API_BAD_RESPONSE',
      typeof error?.message === 'string' ? error.message : `HTTP ${response.status} from ${path}`,
    );
  }
  return answer as RouteResponse<N>;
}
