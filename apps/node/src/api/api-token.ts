import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AicError } from '@aic/core';

// The node's API token as clients find it (shared by the CLI, the devnet and tests; no server code here).

/** Where a node keeps its API token: `<dataDir>/node/api-token` (mode 0600, created at the node's first start). */
export function apiTokenPath(dataDir: string): string {
  return join(dataDir, 'node', 'api-token');
}

/** What a token looks like: 32 random bytes, base64url (43 characters). */
export const API_TOKEN_RE = /^[A-Za-z0-9_-]{32,128}$/;

/**
 * Reads a node's API token from its data directory (or `file`), for `createApiClient(url, { token })`.
 * Throws API_TOKEN_UNREADABLE naming the file (never its content) when it is missing or malformed.
 *
 * @example
 * const api = createApiClient(apiUrl, { token: readApiToken(dataDir) });
 */
export function readApiToken(dataDir: string, file = apiTokenPath(dataDir)): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AicError('API_TOKEN_UNREADABLE', `cannot read the node's API token at ${file} (${reason})`, {
      details: { file, reason },
    });
  }
  if (!API_TOKEN_RE.test(text)) {
    throw new AicError('API_TOKEN_UNREADABLE', `${file} does not hold an API token`, { details: { file } });
  }
  return text;
}
