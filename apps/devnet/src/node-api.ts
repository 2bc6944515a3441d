import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiClient, createApiClient } from '@aic/node/api';
import type { DevnetNodeInfo } from './nodes-events.ts';

/**
 * The typed API client of one devnet node, the one place the devnet builds them. Writes carry the node's API token
 * (`<dataDir>/node/api-token`, read on each write, so a restarted node's new token is used) as a bearer token.
 */
export function nodeApi(node: Pick<DevnetNodeInfo, 'apiUrl' | 'dataDir'>, timeoutMs = 60_000): ApiClient {
  const withToken: typeof fetch = (input, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const token = method === 'GET' ? undefined : readToken(node.dataDir);
    if (token === undefined) return fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  // 60 s, not the client's 10 s: a node's first quote loads the template's data set, which takes longer than 10 s
  // on a loaded machine (the demo job failed with a timeout at load 30 on 2 cores). The PoV devnet waits longer
  // (a write waits for its block and the node retries a timed-out chain call).
  return createApiClient(node.apiUrl, { fetch: withToken, timeoutMs });
}

function readToken(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, 'node', 'api-token'), 'utf8').trim();
  } catch {
    return undefined; // a node without API tokens
  }
}
