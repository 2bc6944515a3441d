/** The verifier's sampled check on a real (tiny) job: each sampled checkpoint is loaded once, the next one while the
 * current segment re-runs, and a load failure surfaces as the check's error. */
import { type Checkpoint, trainJob } from '@aic/model-vessel';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CheckpointLoader, checkCommittedJob } from '../../src/verify/index.ts';
import { templateSplit } from '../helpers/dataset-file.ts';
import { irisSpec } from '../helpers/iris-job.ts';

const spec = irisSpec({ seed: 3, commitEverySteps: 2, epochs: 4 });
const checkpoints: Checkpoint[] = [];
let job: Awaited<ReturnType<typeof trainJob>>;
let data: Awaited<ReturnType<typeof templateSplit>>;

beforeAll(async () => {
  data = await templateSplit('iris');
  job = await trainJob(spec, data, { onCheckpoint: async (c) => void checkpoints.push(c) });
  job.model.dispose();
});

const check = (loadCheckpoint: CheckpointLoader) =>
  checkCommittedJob({
    spec,
    data,
    commitments: job.commitments,
    seed: 99n,
    jobKey: 'job-prefetch',
    samples: 5,
    loadCheckpoint,
  });

describe('checkCommittedJob', () => {
  it('loads each sampled checkpoint once and starts the next load before the current re-run ends', async () => {
    const events: string[] = [];
    const verdict = await check(async (i) => {
      events.push(`load ${i}`);
      return checkpoints[i]!;
    });
    expect(verdict.valid).toBe(true);
    const loads = events.map((e) => Number(e.slice(5)));
    expect(loads.toSorted((a, b) => a - b)).toEqual([...verdict.checked]);
    // The first two loads are the first sample and the prefetched second (in either order).
    expect(new Set(loads.slice(0, 2))).toEqual(new Set(verdict.checked.slice(0, 2)));
  });

  it('surfaces a failing load as the error of the check', async () => {
    const failing = check(async (i) => {
      throw new Error(`peer gone while loading ${i}`);
    });
    await expect(failing).rejects.toThrow(/peer gone while loading/);
  });
});
