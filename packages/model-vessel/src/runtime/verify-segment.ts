import { AicError } from '@aic/core';
import { merkleProof } from '@aic/core/merkle';
import type { Checkpoint } from './checkpoint.ts';
import { type Commitment, commitmentHash } from './commitment.ts';
import type { TensorDataset } from './dataset.ts';
import type { JobSpec } from './job.ts';
import { hashStateArrays } from './model-state.ts';
import { rngDigest, type TrainOptions, trainJob } from './train.ts';

/** c_i recomputed from a checkpoint's own content (weights, optimizer state, rng state, segment batch digest). */
export function commitmentOfCheckpoint(checkpoint: Checkpoint): `0x${string}` {
  return commitmentHash(checkpoint.step, {
    weights: hashStateArrays(checkpoint.weights),
    optimizer: hashStateArrays(checkpoint.optimizer),
    rng: rngDigest(checkpoint.rng),
    batches: Buffer.from(checkpoint.segmentBatchesDigest.slice(2), 'hex'),
  });
}

/** The Merkle proof that commitment `index` is in the root of `commitments` (for MerkleProof.verify on chain). */
export function commitmentProof(commitments: readonly Commitment[], index: number): `0x${string}`[] {
  return merkleProof(
    commitments.map((c) => c.hash),
    index,
  );
}

export interface SegmentVerdict {
  /** True when re-running the segment reproduced the claimed commitment exactly. */
  readonly match: boolean;
  readonly recomputed: Commitment;
}

/**
 * A verifier's check of one segment (DESIGN §7): the checkpoint must hash to its own commitment c_i, then the steps
 * up to `claimed.step` are re-run from it and c_{i+1} is recomputed. Exact in deterministic mode.
 * Throws VERIFY_CHECKPOINT_MISMATCH when the checkpoint does not match c_i (the provider handed a forged state),
 * VERIFY_SEGMENT_INVALID when `claimed` is not a later commitment step.
 */
export async function verifySegment(
  spec: JobSpec,
  data: TensorDataset,
  checkpoint: Checkpoint,
  claimed: Commitment,
  options: Pick<TrainOptions, 'limits' | 'signal'> = {},
): Promise<SegmentVerdict> {
  const own = checkpoint.commitments.at(-1);
  if (own?.step !== checkpoint.step || commitmentOfCheckpoint(checkpoint) !== own.hash) {
    throw new AicError(
      'VERIFY_CHECKPOINT_MISMATCH',
      `checkpoint at step ${checkpoint.step} does not hash to its commitment`,
    );
  }
  if (!(claimed.step > checkpoint.step)) {
    throw new AicError('VERIFY_SEGMENT_INVALID', `claimed step ${claimed.step} is not after step ${checkpoint.step}`);
  }
  const result = await trainJob(spec, data, { ...options, resumeFrom: checkpoint, stopAfterStep: claimed.step });
  result.model.dispose();
  const recomputed = result.commitments.find((c) => c.step === claimed.step);
  if (!recomputed)
    throw new AicError('VERIFY_SEGMENT_INVALID', `step ${claimed.step} is not a commitment step of the job`);
  return { match: recomputed.hash === claimed.hash, recomputed };
}
