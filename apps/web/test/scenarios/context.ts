/**
 * What every browser scenario of the web client shares: one devnet and one Chromium, started once by
 * `test/e2e/web-client.test.ts` (a devnet costs minutes on 2 cores; each scenario file registers its `it`s against it).
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { REPO_ROOT, type WebDevnet } from '../helpers/web-devnet.ts';

export const SHOTS = join(REPO_ROOT, 'test-results', 'web');

export interface WebContext {
  devnet: WebDevnet;
  browser: Browser;
}

/** Filled by the entry's `beforeAll`; a scenario reads it inside its tests, never at registration time. */
export type WebContextRef = () => WebContext;
