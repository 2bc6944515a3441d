/**
 * @aic/node — the AIC node: one secp256k1 identity (keystore v3), the @aic/network peer, state persisted under its
 * data directory, an HTTP API (OpenAPI at /openapi.json) and Prometheus metrics. See apps/node/README.md.
 */
export * from './api/index.ts';
export * from './errors.ts';
export * from './identity/index.ts';
export { createLedgerReader } from './ledger-adapter.ts';
export type { Balances, NodeLedger } from './ledger-port.ts';
export { createRootLogger, LOG_LEVELS, type Logger, type LogLevel, moduleLogger } from './logger.ts';
export { createNodeMetrics, type NodeMetrics } from './metrics.ts';
export { createAicNetworkAdapter } from './network-adapter.ts';
export type { NetworkFactory, NetworkInit, NetworkPeer, NodeNetwork } from './network-port.ts';
export { type AicNode, type AicNodeComponents, type AicNodeInit, createAicNode } from './node.ts';
export {
  DEFAULT_API_HOST,
  DEFAULT_API_PORT,
  DEFAULT_LISTEN,
  defaultApiUrl,
  defaultDataDir,
  READY_MESSAGE,
  type RunNodeOptions,
} from './options.ts';
export {
  createRaterRole,
  type RaterAction,
  type RaterRole,
  type RaterRoleInit,
  startRaterRole,
} from './rater/rater-role.ts';
export { type EpochScoreSet, scoreSetFromChain } from './rater/score-set-from-chain.ts';
export { type RunningNode, runNode } from './run.ts';
export { type NodeProcess, type NodeReady, type SpawnNodeOptions, spawnNodeProcess } from './spawn.ts';
export { NODE_VERSION } from './version.ts';
