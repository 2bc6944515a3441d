export { CHUNK_FETCH_TIMEOUT_MS, type ChunkHolder, fetchSealedChunk } from './chunk-client.ts';
export { CHUNK_SERVER_LIMITS, type SealedChunkStore, serveDataset, stopServingDataset } from './chunk-server.ts';
export { sealedChunkStore } from './chunk-store.ts';
export {
  CHUNK_REQUEST_BYTES,
  ChunkStatus,
  DATA_CHUNK_PROTOCOL,
  decodeChunkRequest,
  decodeChunkResponse,
  encodeChunkRequest,
  encodeChunkResponse,
  MAX_CHUNK_RESPONSE_BYTES,
} from './chunk-wire.ts';
export { type FetchDatasetInit, type FetchedDataset, fetchDataset } from './fetch-dataset.ts';
export {
  createKeyReleaseHandler,
  type DatasetKeyRequest,
  type KeyReleaseInit,
  type ReleasableDataset,
  requestDatasetKey,
  serveDatasetKeys,
} from './key-release.ts';
export {
  createTransferMeter,
  type RemoteShardInit,
  remoteChunkSources,
  remoteSealedSource,
  type TransferMeter,
} from './remote-source.ts';
