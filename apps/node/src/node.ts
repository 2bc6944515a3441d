import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError, isAicError } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import type { Logger } from 'pino';
import { loadOrCreateApiToken } from './api/api-token-store.ts';
import { type BudgetCaps, loadSpendingGuard, type SpendingGuard } from './api/budget.ts';
import type { ApiServer } from './api/server.ts';
import { type DataService, startDataService } from './data/data-service.ts';
import type { JobServices, JobServicesInit } from './jobs/job-services.ts';
import { lazyLedgerClient } from './ledger-adapter.ts';
import type { NodeLedger } from './ledger-port.ts';
import { moduleLogger } from './logger.ts';
import { createNodeMetrics, type NodeMetrics } from './metrics.ts';
import type { NodeModelService } from './models/model-service.ts';
import type { NetworkFactory, NodeNetwork } from './network-port.ts';
import { createNodeApi, type NodeBooks } from './node-api.ts';
import {
  type NodeStartComponents,
  startJobRoles,
  startModelRole,
  startPovChainRole,
  startRaterService,
  startStorageRole,
} from './node-roles.ts';
import type { RaterRoleInit } from './rater/rater-role.ts';
import { loadItemBook } from './services/item-book.ts';
import { startMarketIncomeCollection } from './services/market-income.ts';
import { redialKnownPeers, wireNetworkEvents } from './services/network-events.ts';
import { loadPeerBook } from './services/peer-book.ts';
import type { PovValidatorRoleInit } from './services/pov-validator.ts';
import { type RunningService, startRepublishing } from './services/republisher.ts';
import { removeStaleTempFiles } from './state/atomic-file.ts';
import { checkIdentityFile } from './state/identity-file.ts';
import { jobPolicy, jobsFileSchema, offerPolicy, offersFileSchema } from './state/node-state.ts';
import type { NodeStorageComponents, NodeStorageInit, NodeStorageService } from './storage/storage-service.ts';

export interface AicNodeInit {
  /** Node state lives in `<dataDir>/node/` (README "Data directory"). */
  dataDir: string;
  /** libp2p listen multiaddrs, e.g. ['/ip4/127.0.0.1/tcp/0']. */
  listen: string[];
  /** libp2p multiaddrs (with /p2p/<id>) to join through. */
  bootstrap: string[];
  apiHost: string;
  /** 0 picks a free port. */
  apiPort: number;
  /** A label shown in status (devnet roles: requester, gpu-provider, data-owner). */
  role?: string;
  /** Chain JSON-RPC URL and deployment file, for the ledger client (not used yet). */
  rpcUrl?: string;
  deploymentFile?: string;
  /** How often own unexpired offers are gossiped again so peers that joined later learn them. */
  republishIntervalMs?: number;
  /** How often peers' RTTs are sampled for network coordinates (default: @aic/network's, 10 s). */
  coordinatesIntervalMs?: number;
  /** Connections the network keeps (its connection keeper); the network's own default when absent. */
  targetPeers?: number;
  /** Job roles beyond the requester's (which every node with a chain runs): provider, verifier, coordinator. */
  jobs?: Pick<JobServicesInit, 'requester' | 'provider' | 'verifier' | 'coordinator'>;
  /** The rater role (`--rater`): Proof-of-Value scores proposed, checked and challenged on chain (needs a chain). */
  rater?: RaterRoleInit;
  /** `--pov-validator`: a validator of the PoV chain on this node's network and key; its JSON-RPC becomes `rpcUrl`
   * unless one is given. */
  povValidator?: PovValidatorRoleInit;
  /** Who may use the API besides loopback clients with the token, and what it may spend (README "Security"). */
  api?: {
    /** Host names (or host:port) accepted in `Host` besides loopback and apiHost. */
    allowedHosts?: readonly string[];
    /** Origins accepted in `Origin` besides the API's own. */
    allowedOrigins?: readonly string[];
    /** Caps on what the API escrows per job and per UTC day; absent = no caps. */
    budget?: BudgetCaps;
  };
  /** Storage Vessel: `role` = `--storage` (take deals, keep replicas); `owner` = placing this node's datasets. */
  storage?: Pick<NodeStorageInit, 'role' | 'owner'>;
}

export interface AicNodeComponents {
  /** The member's 32-byte secp256k1 key (from its keystore): its PeerId and its chain address. */
  privateKey: Uint8Array;
  logger: Logger;
  createNetwork: NetworkFactory;
  /** Chain reads; default: the @aic/ledger client when init has rpcUrl and deploymentFile, else none. */
  ledger?: NodeLedger;
  metrics?: NodeMetrics;
  now?: () => number;
  /** What the Storage Vessel reads from the node's data role: its content store, chunk index and own datasets. */
  storage?: Omit<NodeStorageComponents, 'network' | 'logger' | 'spending'>;
}

