import { describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  foldInto,
  type GradientReducer,
  irisTemplate,
  type JobSpec,
  trainJob,
  verifySegment,
} from '../../src/index.ts';

const shardedSpec = (microbatches: number | undefined): JobSpec => ({
  manifest: irisTemplate.manifest,
  backend: 'cpu',
  seed: 5,
  commitEverySteps: 4,
  hyperparameters: { epochs: 3, batchSize: 16 },
  ...(microbatches === undefined ? {} : { microbatches }),
});

/** N ranks in one process: the partial fold handed rank to rank, as the network chain does, then shared. */
function inProcessChain(workers: number): GradientReducer[] {
  type Slot = { promise: Promise<Float32Array>; resolve: (v: Float32Array) => void };
  const handoff = new Map<string, Slot>();
  const slot = (step: number, rank: number): Slot => {
    const key = `${step}/${rank}`;
    let s = handoff.get(key);
    if (!s) {
      let resolve: (v: Float32Array) => void = () => {};
      const promise = new Promise<Float32Array>((r) => {
        resolve = r;
      });
      s = { promise, resolve };
      handoff.set(key, s);
    }
    return s;
  };
  return Array.from({ length: workers }, (_, rank) => ({
    async reduce(step, own, length) {
      const acc = rank === 0 ? new Float32Array(length) : Float32Array.from(await slot(step, rank).promise);
      for (const g of own) foldInto(acc, g);
      if (rank < workers - 1) {
        slot(step, rank + 1).resolve(acc);
        return await slot(step, workers).promise; // the final sum, from the last rank
      }
      slot(step, workers).resolve(acc);
      return acc;
    },
  }));
}

describe('sharded (MSMG) training', () => {
  it('gives 2 and 3 ranks the same commitments as one worker, and learns as the fused step does', async () => {
    const { train } = await irisTemplate.loadData();
    const one = await trainJob(shardedSpec(6), train);
    one.model.dispose();
    for (const workers of [2, 3]) {
      const reducers = inProcessChain(workers);
      const runs = await Promise.all(
        reducers.map((reducer, rank) => trainJob(shardedSpec(6), train, { shard: { rank, workers, reducer } })),
      );
      for (const run of runs) {
        run.model.dispose();
        expect(run.commitments).toEqual(one.commitments);
        expect(run.commitmentRoot).toBe(one.commitmentRoot);
        expect(run.weightsHash).toBe(one.weightsHash);
      }
    }
    // the same math as the fused step, up to float rounding: same batches, the mean loss's gradient
    const fused = await trainJob(shardedSpec(undefined), train);
    fused.model.dispose();
    expect(fused.commitmentRoot).not.toBe(one.commitmentRoot);
    expect(Math.abs(one.finalLoss - fused.finalLoss)).toBeLessThan(1e-3);
    expect(one.job.jobDigest).not.toBe(fused.job.jobDigest);
  });

  it('resumes and verifies a segment in one process, whatever N trained it', async () => {
    const { train } = await irisTemplate.loadData();
    const checkpoints: Checkpoint[] = [];
    const reducers = inProcessChain(3);
    const runs = await Promise.all(
      reducers.map((reducer, rank) =>
        trainJob(shardedSpec(6), train, {
          shard: { rank, workers: 3, reducer },
          ...(rank === 0 ? { onCheckpoint: (c: Checkpoint) => void checkpoints.push(c) } : {}),
        }),
      ),
    );
    for (const run of runs) run.model.dispose();
    const from = checkpoints[2] as Checkpoint;
    const claimed = runs[0]?.commitments[3];
    if (!claimed) throw new Error('no commitment 3');
    const verdict = await verifySegment(shardedSpec(6), train, from, claimed);
    expect(verdict.match).toBe(true);
    const resumed = await trainJob(shardedSpec(6), train, { resumeFrom: from });
    resumed.model.dispose();
    expect(resumed.commitmentRoot).toBe(runs[0]?.commitmentRoot);
  });

  it('refuses more workers than microbatches', async () => {
    const { train } = await irisTemplate.loadData();
    const reducer = inProcessChain(4)[0] as GradientReducer;
    await expect(trainJob(shardedSpec(3), train, { shard: { rank: 0, workers: 4, reducer } })).rejects.toMatchObject({
      code: 'RUNTIME_SHARDING_UNSUPPORTED',
    });
  });
});
