/** The provider agent's TrainingRunner: the sandboxed worker process (memory and time caps) on a ticket's data. */
import { runTrainingWorker } from '../worker/run-training-worker.ts';
import type { TrainingRunner } from './provider-agent.ts';

export function workerTrainingRunner(limits: { memoryMiB: number; timeoutMs: number }): TrainingRunner {
  return async (init, hooks) => {
    const result = await runTrainingWorker(
      {
        spec: init.spec,
        // the published dataset's shard files as they are (the worker loads the first `rows` rows)
        dataset: { shards: init.dataset.shards, rows: init.dataset.rows },
        checkpointDir: init.checkpointDir,
        memoryMiB: limits.memoryMiB,
        timeoutMs: limits.timeoutMs,
        ...(init.fault ? { fault: init.fault } : {}),
      },
      {
        signal: hooks.signal,
        onProgress: (p) =>
          // A diverging job's loss may be NaN: progress carries only finite numbers.
          hooks.onProgress({
            step: p.step,
            totalSteps: p.totalSteps,
            ...(Number.isFinite(p.loss) ? { loss: p.loss } : {}),
            ...(p.accuracy === undefined || !Number.isFinite(p.accuracy) ? {} : { accuracy: p.accuracy }),
          }),
        onCheckpoint: (c) => hooks.onCheckpoint(c),
      },
    );
    return { commitmentRoot: result.commitmentRoot, resultCid: result.resultCid, commitments: result.commitments };
  };
}