export interface AicNode {
  /** Starts everything; aborting `signal` stops the node. Resolves once the API listens. */
  start(signal?: AbortSignal): Promise<void>;
  /** Stops the API, the network and flushes state. Idempotent. */
  stop(): Promise<void>;
  readonly apiUrl: string;
  /** The file holding the API token writes need (`<dataDir>/node/api-token`; its content is never logged). */
  readonly apiTokenFile: string;
  readonly peerId: string;
  readonly address: string;
  multiaddrs(): string[];
  /** Settles once the node has stopped (after stop() or an abort). */
  readonly stopped: Promise<void>;
}

interface Running {
  network: NodeNetwork;
  api: ApiServer;
  apiUrl: string;
  books: NodeBooks;
  /** Long-lived node services (offer republishing), stopped before the network. */
  services: RunningService[];
  /** `--pov-validator`'s chain: stopped after every role that reads or writes through its JSON-RPC (a job role
   * stopping against an RPC already gone retried its chain reads and never exited). */
  povChain: RunningService | undefined;
  jobs: JobServices | undefined;
  /** The data role: content store, datasets, holdings (stopped after the network). */
  data: DataService;
  /** Storage Vessel: replica placement and the --storage role. */
  storage: NodeStorageService;
  /** Models as assets and paid inference (serves the models this node holds). */
  models: NodeModelService;
  apiTokenFile: string;
  spending: SpendingGuard;
}

/**
 * The composition root of an AIC node: builds the network, the state books and the HTTP API from one init and one
 * set of components, and runs them under one lifecycle (Lodestar beacon-node/src/node/nodejs.ts).
 * Each role is built by its function in `node-roles.ts` and the API over them in `node-api.ts`; the start order
 * (`startServing`) and the one stop order (`stop`) stay here.
 *
 * @example
 * const node = createAicNode(init, { privateKey, logger, createNetwork: createAicNetworkAdapter });
 * await node.start(controller.signal);
 */
export function createAicNode(init: AicNodeInit, components: AicNodeComponents): AicNode {
  const now = components.now ?? Date.now;
  const metrics = components.metrics ?? createNodeMetrics();
  const log = moduleLogger(components.logger, 'node');
  let running: Running | undefined;
  let stopping: Promise<void> | undefined;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });

  const requireRunning = (): Running => {
    if (running === undefined) throw new AicError('NODE_NOT_STARTED', 'node is not started');
    return running;
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const r = running;
      if (r === undefined) return;
      log.info('stopping');
      for (const service of r.services) await service.stop();
      // Job roles first, while the network they unregister from is up; each waits (bounded) for its work.
      await r.jobs?.stop();
      await r.storage.stop();
      await r.models.stop();
      await r.api.stop();
      await r.povChain?.stop();
      await r.network.stop();
      await r.data.stop();
      await Promise.all([r.books.offers.flush(), r.books.jobs.flush(), r.books.peers.flush(), r.spending.flush()]);
      log.info('stopped');
    })().finally(markStopped);
    return stopping;
  };

  return {
    async start(signal) {
      if (signal?.aborted) throw new AicError('NODE_ABORTED', 'start aborted before it began');
      running = await startNode(init, { ...components, metrics, now, log });
      signal?.addEventListener('abort', () => void stop(), { once: true });
    },
    stop,
    get apiUrl() {
      return requireRunning().apiUrl;
    },
    get apiTokenFile() {
      return requireRunning().apiTokenFile;
    },
    get peerId() {
      return requireRunning().network.peerId;
    },
    get address() {
      return requireRunning().network.address;
    },
    multiaddrs: () => requireRunning().network.multiaddrs(),
    stopped,
  };
}

