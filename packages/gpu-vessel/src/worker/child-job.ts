/**
 * The job as the worker process runs it: load the data, resolve the job, find where to resume, train with the
 * model-vessel runtime while saving every checkpoint before announcing it (a commitment the parent hears of is always
 * on disk), and write the final weights. Runs inside the child; talks only through `send`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import {
  type Checkpoint,
  cidOfBytes,
  commitmentRoot,
  type JobSpec,
  type ResolvedJob,
  resolveJob,
  saveCheckpoint,
  type TensorDataset,
  type TrainProgress,
  trainJob,
  weightsToSafetensors,
} from '@aic/model-vessel';
import { loadWorkerDataset } from './dataset-source.ts';
import { fabricateSegment, fakedSegments } from './fake-segments.ts';
import type { ChildMessage, DoneMessage, StartMessage } from './protocol.ts';
import { handedOverCheckpoint, latestCheckpointOf } from './resume-point.ts';
import { commitmentSteps } from './segments.ts';

type Send = (message: ChildMessage) => Promise<void>;

interface Outcome {
  readonly last: Checkpoint | undefined;
  readonly weights: Uint8Array;
  readonly resultCid: string;
  readonly finalLoss: number;
  readonly steps: number;
  readonly commitments: readonly { step: number; hash: `0x${string}` }[];
}

interface Run {
  readonly spec: JobSpec;
  readonly data: TensorDataset;
  readonly job: ResolvedJob;
  readonly start: StartMessage;
  readonly send: Send;
}

async function findResumePoint(start: StartMessage, job: ResolvedJob): Promise<Checkpoint | undefined> {
  if (start.resumeFromFile) {
    const handed = await handedOverCheckpoint(start.resumeFromFile, job.jobDigest);
    // kept here too, so a restart of this worker resumes from it rather than from scratch
    await saveCheckpoint(start.checkpointDir, handed);
    return handed;
  }
  return start.resume ? latestCheckpointOf(start.checkpointDir, job.jobDigest) : undefined;
}

function checkpointSink(run: Run) {
  return async (checkpoint: Checkpoint) => {
    await saveCheckpoint(run.start.checkpointDir, checkpoint);
    const own = checkpoint.commitments.at(-1);
    if (own) {
      await run.send({ type: 'checkpoint', index: checkpoint.commitments.length - 1, step: own.step, hash: own.hash });
    }
  };
}

function progressSink(run: Run) {
  return (p: TrainProgress) => {
    const base = { type: 'progress' as const, step: p.step, totalSteps: p.totalSteps, epoch: p.epoch, loss: p.loss };
    void run.send(p.accuracy === undefined ? base : { ...base, accuracy: p.accuracy });
  };
}

/** The result of a job that needs no more training (already at its last or stop step). */
async function outcomeOfCheckpoint(run: Run, checkpoint: Checkpoint): Promise<Outcome> {
  const weights = weightsToSafetensors(checkpoint.weights, { job: run.job.jobDigest });
  return {
    last: checkpoint,
    weights,
    resultCid: await cidOfBytes(weights),
    finalLoss: Number.NaN,
    steps: checkpoint.step,
    commitments: checkpoint.commitments,
  };
}

/** Trains from `from` (or the start) up to the first commitment at or after `stopAfterStep`. */
async function trainSpan(run: Run, from: Checkpoint | undefined, stopAfterStep: number | undefined): Promise<Outcome> {
  if (from && (from.step >= run.job.totalSteps || (stopAfterStep !== undefined && from.step >= stopAfterStep))) {
    return outcomeOfCheckpoint(run, from);
  }
  let last: Checkpoint | undefined;
  const save = checkpointSink(run);
  // the runtime commits c_0 before any step and checks its signal before each step: stopping at 0 aborts there
  const atZero = stopAfterStep === 0 && !from ? new AbortController() : undefined;
  const options = {
    onProgress: progressSink(run),
    onCheckpoint: async (c: Checkpoint) => {
      last = c;
      await save(c);
      atZero?.abort();
    },
    ...(from ? { resumeFrom: from } : {}),
    ...(stopAfterStep === undefined ? {} : { stopAfterStep }),
    ...(run.start.progressEverySteps === undefined ? {} : { progressEverySteps: run.start.progressEverySteps }),
    ...(atZero ? { signal: atZero.signal } : {}),
  };
  try {
    const result = await trainJob(run.spec, run.data, options);
    result.model.dispose();
    return { ...result, last };
  } catch (error) {
    if (atZero?.signal.aborted && last) return outcomeOfCheckpoint(run, last);
    throw error;
  }
}

/** Trains honestly, except that each faked segment (fault injection) is fabricated instead of trained. */
async function trainWithFaults(run: Run, resume: Checkpoint | undefined): Promise<Outcome> {
  const { job, start } = run;
  const steps = commitmentSteps(job.totalSteps, job.commitEverySteps);
  const faked = start.fault ? fakedSegments(steps.length - 1, start.fault.fakeSegmentFraction, start.fault.seed) : [];
  const stop = start.stopAfterStep;
  let from = resume;
  for (const segment of faked) {
    const segmentStart = steps[segment] as number;
    const segmentEnd = steps[segment + 1] as number;
    if (from && from.step > segmentStart) continue; // faked before the restart; its checkpoint is on disk
    if (stop !== undefined && segmentStart >= stop) break;
    const base = from?.step === segmentStart ? from : (await trainSpan(run, from, segmentStart)).last;
    if (!base) break;
    from = fabricateSegment(base, segmentEnd, run.data.count, job.settings.batchSize);
    await checkpointSink(run)(from);
  }
  return trainSpan(run, from, stop);
}

/** Runs the whole job in this process and returns the `done` message. */
export async function runChildJob(start: StartMessage, send: Send): Promise<DoneMessage> {
  const data = await loadWorkerDataset(start.dataset);
  const spec = start.spec as JobSpec; // resolveJob validates it
  const job = resolveJob(spec, data);
  const resume = await findResumePoint(start, job);
  const run: Run = { spec, data, job, start, send };
  await send({
    type: 'ready',
    pid: process.pid,
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    execArgv: process.execArgv,
    jobDigest: job.jobDigest,
    totalSteps: job.totalSteps,
    segments: commitmentSteps(job.totalSteps, job.commitEverySteps).length - 1,
    resumedFrom: resume ? { index: resume.commitments.length - 1, step: resume.step } : null,
  });
  const outcome = await trainWithFaults(run, resume);
  const weightsPath = join(start.checkpointDir, `result-${job.jobDigest.slice(2, 18)}.safetensors`);
  await writeFile(weightsPath, outcome.weights);
  return {
    type: 'done',
    steps: outcome.steps,
    totalSteps: job.totalSteps,
    commitments: [...outcome.commitments],
    commitmentRoot: commitmentRoot(outcome.commitments),
    resultCid: outcome.resultCid,
    weightsPath,
    finalLoss: outcome.finalLoss,
  };
}
