import { AicError } from '@aic/core';
import { chunkAt, chunkProof, type Hex, shardChunkLeaves } from '../commitments/index.ts';
import type { ImportedDataset } from '../digitize/index.ts';
import { MAX_PREVIEW_ROWS } from '../limits.ts';
import {
  chunksCovering,
  DEFAULT_PREVIEW_ROWS,
  locateRow,
  previewSeed,
  rowByteRanges,
  selectPreviewRows,
} from './select.ts';
import type { DatasetPreview, PreviewRow } from './types.ts';

/**
 * Builds the preview a publisher must show for `blockHash` (a block after publication): the rows the seed selects,
 * each with the chunks holding its bytes and their Merkle proofs. Throws DATA_PREVIEW_TOO_LARGE above
 * MAX_PREVIEW_ROWS rows.
 *
 * @example
 * const preview = createPreview(dataset, (await client.getBlock({ blockNumber: publishedAt + 1n })).hash);
 */
export function createPreview(dataset: ImportedDataset, blockHash: Hex, k = DEFAULT_PREVIEW_ROWS): DatasetPreview {
  if (k > MAX_PREVIEW_ROWS) {
    throw new AicError('DATA_PREVIEW_TOO_LARGE', `a preview shows at most ${MAX_PREVIEW_ROWS} rows`, {
      details: { k },
    });
  }
  const { manifest, shards } = dataset;
  const leaves = new Map<number, Uint8Array[]>();
  const leavesOf = (shardIndex: number) => {
    const cached = leaves.get(shardIndex) ?? shardChunkLeaves(shards[shardIndex] as Uint8Array);
    leaves.set(shardIndex, cached);
    return cached;
  };
  const chosen = selectPreviewRows(previewSeed(manifest.datasetRoot, blockHash), manifest.rows, k);
  const rows: PreviewRow[] = chosen.map((row) => {
    const { shardIndex, rowInShard } = locateRow(manifest.shards, row);
    const shard = shards[shardIndex] as Uint8Array;
    const ranges = rowByteRanges((manifest.shards[shardIndex] as (typeof manifest.shards)[number]).layout, rowInShard);
    const chunks = chunksCovering([ranges.features, ranges.labels]).map((index) => ({
      index,
      bytes: chunkAt(shard, index).slice(),
      proof: chunkProof(leavesOf(shardIndex), index),
    }));
    return { row, shardIndex, chunks };
  });
  const table = manifest.shards.map(({ root, rows, byteLength, layout }) => ({ root, rows, byteLength, layout }));
  return { datasetRoot: manifest.datasetRoot, blockHash, shards: table, rows };
}
