/**
 * The node's HTTP API built over its running roles: the route handlers, the fastify server with its access rules
 * and the live job-events stream. Built here, started (and stopped) by the composition root in `node.ts`.
 */

import type { SpendingGuard } from './api/budget.ts';
import { createApiHandlers } from './api/handlers.ts';
import { registerJobEvents } from './api/job-events.ts';
import type { JobAnnouncement, Offer } from './api/schemas.ts';
import { type ApiServer, createApiServer } from './api/server.ts';
import type { DataService } from './data/data-service.ts';
import type { JobServices } from './jobs/job-services.ts';
import { payerPortOf } from './jobs/payer-accounts.ts';
import { createLedgerReader } from './ledger-adapter.ts';
import type { NodeLedger } from './ledger-port.ts';
import { moduleLogger } from './logger.ts';
import type { NodeModelService } from './models/model-service.ts';
import type { NodeNetwork } from './network-port.ts';
import type { AicNodeInit } from './node.ts';
import type { NodeStartComponents } from './node-roles.ts';
import type { ItemBook } from './services/item-book.ts';
import type { PeerBook } from './services/peer-book.ts';
import type { NodeStorageService } from './storage/storage-service.ts';
import { NODE_VERSION } from './version.ts';
import { createPlazaDetails } from './web/plaza-details.ts';

/** The node's state books the API reads and writes. */
export interface NodeBooks {
  offers: ItemBook<Offer>;
  jobs: ItemBook<JobAnnouncement>;
  peers: PeerBook;
}

/** What the API serves: the network, the books and every role's handlers. */
export interface NodeApiParts {
  network: NodeNetwork;
  books: NodeBooks;
  data: DataService;
  models: NodeModelService;
  storage: NodeStorageService;
  jobs: JobServices | undefined;
  spending: SpendingGuard;
  apiToken: string;
}

/** The API server over the node's roles, not yet listening. */
export async function createNodeApi(
  init: AicNodeInit,
  c: NodeStartComponents,
  parts: NodeApiParts,
): Promise<ApiServer> {
  const { network, books, data, models, storage, jobs, spending } = parts;
  const handlers = createApiHandlers({
    dataService: data,
    plazaDetails: createPlazaDetails({ dataDir: init.dataDir, content: data.store }),
    modelHandlers: models.handlers,
    storageHandlers: storage.handlers,
    spending,
    jobServices: jobs,
    network,
    ...books,
    metrics: c.metrics,
    logger: moduleLogger(c.logger, 'api'),
    startedAtMs: c.now(),
    now: c.now,
    version: NODE_VERSION,
    role: init.role,
    ledger: c.ledger ?? defaultLedger(init, c.privateKey),
  });
  const api = await createApiServer(
    {
      host: init.apiHost,
      port: init.apiPort,
      version: NODE_VERSION,
      access: {
        token: parts.apiToken,
        allowedHosts: init.api?.allowedHosts,
        allowedOrigins: init.api?.allowedOrigins,
        // An EIP-712 signature by the node's own account is the alternative credential (browser wallets).
        signer: network.address,
      },
    },
    { handlers, metrics: c.metrics, logger: moduleLogger(c.logger, 'http') },
  );
  // Live job progress for the web client (server-sent events, outside the JSON route table).
  registerJobEvents(api.fastify, {
    jobs: () => jobs,
    peerAddresses: () => network.getPeers().map((p) => p.address),
    offers: () => books.offers.list('all'),
  });
  return api;
}

function defaultLedger(init: AicNodeInit, privateKey: Uint8Array): NodeLedger | undefined {
  if (init.rpcUrl === undefined || init.deploymentFile === undefined) return undefined;
  const chain = { rpcUrl: init.rpcUrl, deploymentFile: init.deploymentFile, privateKey };
  return createLedgerReader({ ...chain, payers: payerPortOf({ ...chain, dataDir: init.dataDir }, 'job') });
}
