import type { Hex, ShardCommitment } from '../commitments/index.ts';

/** One committed chunk with its Merkle proof to its shard root. */
export interface PreviewChunk {
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly proof: readonly Hex[];
}

/** One preview row: where it lives and every chunk its bytes touch. */
export interface PreviewRow {
  readonly row: number;
  readonly shardIndex: number;
  readonly chunks: readonly PreviewChunk[];
}

/**
 * A verifiable random preview. `shards` is the full shard table (roots, row counts, layouts): its Merkle root must
 * be the dataset root, which ties every row position and every chunk proof to the committed root.
 */
export interface DatasetPreview {
  readonly datasetRoot: Hex;
  readonly blockHash: Hex;
  readonly shards: readonly ShardCommitment[];
  readonly rows: readonly PreviewRow[];
}

/** A row that passed verification: its raw little-endian feature and label bytes. */
export interface VerifiedPreviewRow {
  readonly row: number;
  readonly features: Uint8Array;
  readonly labels: Uint8Array;
}
