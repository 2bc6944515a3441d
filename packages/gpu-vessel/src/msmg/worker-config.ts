import { AicError } from '@aic/core';
import { z } from 'zod';

const hex = (bytes: number) => z.string().regex(new RegExp(`^0x[0-9a-f]{${bytes * 2}}$`));

/** What one MSMG worker process is told (a JSON file only its supervisor and it can read: it holds the worker's key). */
export const msmgWorkerConfigSchema = z.strictObject({
  rank: z.number().int().min(0).max(255),
  workers: z.number().int().min(1).max(256),
  /** The worker's secp256k1 key (its libp2p identity and the account it is paid to). */
  privateKey: hex(32),
  listenPort: z.number().int().min(0).max(65_535),
  /** The interface the worker's libp2p listens on (a member on another machine: the node's public one). */
  listenHost: z.string().max(64).default('127.0.0.1'),
  members: z
    .array(
      z.strictObject({ rank: z.number().int().min(0), peerId: z.string().max(200), multiaddr: z.string().max(400) }),
    )
    .max(256),
  groupKey: hex(32),
  /** The job spec as JSON (manifest, backend, seed, hyperparameters, K, microbatches). */
  spec: z.record(z.string(), z.unknown()),
  /** The training data: a safetensors file with `features` and `labels`, or the dataset's shard files and rows. */
  dataPath: z.string().max(4096).optional(),
  shards: z.array(z.string().max(4096)).max(100_000).optional(),
  rows: z.number().int().min(1).optional(),
  /** Where this worker writes its checkpoints. */
  checkpointDir: z.string().max(4096),
  /** A checkpoint directory and step to resume from (the group's last verified checkpoint). */
  resumeFrom: z.strictObject({ dir: z.string().max(4096), step: z.number().int().min(0) }).optional(),
  chunkFloats: z.number().int().min(16).max(4_194_304).default(16_384),
  frameTimeoutMs: z.number().int().min(100).default(30_000),
  connectTimeoutMs: z.number().int().min(100).default(60_000),
});
export type MsmgWorkerConfig = z.output<typeof msmgWorkerConfigSchema>;

/** Parses a worker config (its own file, but still checked). Throws MSMG_PROTOCOL_ERROR. */
export function parseWorkerConfig(raw: unknown): MsmgWorkerConfig {
  const parsed = msmgWorkerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AicError('MSMG_PROTOCOL_ERROR', 'malformed worker config', {
      details: { issues: parsed.error.issues.map((i) => i.path.join('.')).slice(0, 10) },
    });
  }
  if ((parsed.data.dataPath === undefined) === (parsed.data.shards === undefined || parsed.data.rows === undefined)) {
    throw new AicError('MSMG_PROTOCOL_ERROR', 'a worker config names either dataPath or shards and rows');
  }
  return parsed.data;
}

/** Lines a worker prints on stdout, one JSON object each. */
export type WorkerEvent =
  | { readonly event: 'ready'; readonly rank: number }
  | {
      readonly event: 'checkpoint';
      readonly rank: number;
      /** The commitment's index c_index and step. */
      readonly index: number;
      readonly step: number;
      readonly hash: `0x${string}`;
    }
  | {
      readonly event: 'done';
      readonly rank: number;
      readonly commitmentRoot: `0x${string}`;
      readonly weightsHash: `0x${string}`;
      readonly steps: number;
      /** Steps this process trained (from its start or resume point). */
      readonly stepsRun: number;
      readonly bytesSent: number;
      readonly trainMs: number;
      /** The final weights' CIDv1 and every commitment (what the lead commits on chain and reports). */
      readonly resultCid: string;
      readonly commitments: readonly { readonly step: number; readonly hash: `0x${string}` }[];
    }
  | {
      readonly event: 'failed';
      readonly rank: number;
      readonly code: string;
      readonly message: string;
      /** For MSMG_PEER_LOST: the rank whose link is gone. */
      readonly peerRank?: number;
    };
