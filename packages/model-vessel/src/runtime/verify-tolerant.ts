import { AicError } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import { isDeterministicBackend, type RuntimeBackend } from './backend.ts';
import { canonicalJson } from './canonical-json.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { TensorDataset } from './dataset.ts';
import { type JobSpec, resolveJob, type Tolerance } from './job.ts';
import { type WeightsDistance, weightsDistance } from './tolerance.ts';
import { type TrainOptions, trainJob } from './train.ts';
import { commitmentOfCheckpoint } from './verify-segment.ts';

/**
 * Tolerant verification of one segment (DESIGN.md §7, fast backends). GPU results are not bit-identical across
 * devices, so c_{i+1} cannot be recomputed; what a distance check needs is under the commitments already: c_i and
 * c_{i+1} each bind H(weights), H(optimizer state), H(rng state) and H(batch indices), so the provider's checkpoints
 * i and i+1, checked against them, are the exact claimed states. The verifier re-runs the K steps from checkpoint i on
 * a backend of the job's verification class and accepts when the batch order and rng state are exact and the weights
 * and optimizer state are within the declared relative L2 bound of its own.
 */

/** The tolerance a job is verified with: its ticket's, or for a non-deterministic backend without one the preset's. */
export function toleranceOf(spec: Pick<JobSpec, 'backend' | 'tolerance'>): Tolerance | undefined {
  if (isDeterministicBackend(spec.backend)) return undefined;
  return (
    spec.tolerance ?? {
      maxRelativeL2: DEFAULT_PRESET.verification.tolerantMaxRelativeL2,
      verifyBackends: [spec.backend, 'cpu'],
    }
  );
}

/** The backend a verifier that runs `available` re-runs a tolerant job on: the first of the class it has. */
export function verificationBackendOf(tolerance: Tolerance, available: readonly RuntimeBackend[]): RuntimeBackend {
  const backend = tolerance.verifyBackends.find((b) => available.includes(b));
  if (backend === undefined) {
    throw new AicError(
      'RUNTIME_BACKEND_UNAVAILABLE',
      `this verifier runs ${available.join(', ')}, the job is verified on ${tolerance.verifyBackends.join(' or ')}`,
      { details: { verifyBackends: tolerance.verifyBackends, available } },
    );
  }
  return backend;
}

export interface TolerantVerdict {
  /** True when the schedule is exact and both distances are within the bound. */
  readonly match: boolean;
  /** Why not, for logs ('ok' when it matches). */
  readonly reason: 'ok' | 'schedule-differs' | 'weights-outside-bound' | 'optimizer-outside-bound';
  readonly backend: RuntimeBackend;
  readonly maxRelativeL2: number;
  /** Claimed vs recomputed weights, and optimizer state. */
  readonly weights: WeightsDistance;
  readonly optimizer: WeightsDistance;
}

export interface TolerantSegmentInput {
  readonly spec: JobSpec;
  readonly data: TensorDataset;
  /** The provider's checkpoint i (the segment's start) and i+1 (its claimed end), each checked against its own c. */
  readonly from: Checkpoint;
  readonly claimed: Checkpoint;
  /** The re-run backend (one of the tolerance's verifyBackends). */
  readonly backend: RuntimeBackend;
  readonly tolerance: Tolerance;
}

function checkOwnCommitment(checkpoint: Checkpoint): void {
  const own = checkpoint.commitments.at(-1);
  if (own?.step !== checkpoint.step || commitmentOfCheckpoint(checkpoint) !== own.hash) {
    throw new AicError(
      'VERIFY_CHECKPOINT_MISMATCH',
      `checkpoint at step ${checkpoint.step} does not hash to its commitment`,
    );
  }
}

/**
 * Re-runs the segment from `from` to `claimed.step` on `backend` and compares with `claimed`.
 * Throws VERIFY_CHECKPOINT_MISMATCH (a checkpoint is not its committed state), RUNTIME_CHECKPOINT_MISMATCH (a
 * checkpoint of another job or backend), VERIFY_SEGMENT_INVALID (claimed is not a later commitment step).
 *
 * @example
 * const verdict = await verifySegmentTolerant({ spec, data, from: ckpt[3], claimed: ckpt[4], backend: 'cpu', tolerance });
 * if (!verdict.match) openDispute(3);
 */
export async function verifySegmentTolerant(
  input: TolerantSegmentInput,
  options: Pick<TrainOptions, 'limits' | 'signal'> = {},
): Promise<TolerantVerdict> {
  const { spec, data, from, claimed, backend, tolerance } = input;
  checkOwnCommitment(from);
  checkOwnCommitment(claimed);
  if (!(claimed.step > from.step)) {
    throw new AicError('VERIFY_SEGMENT_INVALID', `claimed step ${claimed.step} is not after step ${from.step}`);
  }
  const job = resolveJob(spec, data, options.limits);
  for (const c of [from, claimed]) {
    if (c.jobDigest !== job.jobDigest || c.backend !== job.backend) {
      throw new AicError('RUNTIME_CHECKPOINT_MISMATCH', 'the checkpoint belongs to a different job or backend', {
        details: { checkpointJob: c.jobDigest, job: job.jobDigest },
      });
    }
  }
  // The same job on the verification backend: its checkpoint is the provider's state under that job's name.
  const rerunSpec = { ...spec, backend };
  const rerunDigest = resolveJob(rerunSpec, data, options.limits).jobDigest;
  let recomputed: Checkpoint | undefined;
  const result = await trainJob(rerunSpec, data, {
    ...options,
    resumeFrom: { ...from, jobDigest: rerunDigest, backend },
    stopAfterStep: claimed.step,
    onCheckpoint: (c) => {
      if (c.step === claimed.step) recomputed = c;
    },
  });
  result.model.dispose();
  if (!recomputed) {
    throw new AicError('VERIFY_SEGMENT_INVALID', `step ${claimed.step} is not a commitment step of the job`);
  }
  return compareStates(recomputed, claimed, backend, tolerance.maxRelativeL2);
}

/** The pure comparison: exact schedule, weights and optimizer state within the bound. */
export function compareStates(
  recomputed: Checkpoint,
  claimed: Checkpoint,
  backend: RuntimeBackend,
  maxRelativeL2: number,
): TolerantVerdict {
  const weights = weightsDistance(recomputed.weights, claimed.weights);
  const optimizer =
    recomputed.optimizer.length === 0 && claimed.optimizer.length === 0
      ? { maxAbs: 0, relativeL2: 0 }
      : weightsDistance(recomputed.optimizer, claimed.optimizer);
  const sameSchedule =
    recomputed.step === claimed.step &&
    recomputed.segmentBatchesDigest === claimed.segmentBatchesDigest &&
    canonicalJson(recomputed.rng) === canonicalJson(claimed.rng);
  const within = (d: WeightsDistance) => Number.isFinite(d.relativeL2) && d.relativeL2 <= maxRelativeL2;
  const reason = !sameSchedule
    ? 'schedule-differs'
    : !within(weights)
      ? 'weights-outside-bound'
      : !within(optimizer)
        ? 'optimizer-outside-bound'
        : 'ok';
  return { match: reason === 'ok', reason, backend, maxRelativeL2, weights, optimizer };
}
