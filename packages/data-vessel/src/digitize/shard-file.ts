import { writeSafetensors } from '@aic/core/safetensors';
import type { ShardLayout } from '../commitments/index.ts';
import { rawCid } from './cid.ts';

/** Row-major values of one tensor column for a run of rows. */
export interface ColumnSlice {
  readonly values: Float32Array | Int32Array;
  readonly rowShape: readonly number[];
}

function tensorOf(column: ColumnSlice, rows: number) {
  const data = new Uint8Array(column.values.buffer, column.values.byteOffset, column.values.byteLength).slice();
  return {
    dtype: column.values instanceof Float32Array ? ('F32' as const) : ('I32' as const),
    shape: [rows, ...column.rowShape],
    data,
  };
}

/** Absolute byte offsets of the two tensors, read back from the header we just wrote. */
function layoutOf(bytes: Uint8Array, rows: number, features: ColumnSlice, labels: ColumnSlice): ShardLayout {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  const start = 8 + headerLength;
  const rowBytes = (c: ColumnSlice) =>
    rows === 0 ? c.rowShape.reduce((a, d) => a * d, 4) : c.values.byteLength / rows;
  return {
    featuresOffset: start + (header.features?.data_offsets[0] ?? 0),
    featureRowBytes: rowBytes(features),
    labelsOffset: start + (header.labels?.data_offsets[0] ?? 0),
    labelRowBytes: rowBytes(labels),
  };
}

/** A safetensors shard with tensors `features` and `labels`, its layout and its CIDv1 (raw, sha2-256). */
export function writeShardFile(rows: number, features: ColumnSlice, labels: ColumnSlice) {
  const bytes = writeSafetensors(
    { features: tensorOf(features, rows), labels: tensorOf(labels, rows) },
    { format: 'aic-dataset/1' },
  );
  const cid = rawCid(bytes);
  return { bytes, cid, layout: layoutOf(bytes, rows, features, labels) };
}
