import { chunkAt, chunkCount } from '../commitments/index.ts';
import { decryptChunk, encryptChunk } from './chunk-cipher.ts';

/** Encrypts a whole shard chunk by chunk (the committed 256 KiB chunks), in order. */
export function encryptShard(
  key: Uint8Array,
  datasetRoot: `0x${string}`,
  shardIndex: number,
  shard: Uint8Array,
): Uint8Array[] {
  return Array.from({ length: chunkCount(shard.length) }, (_, chunkIndex) =>
    encryptChunk(key, { datasetRoot, shardIndex, chunkIndex }, chunkAt(shard, chunkIndex)),
  );
}

/** Decrypts the sealed chunks of a shard back into the shard bytes. Throws DATA_DECRYPT_FAILED. */
export function decryptShard(
  key: Uint8Array,
  datasetRoot: `0x${string}`,
  shardIndex: number,
  sealed: readonly Uint8Array[],
): Uint8Array {
  const plain = sealed.map((chunk, chunkIndex) => decryptChunk(key, { datasetRoot, shardIndex, chunkIndex }, chunk));
  const out = new Uint8Array(plain.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of plain) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
