/**
 * The verifier's check of a committed job (DESIGN.md §7). The sampled segments come from a seed fixed after the
 * commitment (the next block's hash), so the provider could not know which segments it had to compute honestly.
 * For each, checkpoint i is fetched from the provider, must hash to the committed c_i (otherwise the provider handed a
 * forged or foreign state: its fault), and is re-run to c_{i+1}: compared exactly on deterministic backends; on
 * webgpu (tolerant mode) checkpoint i+1 is fetched too, checked against c_{i+1}, and accepted within the ticket's
 * bound of the re-run on a backend of the job's verification class (@aic/model-vessel verifySegmentTolerant).
 */
import { AicError, isAicError } from '@aic/core';
import {
  type Checkpoint,
  type Commitment,
  commitmentOfCheckpoint,
  commitmentRoot,
  type JobSpec,
  type RuntimeBackend,
  type TensorDataset,
  toleranceOf,
  verificationBackendOf,
  verifySegment,
  verifySegmentTolerant,
} from '@aic/model-vessel';
import { sampleSegments } from '@aic/verification';
import { initialCommitment } from './initial-state.ts';

/** Loads the provider's checkpoint i (the state at commitment c_i). */
export type CheckpointLoader = (index: number) => Promise<Checkpoint>;

export interface SegmentCheckInput {
  readonly spec: JobSpec;
  readonly data: TensorDataset;
  /** c_0 … c_n as the provider committed them. */
  readonly commitments: readonly Commitment[];
  readonly loadCheckpoint: CheckpointLoader;
  readonly signal?: AbortSignal;
  /** Backends this verifier runs, for a tolerant job's re-run (default cpu and wasm). */
  readonly backends?: readonly RuntimeBackend[];
}

/** Errors that put the fault on the provider's checkpoint rather than on the verifier or the network. */
const PROVIDER_FAULTS = new Set([
  'VERIFY_CHECKPOINT_MISMATCH',
  'RUNTIME_CHECKPOINT_INVALID',
  'RUNTIME_CHECKPOINT_MISMATCH',
  'MODEL_WEIGHTS_NOT_FINITE',
  'VERIFY_SHAPE_MISMATCH',
]);
const isProviderFault = (error: unknown) =>
  isAicError(error) && (PROVIDER_FAULTS.has(error.code) || error.code.startsWith('SAFETENSORS_'));

/** What re-running segment i gives: the recomputed c_{i+1}, or null when checkpoint i is not the committed state. */
export async function rerunSegment(input: SegmentCheckInput, index: number): Promise<`0x${string}` | null> {
  const claimed = input.commitments[index + 1];
  const own = input.commitments[index];
  if (!claimed || !own) {
    throw new AicError('VERIFY_SEGMENT_INVALID', `segment ${index} is not in the job`, {
      details: { segments: input.commitments.length - 1 },
    });
  }
  try {
    const checkpoint = await input.loadCheckpoint(index);
    if (checkpoint.step !== own.step || commitmentOfCheckpoint(checkpoint) !== own.hash) return null;
    const options = input.signal ? { signal: input.signal } : {};
    if (toleranceOf(input.spec)) return await rerunTolerant(input, index, checkpoint, options);
    const verdict = await verifySegment(input.spec, input.data, checkpoint, claimed, options);
    return verdict.recomputed.hash;
  } catch (error) {
    if (isProviderFault(error)) return null;
    throw error;
  }
}

/**
 * Tolerant mode: c_{i+1} cannot be recomputed bit for bit, so the claimed state itself (checkpoint i+1, which must
 * hash to c_{i+1}) is compared with the re-run. Within the bound the segment counts as reproduced (its claimed hash
 * is returned, so disputes and referees work as in exact mode); outside it, or with a forged checkpoint i+1, null.
 */
async function rerunTolerant(
  input: SegmentCheckInput,
  index: number,
  from: Checkpoint,
  options: { signal?: AbortSignal },
): Promise<`0x${string}` | null> {
  const tolerance = toleranceOf(input.spec) as NonNullable<ReturnType<typeof toleranceOf>>;
  const backend = verificationBackendOf(tolerance, input.backends ?? ['cpu', 'wasm']);
  const claimed = input.commitments[index + 1] as Commitment;
  const end = await input.loadCheckpoint(index + 1);
  if (end.step !== claimed.step || commitmentOfCheckpoint(end) !== claimed.hash) return null;
  const verdict = await verifySegmentTolerant(
    { spec: input.spec, data: input.data, from, claimed: end, backend, tolerance },
    options,
  );
  return verdict.match ? claimed.hash : null;
}

