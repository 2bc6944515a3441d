import { bytesToHex0x, merkleLeaf, merkleProof, merkleRoot, toBytes32 } from '@aic/core/merkle';
import type { Hex } from './chunks.ts';
import { concatBytes, uint256Word } from './encode.ts';

/** Where one row's tensors sit inside a shard file (absolute byte offsets), so a chunk can be read as rows. */
export interface ShardLayout {
  readonly featuresOffset: number;
  readonly featureRowBytes: number;
  readonly labelsOffset: number;
  readonly labelRowBytes: number;
}

/** What the dataset root commits to about one shard. */
export interface ShardCommitment {
  readonly root: Hex;
  readonly rows: number;
  readonly byteLength: number;
  readonly layout: ShardLayout;
}

/**
 * The leaf of shard `index` in the dataset tree: keccak256(keccak256(abi.encodePacked(uint256 index, bytes32 root,
 * uint256 rows, uint256 byteLength, uint256 featuresOffset, uint256 featureRowBytes, uint256 labelsOffset,
 * uint256 labelRowBytes))). Row counts and layout are committed too, so a preview can be checked against the root
 * alone.
 */
export function shardLeaf(index: number, shard: ShardCommitment): Uint8Array {
  const { layout } = shard;
  return merkleLeaf(
    concatBytes(
      uint256Word(index),
      toBytes32(shard.root, 'shard root'),
      ...[
        shard.rows,
        shard.byteLength,
        layout.featuresOffset,
        layout.featureRowBytes,
        layout.labelsOffset,
        layout.labelRowBytes,
      ].map(uint256Word),
    ),
  );
}

/** The dataset root: Merkle root over the shard leaves, as 0x hex (what the AssetRegistry NFT records). */
export function datasetRoot(shards: readonly ShardCommitment[]): Hex {
  return bytesToHex0x(merkleRoot(shards.map((s, i) => shardLeaf(i, s))));
}

/** The proof that shard `index` belongs to the dataset. */
export function shardProof(shards: readonly ShardCommitment[], index: number): Hex[] {
  return merkleProof(
    shards.map((s, i) => shardLeaf(i, s)),
    index,
  );
}
