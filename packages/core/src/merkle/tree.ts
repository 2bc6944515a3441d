import { keccak_256 } from '@noble/hashes/sha3.js';
import { AicError } from '../errors/index.ts';
import { type Bytes32Input, bytesToHex0x, compareBytes, toBytes32 } from './bytes32.ts';

/**
 * keccak256 Merkle trees that OpenZeppelin's `MerkleProof.verify(proof, root, leaf)` accepts.
 *
 * - Nodes are 32 bytes. A parent is `keccak256(min(a, b) ‖ max(a, b))` (OpenZeppelin's `Hashes.commutativeKeccak256`),
 *   so a proof is just the list of siblings, with no left/right flags.
 * - Leaves are used as given, in the given order (index i is leaf i). Callers hash their data into leaves;
 *   `merkleLeaf` does it the way OpenZeppelin recommends (double keccak, so a leaf can never be read as an inner node).
 * - Odd levels: the last node of a level with an odd count has no sibling and is promoted unchanged to the next level;
 *   its proof simply has no element for that level. A one-leaf tree has root = leaf and an empty proof.
 * - An empty tree has no root: `merkleRoot([])` throws MERKLE_EMPTY.
 */

/** Hashes a pair the way OpenZeppelin's `Hashes.commutativeKeccak256` does. */
export function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(64);
  if (compareBytes(a, b) <= 0) {
    joined.set(a, 0);
    joined.set(b, 32);
  } else {
    joined.set(b, 0);
    joined.set(a, 32);
  }
  return keccak_256(joined);
}

/** A leaf for arbitrary data: keccak256(keccak256(data)), as OpenZeppelin's StandardMerkleTree forms its leaves. */
export function merkleLeaf(data: Uint8Array): Uint8Array {
  return keccak_256(keccak_256(data));
}

function nextLevel(level: Uint8Array[]): Uint8Array[] {
  const up: Uint8Array[] = [];
  for (let i = 0; i < level.length; i += 2) {
    const left = level[i] as Uint8Array;
    const right = level[i + 1];
    up.push(right === undefined ? left : hashPair(left, right));
  }
  return up;
}

function toLeaves(leaves: readonly Bytes32Input[]): Uint8Array[] {
  if (leaves.length === 0) throw new AicError('MERKLE_EMPTY', 'a Merkle tree needs at least one leaf');
  return leaves.map((leaf, i) => toBytes32(leaf, `leaf ${i}`));
}

/**
 * The root of the tree over `leaves` (each 32 bytes), as bytes.
 *
 * @example
 * const root = merkleRoot([merkleLeaf(a), merkleLeaf(b), merkleLeaf(c)]);
 */
export function merkleRoot(leaves: readonly Bytes32Input[]): Uint8Array {
  let level = toLeaves(leaves);
  while (level.length > 1) level = nextLevel(level);
  return level[0] as Uint8Array;
}

/** The root as 0x hex, ready for a contract call. */
export function merkleRootHex(leaves: readonly Bytes32Input[]): `0x${string}` {
  return bytesToHex0x(merkleRoot(leaves));
}

/** The sibling path from leaf `index` to the root, bottom first, as 0x hex (`bytes32[]` for MerkleProof.verify). */
export function merkleProof(leaves: readonly Bytes32Input[], index: number): `0x${string}`[] {
  let level = toLeaves(leaves);
  if (!Number.isInteger(index) || index < 0 || index >= level.length) {
    throw new AicError('MERKLE_INDEX_OUT_OF_RANGE', `leaf index ${index} is outside 0..${level.length - 1}`, {
      details: { index, leafCount: level.length },
    });
  }
  const proof: `0x${string}`[] = [];
  let position = index;
  while (level.length > 1) {
    const sibling = level[position ^ 1];
    if (sibling !== undefined) proof.push(bytesToHex0x(sibling));
    level = nextLevel(level);
    position >>= 1;
  }
  return proof;
}

/** Recomputes the root from `leaf` and `proof`, exactly like OpenZeppelin's `MerkleProof.processProof`. */
export function processMerkleProof(leaf: Bytes32Input, proof: readonly Bytes32Input[]): Uint8Array {
  let node = toBytes32(leaf, 'leaf');
  for (const [i, sibling] of proof.entries()) node = hashPair(node, toBytes32(sibling, `proof[${i}]`));
  return node;
}

/** True when `proof` links `leaf` to `root` (OpenZeppelin's `MerkleProof.verify`). Malformed input throws. */
export function verifyMerkleProof(leaf: Bytes32Input, proof: readonly Bytes32Input[], root: Bytes32Input): boolean {
  return compareBytes(processMerkleProof(leaf, proof), toBytes32(root, 'root')) === 0;
}
