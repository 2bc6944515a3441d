/**
 * How each role of a node is built from the node's init and components: the PoV validator's chain, the job roles
 * (with the coordinator's canary assets), models as assets, the Storage Vessel and the rater. Each function starts one
 * role and hands back its service; `node.ts` (the composition root) calls them in order and owns the one stop order.
 */

import { connectLedger } from '@aic/ledger';
import type { Logger } from 'pino';
import type { SpendingGuard } from './api/budget.ts';
import type { DataService } from './data/data-service.ts';
import { holdingsLocality } from './holdings/index.ts';
import { canaryAssetsOf } from './jobs/canary-assets.ts';
import { type JobServices, startJobServices } from './jobs/job-services.ts';
import { moduleLogger } from './logger.ts';
import type { NodeMetrics } from './metrics.ts';
import { createNodeModelService, type NodeModelService } from './models/model-service.ts';
import type { NodeNetwork } from './network-port.ts';
import type { AicNodeComponents, AicNodeInit } from './node.ts';
import { startRaterRole } from './rater/rater-role.ts';
import { startPovValidatorRole } from './services/pov-validator.ts';
import type { RunningService } from './services/republisher.ts';
import { storageComponentsOfDataRole } from './storage/data-role.ts';
import { createNodeStorageService, type NodeStorageService } from './storage/storage-service.ts';

/** The node's components once its defaults are filled in (what every role is built from). */
export type NodeStartComponents = AicNodeComponents & { metrics: NodeMetrics; now: () => number; log: Logger };

/**
 * `--pov-validator`: starts the PoV chain (first: the ledger roles read and write through its JSON-RPC) and returns
 * the init the other roles use, with the validator's RPC as `rpcUrl` unless one was given.
 */
export async function startPovChainRole(
  nodeInit: AicNodeInit,
  c: NodeStartComponents,
  network: NodeNetwork,
): Promise<{ povChain: RunningService | undefined; init: AicNodeInit }> {
  const pov =
    nodeInit.povValidator &&
    (await startPovValidatorRole(
      { ...nodeInit.povValidator, dataDir: nodeInit.dataDir },
      { privateKey: c.privateKey, network, logger: moduleLogger(c.logger, 'pov') },
    ));
  const init = pov && nodeInit.rpcUrl === undefined ? { ...nodeInit, rpcUrl: pov.rpcUrl } : nodeInit;
  return { povChain: pov || undefined, init };
}

/**
 * The job roles (requester, and provider / verifier / coordinator as configured) where the node has a chain.
 * `modelsReady` hands the coordinator the model service once it runs: canaries train assets this node publishes
 * through its data role and model service, on the first canary (the model service starts after the job roles).
 */
export async function startJobRoles(
  init: AicNodeInit,
  c: NodeStartComponents,
  network: NodeNetwork,
  data: DataService,
): Promise<{ jobs: JobServices | undefined; modelsReady: (models: NodeModelService) => void }> {
  let modelsReady: (models: NodeModelService) => void = () => {};
  const canaryModels = new Promise<NodeModelService>((resolve) => {
    modelsReady = resolve;
  });
  const coordinator = init.jobs?.coordinator && {
    ...init.jobs.coordinator,
    canaryAssets: canaryAssetsOf({
      dataDir: init.dataDir,
      publishDataset: (input) => data.publishDataset(input),
      publishModel: async (manifest) =>
        await (await canaryModels).handlers.publishModel({ body: { manifest, pricePerUseAic: '0' }, query: undefined }),
    }),
  };
  const jobs =
    init.rpcUrl !== undefined && init.deploymentFile !== undefined && network.aic !== undefined
      ? await startJobServices(
          {
            ...init.jobs,
            ...(coordinator ? { coordinator } : {}),
            dataDir: init.dataDir,
            rpcUrl: init.rpcUrl,
            deploymentFile: init.deploymentFile,
            privateKey: c.privateKey,
            assets: data.assets,
            locality: holdingsLocality(data.holdings),
          },
          network.aic,
          moduleLogger(c.logger, 'jobs'),
        )
      : undefined;
  return { jobs, modelsReady };
}

/** Models as assets and paid inference, started (serves the models this node holds). */
export async function startModelRole(
  init: AicNodeInit,
  c: NodeStartComponents,
  network: NodeNetwork,
  data: DataService,
  spending: SpendingGuard,
): Promise<NodeModelService> {
  const models = await createNodeModelService(
    { dataDir: init.dataDir, rpcUrl: init.rpcUrl, deploymentFile: init.deploymentFile, privateKey: c.privateKey },
    // the data role's store and holdings book: manifests are served over /aic/content, models announced as held
    { network, logger: moduleLogger(c.logger, 'models'), spending, content: data.store, holdings: data.holdings },
  );
  await models.start();
  return models;
}

/** The Storage Vessel, started: replica placement for this node's datasets and the `--storage` role. */
export async function startStorageRole(
  init: AicNodeInit,
  c: NodeStartComponents,
  network: NodeNetwork,
  data: DataService,
  spending: SpendingGuard,
): Promise<NodeStorageService> {
  const storage = await createNodeStorageService(
    {
      dataDir: init.dataDir,
      rpcUrl: init.rpcUrl,
      deploymentFile: init.deploymentFile,
      privateKey: c.privateKey,
      ...init.storage,
    },
    // Replicas share the data role's store, chunk index and holdings; it also hands over the datasets it published.
    {
      ...storageComponentsOfDataRole(data),
      ...c.storage,
      network,
      logger: moduleLogger(c.logger, 'storage'),
      spending,
    },
  );
  await storage.start();
  return storage;
}

/** `--rater`, where the node has a chain: its own ledger client signing with the node's key. */
export async function startRaterService(
  init: AicNodeInit,
  c: NodeStartComponents,
): Promise<RunningService | undefined> {
  if (!init.rater || init.rpcUrl === undefined || init.deploymentFile === undefined) return undefined;
  const ledger = await connectLedger({
    rpcUrl: init.rpcUrl,
    deploymentFile: init.deploymentFile,
    privateKey: c.privateKey,
  });
  return startRaterRole(init.rater, ledger, moduleLogger(c.logger, 'rater'));
}
