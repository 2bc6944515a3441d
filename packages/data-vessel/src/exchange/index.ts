export { type BadHolderReason, badHolderReporter, type OnBadHolder } from './bad-holder.ts';
export {
  BULK_LENGTH_BYTES,
  BULK_TAG_BYTES,
  deriveBulkKeys,
  type FrameFailure,
  FrameOpener,
  FrameSealer,
} from './bulk-crypto.ts';
export { startBulkServer, stopBulkServer } from './bulk-server.ts';
export { type BulkUnavailableReason, openBulkSession } from './bulk-session.ts';
export { BULK_LIMITS, BULK_PROTOCOL, bulkListenHost, tcpHostOf } from './bulk-wire.ts';
export { fetchSealedChunk } from './chunk-client.ts';
export { CHUNK_SERVER_LIMITS, type SealedChunkStore, serveDataset, stopServingDataset } from './chunk-server.ts';
export {
  CHUNK_FETCH_TIMEOUT_MS,
  type ChunkHolder,
  type ChunkSession,
  type ChunkSessionInit,
  openChunkSession,
} from './chunk-session.ts';
export { sealedChunkStore } from './chunk-store.ts';
export {
  CHUNK_REQUEST_BYTES,
  CHUNK_RESPONSE_HEADER_BYTES,
  type ChunkRequest,
  type ChunkResponse,
  ChunkStatus,
  DATA_CHUNK_PROTOCOL,
  decodeChunkRequest,
  decodeChunkResponse,
  encodeChunkRequest,
  encodeChunkResponse,
  MAX_CHUNK_RESPONSE_BYTES,
  sealedOfResponse,
} from './chunk-wire.ts';
export { type FetchContentOptions, fetchContent } from './content-client.ts';
export { type ContentSource, serveContent, stopServingContent } from './content-server.ts';
export { bytesMatchCid, CONTENT_LIMITS, CONTENT_PROTOCOL, ContentStatus, parseCheckableCid } from './content-wire.ts';
export { type FetchDatasetInit, type FetchedDataset, fetchDataset } from './fetch-dataset.ts';
export { type FetchPath, type HolderSession, type OnFetchPath, openHolderSession } from './holder-session.ts';
export {
  createKeyReleaseHandler,
  type DatasetKeyRequest,
  type KeyReleaseInit,
  type KeyReleaseRequest,
  NO_JOB_ID,
  type ReleasableDataset,
  requestDatasetKey,
  serveDatasetKeys,
} from './key-release.ts';
export {
  createTransferMeter,
  holderKey,
  meterChunk,
  type RemoteShardInit,
  remoteChunkSources,
  remoteSealedSource,
  type TransferMeter,
} from './remote-source.ts';
