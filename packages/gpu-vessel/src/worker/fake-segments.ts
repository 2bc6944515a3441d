/**
 * TEST-ONLY fault injection: a provider that skips the work of some segments. For a faked segment i it does not train
 * from c_i to c_{i+1}; it advances the batch schedule (cheap) and commits to the untrained state as if it had trained.
 * Its checkpoint i+1 hashes to the reported c_{i+1} and every later segment is trained honestly from it, so exactly
 * the faked segments fail a verifier's re-run — the cheater the sampling maths of DESIGN.md §7 is about. (Reporting
 * a random c_{i+1} with no state behind it would also make segment i+1 fail, doubling the apparent fraction.)
 */
import { createHash } from 'node:crypto';
import { BatchSchedule, type Checkpoint, commitmentOfCheckpoint } from '@aic/model-vessel';
import { sampleSegments } from '@aic/verification';

/** The segments a faulty worker fakes: round(fraction × segments) of them (at least one when fraction > 0), by seed. */
export function fakedSegments(segments: number, fraction: number, seed: number): number[] {
  if (fraction <= 0 || segments < 1) return [];
  const faked = Math.min(segments, Math.max(1, Math.round(fraction * segments)));
  return sampleSegments(BigInt(seed), 'gpu-vessel:fake-segments', segments, faked);
}

/** Checkpoint at `endStep` claimed from `start` without training: same weights and optimizer, schedule advanced. */
export function fabricateSegment(
  start: Checkpoint,
  endStep: number,
  sampleCount: number,
  batchSize: number,
): Checkpoint {
  const schedule = new BatchSchedule(sampleCount, start.rng);
  const batches = createHash('sha256');
  for (let step = start.step; step < endStep; step++) {
    const indices = schedule.next(batchSize);
    batches.update(new Uint8Array(indices.buffer, indices.byteOffset, indices.byteLength));
  }
  const draft: Checkpoint = {
    ...start,
    step: endStep,
    rng: schedule.state,
    segmentBatchesDigest: `0x${batches.digest('hex')}`,
  };
  return { ...draft, commitments: [...start.commitments, { step: endStep, hash: commitmentOfCheckpoint(draft) }] };
}
