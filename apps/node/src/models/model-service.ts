/**
 * Models as assets in the node (one service under the node's lifecycle): the content store for published manifests,
 * the catalog of held models, the model-call server, the caller side and the API handlers. Without a chain the
 * endpoints answer LEDGER_UNAVAILABLE (503) and nothing is served.
 */
import { join } from 'node:path';
import { AicError } from '@aic/core';
import type { Logger } from 'pino';
import type { SpendingGuard } from '../api/budget.ts';
import type { NodeNetwork } from '../network-port.ts';
import { createModelCalls } from './model-calls.ts';
import { createModelCatalog } from './model-catalog.ts';
import { type ContentStore, openFileContentStore } from './model-content.ts';
import { createModelHandlers, type ModelHandlers } from './model-handlers.ts';
import type { ModelHoldingsBook } from './model-holdings.ts';
import { createModelLedger, type ModelLedger } from './model-ledger.ts';
import { createModelServing } from './model-serving.ts';

export interface ModelServiceInit {
  dataDir: string;
  rpcUrl?: string | undefined;
  deploymentFile?: string | undefined;
  privateKey: Uint8Array;
}

export interface ModelServiceComponents {
  network: NodeNetwork;
  logger: Logger;
  spending?: SpendingGuard | undefined;
  holdings?: ModelHoldingsBook | undefined;
  /** The node's content store (the data role's Helia store); default: files under `<dataDir>/models/content`. */
  content?: ContentStore | undefined;
  /** Tests: a ledger other than the JSON-RPC client. */
  ledger?: ModelLedger | undefined;
}

export interface NodeModelService {
  readonly handlers: ModelHandlers;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createNodeModelService(
  init: ModelServiceInit,
  c: ModelServiceComponents,
): Promise<NodeModelService> {
  const ledger =
    c.ledger ??
    (init.rpcUrl !== undefined && init.deploymentFile !== undefined
      ? createModelLedger({ rpcUrl: init.rpcUrl, deploymentFile: init.deploymentFile, privateKey: init.privateKey })
      : undefined);
  if (ledger === undefined)
    return { handlers: unavailableModelHandlers(), start: async () => {}, stop: async () => {} };
  const ownContent = c.content === undefined;
  const content = c.content ?? (await openFileContentStore(join(init.dataDir, 'models', 'content')));
  const catalog = createModelCatalog(init.dataDir);
  const serving = createModelServing({
    net: c.network.aic,
    ledger,
    catalog,
    content,
    holdings: c.holdings,
    logger: c.logger,
  });
  const calls = createModelCalls({ network: c.network, ledger, serving, holdings: c.holdings, logger: c.logger });
  const handlers = createModelHandlers({
    ledger,
    content,
    catalog,
    serving,
    calls,
    holdings: c.holdings,
    spending: c.spending,
    logger: c.logger,
  });
  return {
    handlers,
    start: () => serving.start(),
    async stop() {
      await serving.stop();
      if (ownContent) await content.stop();
    },
  };
}

export function unavailableModelHandlers(): ModelHandlers {
  const refuse = async (): Promise<never> => {
    throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
  };
  return { publishModel: refuse, setModelPrice: refuse, callModel: refuse, quoteUses: refuse, buyUses: refuse };
}
