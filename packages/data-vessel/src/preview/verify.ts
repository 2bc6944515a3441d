import { AicError } from '@aic/core';
import { type Hex, datasetRoot as rootOf, type ShardCommitment, verifyChunk } from '../commitments/index.ts';
import { CHUNK_SIZE_BYTES, MAX_PREVIEW_ROWS } from '../limits.ts';
import type { DatasetManifest } from '../manifest/index.ts';
import {
  chunksCovering,
  DEFAULT_PREVIEW_ROWS,
  locateRow,
  previewSeed,
  rowByteRanges,
  selectPreviewRows,
} from './select.ts';
import type { DatasetPreview, PreviewChunk, PreviewRow, VerifiedPreviewRow } from './types.ts';

function rejected(reason: string, details: Record<string, unknown> = {}): never {
  throw new AicError('DATA_PREVIEW_INVALID', `preview rejected: ${reason}`, { details: { reason, ...details } });
}

function checkShardTable(preview: DatasetPreview, datasetRoot: Hex): void {
  let root: Hex | undefined;
  try {
    root = rootOf(preview.shards);
  } catch {
    rejected('the shard table is malformed');
  }
  if (root !== datasetRoot.toLowerCase()) rejected('the shard table does not hash to the dataset root');
}

/** Copies bytes [start, end) of the shard out of the (verified, contiguous) chunks. */
function readRange(chunks: ReadonlyMap<number, Uint8Array>, [start, end]: readonly [number, number]): Uint8Array {
  const out = new Uint8Array(end - start);
  for (let at = start; at < end; ) {
    const index = Math.floor(at / CHUNK_SIZE_BYTES);
    const chunk = chunks.get(index) as Uint8Array;
    const from = at - index * CHUNK_SIZE_BYTES;
    const n = Math.min(end - at, chunk.length - from);
    out.set(chunk.subarray(from, from + n), at - start);
    at += n;
  }
  return out;
}

function verifyRow(row: PreviewRow, expectedRow: number, shards: readonly ShardCommitment[]): VerifiedPreviewRow {
  if (row.row !== expectedRow) rejected('the rows are not the ones the seed selects', { expectedRow, row: row.row });
  const { shardIndex, rowInShard } = locateRow(shards, expectedRow);
  const shard = shards[shardIndex] as ShardCommitment;
  if (row.shardIndex !== shardIndex) rejected('a row claims the wrong shard', { row: expectedRow });
  const ranges = rowByteRanges(shard.layout, rowInShard);
  const needed = chunksCovering([ranges.features, ranges.labels]);
  if (row.chunks.map((c) => c.index).join() !== needed.join())
    rejected('a row lacks or adds chunks', { row: expectedRow });
  const byIndex = new Map<number, Uint8Array>();
  for (const chunk of row.chunks as PreviewChunk[]) {
    const expectedLength = Math.min(CHUNK_SIZE_BYTES, shard.byteLength - chunk.index * CHUNK_SIZE_BYTES);
    if (chunk.bytes.length !== expectedLength || !verifyChunk(chunk.bytes, chunk.index, chunk.proof, shard.root)) {
      rejected('a chunk does not match the committed root', { row: expectedRow, chunk: chunk.index });
    }
    byIndex.set(chunk.index, chunk.bytes);
  }
  return { row: expectedRow, features: readRange(byIndex, ranges.features), labels: readRange(byIndex, ranges.labels) };
}

/**
 * Checks a preview against the dataset root recorded on chain and the block hash after publication: the shard
 * table hashes to the root, the rows are exactly the ones the seed selects (the publisher cannot pick nice rows),
 * and every chunk carries a valid Merkle proof. Returns the verified rows' bytes; throws DATA_PREVIEW_INVALID with
 * the reason otherwise.
 *
 * @example
 * const rows = verifyPreview(preview, asset.contentRoot, blockHashAfterPublication);
 */
export function verifyPreview(
  preview: DatasetPreview,
  datasetRoot: Hex,
  blockHash: Hex,
  k = DEFAULT_PREVIEW_ROWS,
): VerifiedPreviewRow[] {
  if (k > MAX_PREVIEW_ROWS) rejected(`more than ${MAX_PREVIEW_ROWS} rows asked`);
  try {
    checkShardTable(preview, datasetRoot);
    const totalRows = preview.shards.reduce((a, s) => a + s.rows, 0);
    const expected = selectPreviewRows(previewSeed(datasetRoot, blockHash), totalRows, k);
    if (preview.rows.length !== expected.length)
      rejected(`expected ${expected.length} rows, got ${preview.rows.length}`);
    return expected.map((row, i) => verifyRow(preview.rows[i] as PreviewRow, row, preview.shards));
  } catch (error) {
    // A preview arrives from an untrusted peer: any shape we did not expect is a rejection, never a crash.
    if (error instanceof AicError) throw error;
    return rejected('the preview is malformed');
  }
}

/** Decodes a verified row into numbers with the manifest's dtypes (F32 or I32, little-endian). */
export function previewRowValues(
  row: VerifiedPreviewRow,
  manifest: Pick<DatasetManifest, 'features' | 'labels'>,
): { features: number[]; labels: number[] } {
  const decode = (bytes: Uint8Array, dtype: 'F32' | 'I32') => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    return Array.from({ length: bytes.length / 4 }, (_, i) =>
      dtype === 'F32' ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true),
    );
  };
  return { features: decode(row.features, manifest.features.dtype), labels: decode(row.labels, manifest.labels.dtype) };
}
