import { DEFAULT_PRESET } from '@aic/core/params';
import type { LogLevel } from './flags.ts';

// The flag table lives in flags.ts (no runtime import of this file, so importing either is safe); it is re-exported
// here because `@aic/node/options` is the light entry the CLI imports.
export * from './flags.ts';
export { defaultDataDir, LOG_LEVELS, type LogLevel } from './flags.ts';

/** Default API URL clients talk to: $AIC_API_URL, else the node's default API address. */
export function defaultApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.AIC_API_URL ?? `http://${DEFAULT_API_HOST}:${DEFAULT_API_PORT}`;
}

// From the default preset (`@aic/core/params`): the API listens on loopback; TCP for nodes, WebSockets for browsers.
export const DEFAULT_API_HOST = DEFAULT_PRESET.node.apiHost;
export const DEFAULT_API_PORT = DEFAULT_PRESET.node.apiPort;
export const DEFAULT_LISTEN: string[] = [...DEFAULT_PRESET.node.listen];

/** Everything `aic node start` (or `node apps/node/src/main.ts`) can be told; built from the flags by `runOptionsOf`
 * (flags.ts). */
export interface RunNodeOptions {
  dataDir: string;
  /** Choose among several keystores in <dataDir>/keystore. */
  account?: string | undefined;
  /** A keystore file elsewhere (overrides the data dir's keystore folder). */
  keystore?: string | undefined;
  password: string;
  listen: string[];
  bootstrap: string[];
  apiHost: string;
  apiPort: number;
  role?: string | undefined;
  rpcUrl?: string | undefined;
  deploymentFile?: string | undefined;
  /** `--pov-validator`: validate the PoV chain and serve its JSON-RPC (the ledger roles then use it). */
  povValidator?: import('./node.ts').AicNodeInit['povValidator'];
  logLevel: LogLevel;
  /** `json` lines (default) or `pretty` one-line text for a person at a terminal. */
  logFormat?: 'json' | 'pretty' | undefined;
  republishIntervalMs?: number | undefined;
  coordinatesIntervalMs?: number | undefined;
  /** Connections the node keeps (`--target-peers`; default from the preset). */
  targetPeers?: number | undefined;
  /** Job roles: GPU Vessel provider, verifier, coordinator (allocator + arbiter). */
  jobs?: import('./node.ts').AicNodeInit['jobs'];
  /** The rater role (`--rater`). */
  rater?: import('./node.ts').AicNodeInit['rater'];
  /** Host / Origin allow-lists and budget caps of the API. */
  api?: import('./node.ts').AicNodeInit['api'];
  /** The Storage Vessel: `--storage`'s provider role and the data owner's placement settings. */
  storage?: import('./node.ts').AicNodeInit['storage'];
}

/** The log message a starting node prints once its API listens; tests and the devnet wait for it. */
export const READY_MESSAGE = 'node ready';
