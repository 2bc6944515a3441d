/**
 * The node process's own flags (keys, networking, HTTP API, chain access, logs, API budget caps): every node has
 * them whatever roles it runs. Part of the one flag table that `flags.ts` composes; defaults come from the preset.
 */

import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PRESET, PRESET_NAMES } from '@aic/core/params';
import { aic, bool, choice, int, ms, strings, text } from './flag-kinds.ts';

/** Log levels, most to least severe (policy in logger.ts and the README). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Default data directory: $AIC_DATA_DIR, else ~/.aic. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AIC_DATA_DIR ?? join(homedir(), '.aic');
}

/** The node-process flags, in usage order (they come first in the table). */
export const NODE_PROCESS_FLAGS = {
  preset: choice(
    'node',
    '<name>',
    'parameter preset the other defaults come from',
    PRESET_NAMES,
    () => DEFAULT_PRESET.name,
    () => DEFAULT_PRESET.name,
  ),
  'data-dir': text(
    'node',
    '<dir>',
    'state and keystores',
    (ctx) => defaultDataDir(ctx.env),
    () => '$AIC_DATA_DIR or ~/.aic',
  ),
  account: text('node', '<address>', 'which keystore of <data-dir>/keystore (default: the only one)'),
  keystore: text('node', '<file>', 'a keystore file elsewhere'),
  'password-file': text('node', '<file>', 'keystore password (else $AIC_PASSWORD, or a prompt for aic)'),
  listen: strings('node', '<multiaddr>', 'libp2p listen address', (p) => p.node.listen),
  bootstrap: strings('node', '<multiaddr>', 'peer to join through (…/p2p/<peerId>)', () => []),
  'api-host': text(
    'node',
    '<host>',
    'HTTP API host',
    (ctx) => ctx.preset.node.apiHost,
    (p) => p.node.apiHost,
  ),
  'api-port': int('node', '<port>', 'HTTP API port, 0 = any free', { min: 0, max: 65_535 }, (p) => p.node.apiPort),
  role: text('node', '<name>', 'label shown in status (requester, gpu-provider, data-owner)'),
  'rpc-url': text('node', '<url>', 'chain JSON-RPC URL (needed by every job role)'),
  deployment: text('node', '<file>', 'contract deployment file (needed by every job role)'),
  'pov-validator': bool(
    'node',
    'validate the PoV chain (propose on a won ticket, attest, finalize) and serve its JSON-RPC; needs --pov-genesis',
  ),
  'pov-genesis': text('node', '<file>', "pov-validator: the PoV chain's genesis file"),
  'pov-rpc-port': int(
    'node',
    '<port>',
    'pov-validator: JSON-RPC port on 127.0.0.1, 0 = any free',
    { min: 0, max: 65_535 },
    () => 8546,
  ),
  'log-level': choice(
    'node',
    '<level>',
    'log level',
    LOG_LEVELS,
    () => 'info',
    () => 'info',
  ),
  'log-format': choice(
    'node',
    '<format>',
    'log lines',
    ['json', 'pretty'] as const,
    (ctx) => (ctx.isTty ? 'pretty' : 'json'),
    () => 'pretty on a terminal, else json',
  ),
  'republish-interval-ms': ms('node', 'how often own offers are gossiped again', (p) => p.node.republishIntervalMs),
  'coordinates-interval-ms': ms(
    'node',
    'how often peer RTTs are sampled for Vivaldi coordinates',
    (p) => p.node.coordinatesIntervalMs,
  ),
  'target-peers': int(
    'node',
    '<n>',
    'connections the node keeps (peers from peer exchange and gossip, lost ones re-dialled); 0 = no keeping',
    { min: 0, max: 1_000 },
    (p) => p.node.targetPeers,
  ),
  'api-allow-host': strings(
    'node',
    '<host>',
    'a Host the API answers besides 127.0.0.1, localhost, [::1] and --api-host (e.g. a LAN name)',
    () => [],
  ),
  'api-allow-origin': strings(
    'node',
    '<origin>',
    "an Origin (scheme://host:port) allowed besides the API's own",
    () => [],
  ),
  'budget-per-job-aic': aic(
    'node',
    'most the API may escrow for one job, AIC, 0 = no cap',
    (p) => p.node.budgetPerJobAic,
  ),
  'budget-per-day-aic': aic(
    'node',
    'most the API may escrow per UTC day, AIC, 0 = no cap',
    (p) => p.node.budgetPerDayAic,
  ),
} as const;
