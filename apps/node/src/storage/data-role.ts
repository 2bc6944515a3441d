/**
 * The Storage Vessel's view of the node's data role (`data/data-service.ts`): one content store for datasets and
 * replicas, one chunk index the node serves `/aic/data-chunk` from, the holdings it announces, and the datasets it
 * published. Typed by shape, so storage does not depend on how the data role is built.
 */
import type { ContentStore, HeldChunkIndex, ReplicaSummary } from '@aic/data-vessel';
import { heldDatasetFromContent } from './held-dataset.ts';
import type { DatasetKey } from './replicator.ts';
import type { NodeStorageComponents, ReplicaKeyRelease } from './storage-service.ts';

export interface DataRoleView {
  readonly store: ContentStore;
  readonly chunks: HeldChunkIndex;
  readonly holdings: {
    announce(holding: { kind: 'dataset'; assetId: string; root: `0x${string}`; bytes: number; role: 'replica' }): void;
    withdraw(kind: 'dataset', assetId: string): void;
  };
  datasets(): readonly { datasetId: string; manifestCid: string; chunkCids: readonly (readonly string[])[] }[];
  /** Its own datasets' keys, and the key-release map replica keys join (the node serves one key handler). */
  datasetKey?(datasetId: string): DatasetKey | undefined;
  readonly replicaKeys?: ReplicaKeyRelease | undefined;
}

/** The storage service's components taken from the data role: its store, its chunk index, its datasets, holdings. */
export function storageComponentsOfDataRole(
  data: DataRoleView,
): Omit<NodeStorageComponents, 'network' | 'logger' | 'spending'> {
  const replicaHolding = (r: ReplicaSummary) => ({
    kind: 'dataset' as const,
    assetId: String(r.datasetId),
    root: r.datasetRoot,
    bytes: r.sizeBytes,
    role: 'replica' as const,
  });
  return {
    content: data.store,
    held: data.chunks,
    ownDataset: async (datasetId) => {
      const entry = data.datasets().find((d) => d.datasetId === String(datasetId));
      return entry && (await heldDatasetFromContent(data.store, entry));
    },
    ownBlocks: function* () {
      for (const d of data.datasets()) {
        yield d.manifestCid;
        for (const cids of d.chunkCids) yield* cids;
      }
    },
    ownDatasetKey: (datasetId) => data.datasetKey?.(String(datasetId)),
    releaseKeys: data.replicaKeys,
    announce: (replica) => data.holdings.announce(replicaHolding(replica)),
    withdraw: (replica) => {
      // The owner's own holding of the same dataset stays (it is booked by the data role, not by storage).
      if (!data.datasets().some((d) => d.datasetId === String(replica.datasetId))) {
        data.holdings.withdraw('dataset', String(replica.datasetId));
      }
    },
  };
}
