export {
  type BlobHolder,
  createStorageClient,
  type DealAcceptor,
  type StorageClient,
} from './client.ts';
export {
  type ContentBlocks,
  type DatasetReplica,
  type DatasetReplicaStore,
  type DatasetReplicaStoreInit,
  openDatasetReplicaStore,
  type ReplicaOf,
  type ReplicaSummary,
  type StagedReplica,
} from './dataset-replicas.ts';
export { type DealBook, openDealBook, type ServedDeal } from './deal-book.ts';
export { MAX_DEAL_HOLDERS, storageDealProtocol, storageQuoteProtocol } from './deal-protocol.ts';
export { DealState, type DealTerms, proposeStorageDeal, readDeal, type StorageDeal } from './market.ts';
export {
  type ChallengeOutcome,
  createStorageProvider,
  type ReplicaStore,
  type StorageProvider,
  type StorageProviderOptions,
} from './provider.ts';
export { remoteBlobHolder, serveSegments } from './remote-holder.ts';
export { fetchReplicaChunks, type ReplicaChunkSink } from './replica-fetch.ts';
export {
  type ReplicaChunk,
  type ReplicaLayout,
  replicaBlob,
  replicaCommitment,
  replicaLayout,
  sealedChunkLength,
} from './replica-layout.ts';
export { type HeldReplicaSource, replicaCommitmentOf, type SegmentLeaves, segmentLeaves } from './segment-leaves.ts';
export { openSegmentStore, type SegmentStore } from './segment-store.ts';
export { type BlobCommitment, commitBlob, STORAGE_SEGMENT_BYTES, segmentAnswer, splitSegments } from './segments.ts';
