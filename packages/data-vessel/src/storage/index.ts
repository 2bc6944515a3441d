export {
  type BlobHolder,
  createStorageClient,
  type DealAcceptor,
  type StorageClient,
} from './client.ts';
export { type DealBook, openDealBook, type ServedDeal } from './deal-book.ts';
export { DealState, type DealTerms, proposeStorageDeal, readDeal, type StorageDeal } from './market.ts';
export {
  type ChallengeOutcome,
  createStorageProvider,
  type StorageProvider,
  type StorageProviderOptions,
} from './provider.ts';
export { remoteBlobHolder, serveSegments } from './remote-holder.ts';
export { openSegmentStore, type SegmentStore } from './segment-store.ts';
export { type BlobCommitment, commitBlob, STORAGE_SEGMENT_BYTES, segmentAnswer, splitSegments } from './segments.ts';
