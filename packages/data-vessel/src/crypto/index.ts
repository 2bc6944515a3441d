export {
  type ChunkPosition,
  chunkAad,
  chunkNonce,
  decryptChunk,
  encryptChunk,
  GCM_TAG_BYTES,
  generateDatasetKey,
} from './chunk-cipher.ts';
export { unwrapDatasetKey, WRAPPED_KEY_BYTES, wrapDatasetKey } from './key-wrap.ts';
export { peerIdFromPublicKey, publicKeyFromPeerId } from './peer-id.ts';
export { decryptShard, encryptShard } from './shard-cipher.ts';
