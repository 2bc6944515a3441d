/** The provider agent's TrainingRunner: the sandboxed worker process (memory and time caps) on a ticket's data. */
import { AicError } from '@aic/core';
import { DATASET_SOURCE_PATTERN } from '../jobs/job-ticket.ts';
import type { TicketData } from '../jobs/ticket-data.ts';
import type { WorkerDataset } from '../worker/protocol.ts';
import { runTrainingWorker } from '../worker/run-training-worker.ts';
import type { TrainingRunner } from './provider-agent.ts';

/** What the worker loads: a published dataset's shard files as they are, a template source as its split. */
function workerDatasetOf(source: TicketData): WorkerDataset {
  if ('shards' in source) return { shards: source.shards, rows: source.rows };
  const match = DATASET_SOURCE_PATTERN.exec(source.template);
  const template = match?.[1];
  if (template !== 'mnist' && template !== 'iris' && template !== 'intent') {
    throw new AicError('JOB_DATASET_UNKNOWN', `the worker cannot load ${source.template}`);
  }
  return { template, split: match?.[2] === 'test' ? 'test' : 'train' };
}

export function workerTrainingRunner(limits: { memoryMiB: number; timeoutMs: number }): TrainingRunner {
  return async (init, hooks) => {
    const result = await runTrainingWorker(
      {
        spec: init.spec,
        dataset: workerDatasetOf(init.dataset),
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
