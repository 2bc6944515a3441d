import { AicError } from '@aic/core';
import {
  type Bytes32Input,
  bytesToHex0x,
  merkleLeaf,
  merkleProof,
  merkleRoot,
  verifyMerkleProof,
} from '@aic/core/merkle';
import { CHUNK_SIZE_BYTES } from '../limits.ts';
import { concatBytes, uint256Word } from './encode.ts';

export type Hex = `0x${string}`;

/** Number of chunks a shard of `byteLength` bytes is cut into (at least one, even for an empty shard). */
export function chunkCount(byteLength: number): number {
  return Math.max(1, Math.ceil(byteLength / CHUNK_SIZE_BYTES));
}

/** Chunk `index` of `shard` (a view, not a copy). Throws DATA_CHUNK_OUT_OF_RANGE. */
export function chunkAt(shard: Uint8Array, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= chunkCount(shard.length)) {
    throw new AicError('DATA_CHUNK_OUT_OF_RANGE', `chunk ${index} is outside the shard`, {
      details: { index, chunkCount: chunkCount(shard.length) },
    });
  }
  return shard.subarray(index * CHUNK_SIZE_BYTES, Math.min(shard.length, (index + 1) * CHUNK_SIZE_BYTES));
}

/**
 * The Merkle leaf of a chunk: keccak256(keccak256(uint256(index) ‖ chunk)). The index is inside the leaf because
 * the tree's commutative pair hash does not fix positions; without it a chunk could be proven at another index.
 * Solidity: `keccak256(bytes.concat(keccak256(abi.encodePacked(index, chunk))))`.
 */
export function chunkLeaf(index: number, chunk: Uint8Array): Uint8Array {
  return merkleLeaf(concatBytes(uint256Word(index), chunk));
}

/** The chunk leaves of a whole shard, in order. */
export function shardChunkLeaves(shard: Uint8Array): Uint8Array[] {
  return Array.from({ length: chunkCount(shard.length) }, (_, i) => chunkLeaf(i, chunkAt(shard, i)));
}

/** The shard root: the Merkle root over its chunk leaves, as 0x hex. */
export function shardRoot(shard: Uint8Array): Hex {
  return bytesToHex0x(merkleRoot(shardChunkLeaves(shard)));
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
): boolean {
  if (!Number.isSafeInteger(index) || index < 0 || chunk.length > CHUNK_SIZE_BYTES) return false;
  try {
    return verifyMerkleProof(chunkLeaf(index, chunk), proof, root);
  } catch {
    return false;
  }
}
