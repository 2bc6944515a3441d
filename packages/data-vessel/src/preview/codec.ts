import { AicError } from '@aic/core';
import { z } from 'zod';
import { CHUNK_SIZE_BYTES, MAX_PREVIEW_ROWS, MAX_SHARDS } from '../limits.ts';
import type { DatasetPreview } from './types.ts';

const hex32 = z.custom<`0x${string}`>(
  (v) => typeof v === 'string' && /^0x[0-9a-f]{64}$/.test(v),
  'must be a 0x bytes32',
);
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
// base64 of at most one chunk: 4 characters per 3 bytes.
const base64Chunk = z
  .string()
  .max(Math.ceil(CHUNK_SIZE_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

const previewJsonSchema = z.strictObject({
  datasetRoot: hex32,
  blockHash: hex32,
  shards: z
    .array(
      z.strictObject({
        root: hex32,
        rows: count,
        byteLength: count,
        layout: z.strictObject({
          featuresOffset: count,
          featureRowBytes: count,
          labelsOffset: count,
          labelRowBytes: count,
        }),
      }),
    )
    .min(1)
    .max(MAX_SHARDS),
  rows: z
    .array(
      z.strictObject({
        row: count,
        shardIndex: count,
        chunks: z
          .array(z.strictObject({ index: count, bytes: base64Chunk, proof: z.array(hex32).max(64) }))
          .min(1)
          .max(4),
      }),
    )
    .max(MAX_PREVIEW_ROWS),
});

/** The JSON form of a preview (chunk bytes as base64): what `aic data preview` prints and an API returns. */
export type DatasetPreviewJson = z.infer<typeof previewJsonSchema>;

/** A preview as plain JSON. */
export function previewToJson(preview: DatasetPreview): DatasetPreviewJson {
  return {
    datasetRoot: preview.datasetRoot,
    blockHash: preview.blockHash,
    shards: preview.shards.map((s) => ({
      root: s.root,
      rows: s.rows,
      byteLength: s.byteLength,
      layout: { ...s.layout },
    })),
    rows: preview.rows.map((r) => ({
      row: r.row,
      shardIndex: r.shardIndex,
      chunks: r.chunks.map((c) => ({
        index: c.index,
        bytes: Buffer.from(c.bytes).toString('base64'),
        proof: [...c.proof],
      })),
    })),
  };
}

/**
 * Parses an untrusted preview (JSON value) with size bounds (≤ 64 rows, ≤ 4 chunks of ≤ 256 KiB per row), at the
 * boundary, before `verifyPreview` checks it cryptographically. Throws DATA_PREVIEW_INVALID.
 */
export function previewFromJson(value: unknown): DatasetPreview {
  const parsed = previewJsonSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new AicError('DATA_PREVIEW_INVALID', `preview rejected: ${path || '(root)'}: ${issue?.message}`, {
      details: { reason: 'the preview is malformed', path },
    });
  }
  const json = parsed.data;
  return {
    ...json,
    rows: json.rows.map((r) => ({
      ...r,
      chunks: r.chunks.map((c) => ({ ...c, bytes: new Uint8Array(Buffer.from(c.bytes, 'base64')) })),
    })),
  };
}
