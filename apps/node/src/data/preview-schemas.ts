/**
 * `GET /v1/datasets/preview?datasetId=`: the dataset's verifiable random preview (issue 14), shared by the server and
 * the typed clients (no server code here). The rows are drawn by keccak256(datasetRoot ‖ blockHash) with the hash of
 * the block after the Dataset NFT's mint, so neither the owner nor a caller picks them; every chunk carries its
 * Merkle proof to a shard root, and the shard table hashes to the NFT's on-chain content root.
 */
import { z } from 'zod';

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'a 0x bytes32 (lower case)');
const count = z.number().int().nonnegative();

export const datasetPreviewSchema = z.object({
  datasetId: z.string(),
  /** The block the Dataset NFT was minted in; the seed comes from the next one. */
  mintBlock: z.string().regex(/^[0-9]+$/),
  seedBlock: z.string().regex(/^[0-9]+$/),
  blockHash: hex32,
  /** keccak256(datasetRoot ‖ blockHash): what selects the rows (the client recomputes it). */
  seed: hex32,
  datasetRoot: hex32,
  /** Rows asked of the selection (the preset's preview size, or all rows when fewer). */
  k: count,
  shards: z.array(
    z.object({
      root: hex32,
      rows: count,
      byteLength: count,
      layout: z.object({ featuresOffset: count, featureRowBytes: count, labelsOffset: count, labelRowBytes: count }),
    }),
  ),
  rows: z.array(
    z.object({
      row: count,
      shardIndex: count,
      chunks: z.array(z.object({ index: count, bytes: z.string().describe('base64'), proof: z.array(hex32) })),
    }),
  ),
  /** From the public manifest: how to read a row's bytes. */
  features: z.object({ dtype: z.enum(['F32', 'I32']), names: z.array(z.string()).optional() }),
  labels: z.object({ dtype: z.enum(['F32', 'I32']) }),
  classes: z.array(z.string()).optional(),
});
export type DatasetPreviewResponse = z.infer<typeof datasetPreviewSchema>;
