import { irisTemplate, type JobSpec } from '@aic/model-vessel';

/** An Iris job spec for tests (8 steps per epoch on the cpu backend: a whole job trains in well under a second). */
export function irisSpec(o: { seed: number; commitEverySteps: number; epochs: number }): JobSpec {
  return {
    manifest: irisTemplate.manifest,
    backend: 'cpu',
    seed: o.seed,
    commitEverySteps: o.commitEverySteps,
    hyperparameters: { epochs: o.epochs },
  };
}
