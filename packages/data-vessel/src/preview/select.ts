import { toBytes32 } from '@aic/core/merkle';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { concatBytes, uint256Word } from '../commitments/encode.ts';
import type { ShardCommitment, ShardLayout } from '../commitments/index.ts';
import { CHUNK_SIZE_BYTES } from '../limits.ts';

/** Rows a preview shows unless the buyer asks for another number. */
export const DEFAULT_PREVIEW_ROWS = 8;

/**
 * The preview seed: keccak256(datasetRoot ‖ blockHash), with the hash of a block mined after the root was
 * published, so the publisher could not know the seed when it committed to the rows.
 */
export function previewSeed(datasetRoot: `0x${string}`, blockHash: `0x${string}`): Uint8Array {
  return keccak_256(concatBytes(toBytes32(datasetRoot, 'dataset root'), toBytes32(blockHash, 'block hash')));
}

/**
 * `k` distinct row indices out of `totalRows` (all rows when k ≥ totalRows), in draw order: draw j is
 * uint256(keccak256(seed ‖ uint256 j)) mod totalRows, repeats skipped. Deterministic, so anyone can recompute it.
 */
export function selectPreviewRows(seed: Uint8Array, totalRows: number, k: number): number[] {
  const want = Math.min(k, totalRows);
  const chosen: number[] = [];
  const seen = new Set<number>();
  for (let j = 0; chosen.length < want; j++) {
    const draw = keccak_256(concatBytes(seed, uint256Word(j)));
    const row = Number(BigInt(`0x${Buffer.from(draw).toString('hex')}`) % BigInt(totalRows));
    if (!seen.has(row)) {
      seen.add(row);
      chosen.push(row);
    }
  }
  return chosen;
}

/** The shard holding global row `row` (rows are numbered through the shards in order) and its index there. */
export function locateRow(shards: readonly ShardCommitment[], row: number): { shardIndex: number; rowInShard: number } {
  let first = 0;
  for (const [shardIndex, shard] of shards.entries()) {
    if (row < first + shard.rows) return { shardIndex, rowInShard: row - first };
    first += shard.rows;
  }
  return { shardIndex: -1, rowInShard: -1 };
}

/** Byte ranges [start, end) of a row's features and label inside its shard file. */
export function rowByteRanges(
  layout: ShardLayout,
  rowInShard: number,
): { features: [number, number]; labels: [number, number] } {
  const f = layout.featuresOffset + rowInShard * layout.featureRowBytes;
  const l = layout.labelsOffset + rowInShard * layout.labelRowBytes;
  return { features: [f, f + layout.featureRowBytes], labels: [l, l + layout.labelRowBytes] };
}

/** Indices of the chunks that cover the given byte ranges, ascending, without repeats. */
export function chunksCovering(
  ranges: readonly (readonly [number, number])[],
  chunkSizeBytes = CHUNK_SIZE_BYTES,
): number[] {
  const indices = new Set<number>();
  for (const [start, end] of ranges) {
    if (end <= start) continue;
    for (let c = Math.floor(start / chunkSizeBytes); c <= Math.floor((end - 1) / chunkSizeBytes); c++) indices.add(c);
  }
  return [...indices].sort((a, b) => a - b);
}
