import { keccak_256 } from '@noble/hashes/sha3.js';
import { SimpleMerkleTree, StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex0x,
  hashPair,
  merkleLeaf,
  merkleProof,
  merkleRoot,
  merkleRootHex,
  verifyMerkleProof,
} from '../../src/merkle/index.ts';

const leafOf = (i: number) => keccak_256(new TextEncoder().encode(`leaf-${i}`));
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafOf(i));

describe('merkle tree (OpenZeppelin MerkleProof compatible)', () => {
  it('a one-leaf tree has the leaf as root and an empty proof', () => {
    const leaf = leafOf(0);
    expect(merkleRoot([leaf])).toEqual(leaf);
    expect(merkleProof([leaf], 0)).toEqual([]);
    expect(verifyMerkleProof(leaf, [], leaf)).toBe(true);
  });

  it('hashes pairs commutatively: keccak(min ‖ max)', () => {
    const [a, b] = [leafOf(1), leafOf(2)];
    expect(hashPair(a, b)).toEqual(hashPair(b, a));
    expect(merkleRoot([a, b])).toEqual(hashPair(a, b));
  });

  it('promotes the odd last node: root of 3 leaves is H(H(l0,l1), l2)', () => {
    const [l0, l1, l2] = leavesOf(3) as [Uint8Array, Uint8Array, Uint8Array];
    expect(merkleRoot([l0, l1, l2])).toEqual(hashPair(hashPair(l0, l1), l2));
    expect(merkleProof([l0, l1, l2], 2)).toEqual([bytesToHex0x(hashPair(l0, l1))]);
  });

  it('every proof of trees of 1..17 leaves verifies, here and in OpenZeppelin SimpleMerkleTree.verify', () => {
    for (let n = 1; n <= 17; n++) {
      const leaves = leavesOf(n);
      const root = merkleRootHex(leaves);
      for (let i = 0; i < n; i++) {
        const proof = merkleProof(leaves, i);
        const leaf = leaves[i] as Uint8Array;
        expect(verifyMerkleProof(leaf, proof, root)).toBe(true);
        expect(SimpleMerkleTree.verify(root, bytesToHex0x(leaf), proof)).toBe(true);
      }
    }
  });

  it('verifies proofs that OpenZeppelin StandardMerkleTree produced, with leaves formed by the same double hash', () => {
    const values = [['alice'], ['bob'], ['carol'], ['dave'], ['erin']];
    const tree = StandardMerkleTree.of(values, ['string']);
    for (const [i, v] of tree.entries()) {
      // abi.encode(string) of one value: use OZ's own leaf hash to stay independent of encoding details
      const leaf = tree.leafHash(v) as `0x${string}`;
      expect(verifyMerkleProof(leaf, tree.getProof(i) as `0x${string}`[], tree.root as `0x${string}`)).toBe(true);
    }
  });

  it('merkleLeaf is keccak(keccak(data))', () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(merkleLeaf(data)).toEqual(keccak_256(keccak_256(data)));
  });

  it('rejects a tampered leaf, a tampered proof and a wrong root', () => {
    const leaves = leavesOf(6);
    const root = merkleRoot(leaves);
    const proof = merkleProof(leaves, 3);
    expect(verifyMerkleProof(leafOf(99), proof, root)).toBe(false);
    const bad = [...proof];
    bad[0] = bytesToHex0x(leafOf(98));
    expect(verifyMerkleProof(leaves[3] as Uint8Array, bad, root)).toBe(false);
    expect(verifyMerkleProof(leaves[3] as Uint8Array, proof, leafOf(97))).toBe(false);
  });

  it('throws typed errors on empty trees, bad indices and malformed nodes', () => {
    expect(() => merkleRoot([])).toThrow(expect.objectContaining({ code: 'MERKLE_EMPTY' }));
    expect(() => merkleProof(leavesOf(2), 2)).toThrow(expect.objectContaining({ code: 'MERKLE_INDEX_OUT_OF_RANGE' }));
    expect(() => merkleRoot([new Uint8Array(31)])).toThrow(expect.objectContaining({ code: 'MERKLE_INVALID_NODE' }));
    expect(() => merkleRoot(['0x1234'])).toThrow(expect.objectContaining({ code: 'MERKLE_INVALID_NODE' }));
  });
});