/** True when re-running segment i from the provider's checkpoint i reproduces the committed c_{i+1} (exactly, or in
 * tolerant mode within the job's bound). */
export async function checkSegment(input: SegmentCheckInput, index: number): Promise<boolean> {
  return (await rerunSegment(input, index)) === input.commitments[index + 1]?.hash;
}

export interface CommittedJobCheck extends SegmentCheckInput {
  /** The sampling seed (the hash of the block after the commitment). */
  readonly seed: bigint | Uint8Array;
  /** The job's sampling key (same on every verifier), e.g. `job-<id>`. */
  readonly jobKey: string;
  readonly samples: number;
  /** When given, the commitments must be the ones under this root (as committed on chain). */
  readonly commitmentRoot?: `0x${string}`;
  /** Also recompute c_0 from the spec (cheap: no training step); default true. */
  readonly checkInitialState?: boolean;
}

export interface CommittedJobVerdict {
  readonly valid: boolean;
  /** c_0 is the job's seeded initial state (true when not checked). */
  readonly initialStateValid: boolean;
  /** The segment indices re-run, ascending. */
  readonly checked: readonly number[];
  /** Those whose re-run did not reproduce c_{i+1} (or whose checkpoint was not the committed state). */
  readonly mismatches: readonly number[];
}

const seedOf = (seed: bigint | Uint8Array): bigint =>
  typeof seed === 'bigint' ? seed : seed.length === 0 ? 0n : BigInt(`0x${Buffer.from(seed).toString('hex')}`);

/**
 * Samples `samples` segments from the seed and re-runs each; valid iff all reproduce their commitment and c_0 is
 * the seeded initial state.
 * Throws VERIFY_ROOT_MISMATCH when `commitmentRoot` is given and the commitments are not under it.
 *
 * @example
 * const verdict = await checkCommittedJob({ spec, data, commitments, seed: blockHash, jobKey: 'job-7', samples: 44,
 *   loadCheckpoint: (i) => fetchCheckpoint(provider, jobId, commitments[i].step) });
 * if (!verdict.valid) openDispute(verdict.mismatches[0]);
 */
export async function checkCommittedJob(input: CommittedJobCheck): Promise<CommittedJobVerdict> {
  if (input.commitmentRoot !== undefined && commitmentRoot(input.commitments) !== input.commitmentRoot) {
    throw new AicError('VERIFY_ROOT_MISMATCH', 'the commitments are not the ones under the committed root');
  }
  const segments = input.commitments.length - 1;
  if (segments < 1) throw new AicError('VERIFY_SEGMENT_INVALID', 'a job needs at least two commitments');
  const checked = sampleSegments(seedOf(input.seed), input.jobKey, segments, Math.min(input.samples, segments));
  const initialStateValid =
    input.checkInitialState === false ||
    (await initialCommitment(initialStateSpec(input), input.data)).hash === input.commitments[0]?.hash;
  const mismatches: number[] = [];
  const prefetching = prefetchingLoader(input.loadCheckpoint);
  for (const [position, index] of checked.entries()) {
    // The next sampled checkpoint travels while this segment re-runs (transfer and compute overlap).
    const next = checked[position + 1];
    if (next !== undefined) prefetching.prefetch(next);
    if (!(await checkSegment({ ...input, loadCheckpoint: prefetching.load }, index))) mismatches.push(index);
  }
  return { valid: initialStateValid && mismatches.length === 0, initialStateValid, checked, mismatches };
}

/**
 * The spec c_0 is recomputed with. c_0 is exact in every mode: the seeded initial weights come from TensorFlow.js's
 * JS random generator on every backend and the optimizer has no state yet (measured: webgpu's c_0 equals cpu's), so a
 * tolerant job's c_0 is recomputed on its verification backend, which this verifier has.
 */
function initialStateSpec(input: SegmentCheckInput): JobSpec {
  const tolerance = toleranceOf(input.spec);
  if (!tolerance) return input.spec;
  return { ...input.spec, backend: verificationBackendOf(tolerance, input.backends ?? ['cpu', 'wasm']) };
}

/** A loader that can start loading a checkpoint early; each prefetched one is handed out once, then forgotten. */
function prefetchingLoader(load: CheckpointLoader) {
  const early = new Map<number, Promise<Checkpoint>>();
  return {
    prefetch(index: number): void {
      if (early.has(index)) return;
      const pending = load(index);
      pending.catch(() => undefined); // awaited (and its error surfaced) when the segment's turn comes
      early.set(index, pending);
    },
    load: (index: number): Promise<Checkpoint> => {
      const pending = early.get(index);
      early.delete(index);
      return pending ?? load(index);
    },
  };
}
