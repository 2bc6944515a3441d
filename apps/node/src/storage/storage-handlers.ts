/** The Storage Vessel endpoints over the node's storage service. */
import { AicError, aicToWei } from '@aic/core';
import type { ApiHandlers } from '../api/routes.ts';
import type { Placement } from './placements.ts';
import type { StorageRoleStatus } from './provider-role.ts';
import type { Replicator } from './replicator.ts';

export type StorageHandlers = Pick<ApiHandlers, 'replicateDataset' | 'storageStatus'>;

export interface StorageHandlerComponents {
  replicator: Replicator | undefined;
  placements: () => Placement[];
  roleStatus: (() => Promise<StorageRoleStatus>) | undefined;
}

const placementJson = (p: Placement) => ({ dealId: String(p.dealId), peerId: p.peerId, provider: p.provider });

const noChain = () =>
  new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');

export function createStorageHandlers(c: StorageHandlerComponents): StorageHandlers {
  return {
    replicateDataset: async ({ body }) => {
      if (!c.replicator) throw noChain();
      const result = await c.replicator.replicate({
        datasetId: BigInt(body.datasetId),
        replicas: body.replicas,
        pricePerEpochWei: body.pricePerEpochAic === undefined ? undefined : aicToWei(body.pricePerEpochAic),
        epochs: body.epochs,
      });
      return {
        datasetId: String(result.datasetId),
        segmentRoot: result.segmentRoot,
        sizeBytes: result.sizeBytes,
        placed: result.placed.map(placementJson),
        existing: result.existing.map(placementJson),
      };
    },
    storageStatus: async () => {
      const role = await c.roleStatus?.();
      return {
        storage: role !== undefined,
        capacityBytes: role?.capacityBytes ?? 0,
        usedBytes: role?.usedBytes ?? 0,
        earnedWei: String(role?.earnedWei ?? 0n),
        replicas: (role?.replicas ?? []).map((r) => ({
          datasetId: String(r.datasetId),
          segmentRoot: r.segmentRoot,
          sizeBytes: r.sizeBytes,
          manifestCid: r.manifestCid,
        })),
        deals: (role?.deals ?? []).map((d) => ({
          dealId: String(d.dealId),
          ...(d.datasetId === undefined ? {} : { datasetId: String(d.datasetId) }),
          state: d.state,
        })),
        placements: c.placements().map((p) => ({ ...placementJson(p), datasetId: String(p.datasetId) })),
      };
    },
  };
}

/** The handlers of a node without the storage service (no chain): writes answer 503, the status says so. */
export function unavailableStorageHandlers(): StorageHandlers {
  return createStorageHandlers({ replicator: undefined, placements: () => [], roleStatus: undefined });
}
