import { isAicError } from '@aic/core';
import { type Commitment, type JobSpec, type TensorDataset, trainJob } from '@aic/model-vessel';

/**
 * c_0, the seeded initial state of a job, recomputed without training (the runtime commits it before the first step;
 * the run is stopped right there). Segment re-runs start from the provider's checkpoints, so without this check a
 * provider could start the job from a state of its choice.
 */
export async function initialCommitment(spec: JobSpec, data: TensorDataset): Promise<Commitment> {
  const stop = new AbortController();
  let first: Commitment | undefined;
  const run = trainJob(spec, data, {
    signal: stop.signal,
    onCheckpoint: (c) => {
      first = c.commitments[0];
      stop.abort();
    },
  });
  try {
    (await run).model.dispose(); // a job of zero steps ends without aborting
  } catch (error) {
    if (!(isAicError(error, 'RUNTIME_ABORTED') && first)) throw error;
  }
  return first as Commitment;
}
