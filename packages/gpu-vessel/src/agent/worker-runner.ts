/** The provider agent's TrainingRunner: the sandboxed worker process (memory and time caps) on a ticket's data. */
import { AicError } from '@aic/core';
import { DATASET_SOURCE_PATTERN } from '../jobs/job-ticket.ts';
import { runTrainingWorker } from '../worker/run-training-worker.ts';
import type { TrainingRunner } from './provider-agent.ts';

export function workerTrainingRunner(limits: { memoryMiB: number; timeoutMs: number }): TrainingRunner {
  return async (init, hooks) => {
    const match = DATASET_SOURCE_PATTERN.exec(init.dataset);
    const template = match?.[1];
    if (template !== 'mnist' && template !== 'iris' && template !== 'intent') {
      throw new AicError('JOB_DATASET_UNKNOWN', `the worker cannot load ${init.dataset}`);
    }
    const result = await runTrainingWorker(
      {
        spec: init.spec,
        dataset: { template, split: match?.[2] === 'test' ? 'test' : 'train' },
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
