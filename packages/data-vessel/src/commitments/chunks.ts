import { AicError } from '@aic/core';
import { keccak256BulkParts } from '@aic/core/hash';
import { type Bytes32Input, bytesToHex0x, merkleProof, merkleRoot, verifyMerkleProof } from '@aic/core/merkle';
import { CHUNK_SIZE_BYTES } from '../limits.ts';
import { uint32Bytes } from './encode.ts';

export type Hex = `0x${string}`;

/**
 * Number of chunks a shard of `byteLength` bytes is cut into (at least one, even for an empty shard).
 * Every function here takes the chunk size as a last parameter (default CHUNK_SIZE_BYTES), so the same code commits
 * a stored blob in the StorageMarket's smaller segments.
 */
export function chunkCount(byteLength: number, chunkSizeBytes = CHUNK_SIZE_BYTES): number {
  return Math.max(1, Math.ceil(byteLength / chunkSizeBytes));
}

/** Chunk `index` of `shard` (a view, not a copy). Throws DATA_CHUNK_OUT_OF_RANGE. */
export function chunkAt(shard: Uint8Array, index: number, chunkSizeBytes = CHUNK_SIZE_BYTES): Uint8Array {
  const count = chunkCount(shard.length, chunkSizeBytes);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new AicError('DATA_CHUNK_OUT_OF_RANGE', `chunk ${index} is outside the shard`, {
      details: { index, chunkCount: count },
    });
  }
  return shard.subarray(index * chunkSizeBytes, Math.min(shard.length, (index + 1) * chunkSizeBytes));
}

/**
 * The Merkle leaf of a chunk: keccak256(abi.encodePacked(uint32 index, bytes chunk)), exactly the StorageMarket
 * contract's segment leaf, so a root computed here is one the contract checks proofs against. The index is inside
 * the leaf because the commutative pair hash does not fix positions; without it a chunk could be proven elsewhere.
 */
export function chunkLeaf(index: number, chunk: Uint8Array): Uint8Array {
  // Hashed as two parts: no copy of the chunk behind its index (a 256 KiB allocation per chunk).
  return keccak256BulkParts([chunkLeafPrefix(index), chunk]);
}

/** What a chunk leaf hashes before the chunk's bytes (uint32 index, big-endian): the fetch path's worker hashes it. */
export function chunkLeafPrefix(index: number): Uint8Array {
  return uint32Bytes(index);
}

/** The shard root from its chunk leaves in order, as 0x hex (what `shardRoot` returns for the shard's bytes). */
export function shardRootOfLeaves(leaves: readonly Uint8Array[]): Hex {
  return bytesToHex0x(merkleRoot(leaves));
}

/** The chunk leaves of a whole shard, in order. */
export function shardChunkLeaves(shard: Uint8Array, chunkSizeBytes = CHUNK_SIZE_BYTES): Uint8Array[] {
  return Array.from({ length: chunkCount(shard.length, chunkSizeBytes) }, (_, i) =>
    chunkLeaf(i, chunkAt(shard, i, chunkSizeBytes)),
  );
}

/** The shard root: the Merkle root over its chunk leaves, as 0x hex. */
export function shardRoot(shard: Uint8Array, chunkSizeBytes = CHUNK_SIZE_BYTES): Hex {
  return shardRootOfLeaves(shardChunkLeaves(shard, chunkSizeBytes));
}

/** The proof that chunk `index` belongs to the shard (siblings bottom first, `bytes32[]` for OZ MerkleProof). */
export function chunkProof(leaves: readonly Uint8Array[], index: number): Hex[] {
  return merkleProof(leaves, index);
}

/**
 * True when `chunk` is chunk `index` of the shard committed by `shardRoot`. Malformed proofs and oversize chunks
 * give false, never a throw, because all of this comes from untrusted peers.
 *
 * @example
 * if (!verifyChunk(chunk, 3, proof, manifest.shards[0].root)) fetchFromAnotherHolder();
 */
export function verifyChunk(
  chunk: Uint8Array,
  index: number,
  proof: readonly Bytes32Input[],
  root: Bytes32Input,
  chunkSizeBytes = CHUNK_SIZE_BYTES,
): boolean {
  if (!Number.isInteger(index) || index < 0 || index > 0xffffffff || chunk.length > chunkSizeBytes) return false;
  try {
    return verifyMerkleProof(chunkLeaf(index, chunk), proof, root);
  } catch {
    return false;
  }
}