async function startNode(init: AicNodeInit, c: NodeStartComponents): Promise<Running> {
  const stateDir = join(init.dataDir, 'node');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const stale = await removeStaleTempFiles(stateDir);
  if (stale > 0) c.log.warn({ files: stale }, 'removed temp files of writes interrupted by a crash');
  const stateComponents = { logger: moduleLogger(c.logger, 'state'), metrics: c.metrics, now: c.now };
  const books = {
    offers: await loadItemBook(
      { path: join(stateDir, 'offers.json'), schema: offersFileSchema },
      { ...stateComponents, policy: offerPolicy },
    ),
    jobs: await loadItemBook(
      { path: join(stateDir, 'jobs.json'), schema: jobsFileSchema },
      { ...stateComponents, policy: jobPolicy },
    ),
    peers: await loadPeerBook(join(stateDir, 'peers.json'), stateComponents),
  };
  const network = await c.createNetwork(
    {
      privateKey: c.privateKey,
      listen: init.listen,
      bootstrap: init.bootstrap,
      ...(init.coordinatesIntervalMs === undefined ? {} : { coordinatesIntervalMs: init.coordinatesIntervalMs }),
      ...(init.targetPeers === undefined ? {} : { targetPeers: init.targetPeers }),
    },
    // @aic/network derives its own child loggers (module: network, network/gossip, …).
    { logger: c.logger },
  );
  await checkIdentityFile(join(stateDir, 'identity.json'), network, c.now);
  wireNetworkEvents(network, books, c);
  try {
    await network.start().catch((cause: unknown) => {
      if (isAicError(cause)) throw cause;
      throw new AicError('NODE_P2P_LISTEN_FAILED', `cannot listen on ${init.listen.join(', ')} (port taken?)`, {
        cause,
      });
    });
    return await startServing(init, c, network, books);
  } catch (error) {
    // E.g. a port is taken: without this a half-started libp2p node would keep the process alive.
    await network.stop().catch(() => undefined);
    throw error;
  }
}

/** With a chain: collects what ComputeMarket accrues for the node account (its assets' usage fees; the protocol fees
 * while it is the treasury), which settlement no longer pays out (issue 15). */
function startMarketIncomeService(init: AicNodeInit, c: NodeStartComponents): RunningService | undefined {
  const { rpcUrl, deploymentFile } = init;
  if (rpcUrl === undefined || deploymentFile === undefined) return undefined;
  const ledger = lazyLedgerClient({ rpcUrl, deploymentFile, privateKey: c.privateKey });
  const log = moduleLogger(c.logger, 'income');
  return startMarketIncomeCollection(
    { intervalMs: DEFAULT_PRESET.node.marketIncomeIntervalMs, minClaimWei: 0n },
    { ledger, log },
  );
}

async function startServing(
  nodeInit: AicNodeInit,
  c: NodeStartComponents,
  network: NodeNetwork,
  books: NodeBooks,
): Promise<Running> {
  const { povChain, init } = await startPovChainRole(nodeInit, c, network);
  redialKnownPeers(network, books.peers, c.log);
  const data = await startDataService(
    { dataDir: init.dataDir, privateKey: c.privateKey, rpcUrl: init.rpcUrl, deploymentFile: init.deploymentFile },
    { net: network.aic, peerId: network.peerId, logger: moduleLogger(c.logger, 'data'), metrics: c.metrics },
  );
  const { jobs, modelsReady } = await startJobRoles(init, c, network, data);
  const stateDir = join(init.dataDir, 'node');
  const apiToken = await loadOrCreateApiToken(init.dataDir, (warning) => c.log.warn(warning));
  const spending = await loadSpendingGuard(
    { path: join(stateDir, 'spending.json'), caps: init.api?.budget ?? {} },
    { logger: moduleLogger(c.logger, 'state'), metrics: c.metrics, now: c.now },
  );
  const models = await startModelRole(init, c, network, data, spending);
  modelsReady(models);
  const storage = await startStorageRole(init, c, network, data, spending);
  const parts = { network, books, data, models, storage, jobs, spending, apiToken: apiToken.token };
  const api = await createNodeApi(init, c, parts);
  const apiUrl = await api.start().catch(async (cause: unknown) => {
    await api.stop().catch(() => undefined);
    await models.stop().catch(() => undefined);
    await storage.stop().catch(() => undefined);
    await jobs?.stop().catch(() => undefined);
    await data.stop().catch(() => undefined);
    if (povChain) await povChain.stop().catch(() => undefined);
    const reason = (cause as { code?: unknown }).code ?? 'error';
    throw new AicError(
      'NODE_API_LISTEN_FAILED',
      `cannot listen on ${init.apiHost}:${init.apiPort} (${String(reason)})`,
      {
        cause,
        details: { reason: cause instanceof Error ? cause.message : String(cause) },
      },
    );
  });
  const services: RunningService[] = [
    startRepublishing(network, books.offers, init.republishIntervalMs ?? DEFAULT_PRESET.node.republishIntervalMs, c),
  ];
  const rater = await startRaterService(init, c);
  if (rater) services.push(rater);
  const income = startMarketIncomeService(init, c);
  if (income) services.push(income);
  c.log.info(
    {
      peerId: network.peerId,
      address: network.address,
      apiUrl,
      apiTokenFile: apiToken.file,
      multiaddrs: network.multiaddrs(),
    },
    'node started',
  );
  return {
    network,
    api,
    apiUrl,
    books,
    services,
    povChain,
    jobs,
    data,
    models,
    storage,
    apiTokenFile: apiToken.file,
    spending,
  };
}
