/**
 * The node's Storage Vessel service, both sides: every node with a chain can place replicas of the datasets it holds
 * (`POST /v1/datasets/replicate`) and audits them; `--storage` adds the provider role. Built from one init and its
 * components, under one start()/stop().
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isAicError } from '@aic/core';
import { DEFAULT_PRESET, type StoragePreset } from '@aic/core/params';
import { type ContentStore, type HeldChunkIndex, openContentStore, type ReplicaSummary } from '@aic/data-vessel';
import { createSerialQueue } from '@aic/gpu-vessel';
import { connectLedger } from '@aic/ledger';
import type { Logger } from 'pino';
import type { SpendingGuard } from '../api/budget.ts';
import type { NodeNetwork } from '../network-port.ts';
import { type Loop, startLoop } from './loop.ts';
import { loadPlacementBook } from './placements.ts';
import { createStorageRole, type StorageRole, type StorageRoleOptions } from './provider-role.ts';
import { loadReplicaKeyBook } from './replica-keys.ts';
import { createReplicator, type DatasetKey, type HeldDataset } from './replicator.ts';
import { createStorageHandlers, type StorageHandlers, unavailableStorageHandlers } from './storage-handlers.ts';

export interface NodeStorageInit {
  dataDir: string;
  rpcUrl?: string | undefined;
  deploymentFile?: string | undefined;
  privateKey: Uint8Array;
  /** `--storage`: run the Storage Vessel provider role with these settings. */
  role?: StorageRoleOptions | undefined;
  /** The data owner's settings (deal length, collateral, audits); default: the default preset's. */
  owner?: Pick<StoragePreset, 'dealEpochs' | 'collateralPerPrice' | 'acceptTimeoutMs' | 'auditIntervalMs'> | undefined;
}

export interface NodeStorageComponents {
  network: NodeNetwork;
  logger: Logger;
  /** The node's content store and chunk index (the data role's); absent = this service opens its own and serves it. */
  content?: ContentStore | undefined;
  held?: HeldChunkIndex | undefined;
  /** The datasets this node publishes (the data role's), as the replicator reads them. */
  ownDataset?: ((datasetId: bigint) => Promise<HeldDataset | undefined>) | undefined;
  /** Their blocks in the shared content store: a dropped replica never deletes these. */
  ownBlocks?: (() => Iterable<string>) | undefined;
  /** Holdings gossip: a replica held here (role 'replica'). */
  announce?: ((replica: ReplicaSummary) => void) | undefined;
  withdraw?: ((replica: ReplicaSummary) => void) | undefined;
  /** The API's budget caps: the escrow of every deal this node proposes counts against them. */
  spending?: SpendingGuard | undefined;
  /** The key of a dataset this node publishes (the data role's), wrapped to each storage node with its deal. */
  ownDatasetKey?: ((datasetId: bigint) => DatasetKey | undefined) | undefined;
  /** The node's key-release server (the data role's one `/aic/dataset-key` handler): replica keys join it. */
  releaseKeys?: ReplicaKeyRelease | undefined;
}

/** Adds and removes replica keys in the data role's key-release map (under the same on-chain rule as its own). */
export interface ReplicaKeyRelease {
  add(datasetId: string, released: DatasetKey): void;
  remove(datasetId: string): void;
}

export interface NodeStorageService {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly handlers: StorageHandlers;
  /** The provider role, when `--storage`. */
  readonly role: StorageRole | undefined;
}

const errorLine = (error: unknown) => (isAicError(error) ? error.toLine() : String(error));

/** Creates the service; without a chain (or a real network) it only answers the API with 503. */
export async function createNodeStorageService(
  init: NodeStorageInit,
  c: NodeStorageComponents,
): Promise<NodeStorageService> {
  const net = c.network.aic;
  if (init.rpcUrl === undefined || init.deploymentFile === undefined || net === undefined) {
    return {
      start: async () => undefined,
      stop: async () => undefined,
      handlers: unavailableStorageHandlers(),
      role: undefined,
    };
  }
  const dir = join(init.dataDir, 'storage');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ledger = await connectLedger({
    rpcUrl: init.rpcUrl,
    deploymentFile: init.deploymentFile,
    privateKey: init.privateKey,
  });
  const send = createSerialQueue();
  const ownContent = c.content ? undefined : await openContentStore(join(dir, 'content'));
  const content = (c.content ?? ownContent) as ContentStore;
  // Keys owners handed this node with their replicas: kept wrapped on disk, unwrapped in memory for release.
  const keyBook = await loadReplicaKeyBook(dir, init.privateKey);
  const replicaKeys = new Map<string, DatasetKey>();
  const replicaKeyKeeper = {
    async keep(datasetId: bigint, datasetRoot: `0x${string}`, wrappedKey: Uint8Array) {
      const kept = await keyBook.keep(String(datasetId), datasetRoot, wrappedKey);
      replicaKeys.set(kept.datasetId, kept);
      c.releaseKeys?.add(kept.datasetId, kept);
    },
    async drop(datasetId: bigint) {
      replicaKeys.delete(String(datasetId));
      c.releaseKeys?.remove(String(datasetId));
      await keyBook.drop(String(datasetId));
    },
  };
  const role = init.role
    ? createStorageRole(
        { ...init.role, dir: join(dir, 'provider') },
        {
          net,
          ledger,
          content,
          heldElsewhere: c.ownBlocks,
          held: c.held,
          send,
          log: c.logger,
          announce: c.announce,
          withdraw: c.withdraw,
          replicaKeys: replicaKeyKeeper,
        },
      )
    : undefined;
  const placements = await loadPlacementBook(dir);
  const owner = init.owner ?? DEFAULT_PRESET.storage;
  const replicator = createReplicator(owner, {
    net,
    ledger,
    placements,
    send,
    log: c.logger,
    spending: c.spending,
    heldDataset: async (datasetId) => (await c.ownDataset?.(datasetId)) ?? (await role?.replicas.datasetOf(datasetId)),
    datasetKey: (datasetId) => c.ownDatasetKey?.(datasetId) ?? replicaKeys.get(String(datasetId)),
  });
  let audit: Loop | undefined;
  return {
    role,
    handlers: createStorageHandlers({ replicator, placements: () => placements.all(), roleStatus: role?.status }),
    async start() {
      if (role) {
        // Only the keys of replicas still held are served again (a deal that ended while the node was down is not).
        const held = new Set((await role.replicas.list()).map((r) => String(r.datasetId)));
        for (const kept of keyBook.list()) {
          if (!held.has(kept.datasetId)) continue;
          replicaKeys.set(kept.datasetId, kept);
          c.releaseKeys?.add(kept.datasetId, kept);
        }
      }
      await role?.start();
      if (owner.auditIntervalMs > 0) {
        audit = startLoop(
          owner.auditIntervalMs,
          () => replicator.audit(),
          (error) => c.logger.warn({ err: errorLine(error) }, 'storage audit failed'),
        );
      }
    },
    async stop() {
      await audit?.stop();
      await role?.stop();
      await ownContent?.stop();
    },
  };
}
