export { loadShardDataset } from './dataset-source.ts';
export { errorOfExit, type WorkerExit } from './exit-reason.ts';
export { fabricateSegment, fakedSegments } from './fake-segments.ts';
export type { WorkerDataset, WorkerFault } from './protocol.ts';
export {
  runTrainingWorker,
  type TrainingWorkerHandlers,
  type TrainingWorkerInit,
  type TrainingWorkerResult,
  WORKER_ENV_PASSTHROUGH,
  WORKER_MAIN,
  WORKER_SEMI_SPACE_MIB,
  type WorkerCheckpoint,
  type WorkerProgress,
} from './run-training-worker.ts';
export { commitmentSteps, segmentCount } from './segments.ts';
