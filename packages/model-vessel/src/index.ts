/**
 * @aic/model-vessel: model manifests, the declarative-graph security boundary, and the deterministic TensorFlow.js
 * training runtime with checkpoint commitments. See README.md for the allow-list, limits and commitment format.
 */

export * from './errors.ts';
export { ALLOWED_ACTIVATIONS, ALLOWED_INITIALIZERS, ALLOWED_LAYERS } from './graph/allow-list.ts';
export { buildModel, deriveSeed } from './graph/build-model.ts';
export { type CheckedGraph, type CheckedLayer, checkTopology } from './graph/check-topology.ts';
export { callModel, createModelCallHandler, type ModelSource, serveModels } from './inference/model-call.ts';
export {
  createModelService,
  type ModelCall,
  type ModelCallResult,
  type ModelService,
  type ModelServiceComponents,
  type ModelServiceInit,
} from './inference/model-service.ts';
export { checkCallInputs, MAX_SAMPLES_PER_CALL, predict } from './inference/predict.ts';
export { loadServedModel, PUBLISHED_MODEL_SEED } from './inference/served-model.ts';
export { DEFAULT_MODEL_LIMITS, type ModelLimits } from './limits.ts';
export { type HyperparameterValue, resolveHyperparameters } from './manifest/hyperparameters.ts';
export {
  LOSSES,
  MODEL_TASKS,
  type ModelLoss,
  type ModelManifest,
  type ModelTask,
  modelManifestSchema,
} from './manifest/schema.ts';
export { type ManifestIssue, type ValidatedModel, validateManifest } from './manifest/validate.ts';
export { manifestWithResult, type TrainingOutcome } from './manifest/with-result.ts';
export { isDeterministicBackend, RUNTIME_BACKENDS, type RuntimeBackend, useBackend } from './runtime/backend.ts';
export { BatchSchedule, type BatchScheduleState, stepsFor } from './runtime/batch-schedule.ts';
export { type Checkpoint, checkpointFromFiles, checkpointToFiles } from './runtime/checkpoint.ts';
export {
  listCheckpoints,
  loadCheckpoint,
  loadCheckpointFiles,
  saveCheckpoint,
  saveCheckpointFiles,
} from './runtime/checkpoint-files.ts';
export { type Commitment, commitmentHash, commitmentRoot, type StepDigests } from './runtime/commitment.ts';
export { checkDataset, datasetDigest, datasetFromSafetensors, type TensorDataset } from './runtime/dataset.ts';
export {
  checkDatasetFitsModel,
  type DatasetShape,
  type JobSpec,
  jobSpecSchema,
  type ResolvedJob,
  type ResolvedJobShape,
  resolveJob,
  resolveJobShape,
  type Tolerance,
  type TrainingSettings,
  toleranceSchema,
} from './runtime/job.ts';
export {
  hashStateArrays,
  readModelWeights,
  readOptimizerState,
  type StateArray,
  writeModelWeights,
  writeOptimizerState,
} from './runtime/model-state.ts';
export { Prng, type PrngState, prngStateFromSeed } from './runtime/prng.ts';
export { checkShardable } from './runtime/sharded-step.ts';
export {
  evenRanges,
  foldGradients,
  foldInto,
  type GradientReducer,
  localReducer,
  microbatchesOfRank,
  microbatchRanges,
  type Range,
  type ShardRole,
} from './runtime/shards.ts';
export { type WeightsDistance, weightsDistance } from './runtime/tolerance.ts';
export { type TrainOptions, type TrainProgress, type TrainResult, trainJob } from './runtime/train.ts';
export { compileModel, type Evaluation, evaluate, loadTrainedModel } from './runtime/trained-model.ts';
export {
  commitmentOfCheckpoint,
  commitmentProof,
  type SegmentVerdict,
  verifySegment,
} from './runtime/verify-segment.ts';
export {
  compareStates,
  type TolerantSegmentInput,
  type TolerantVerdict,
  toleranceOf,
  verificationBackendOf,
  verifySegmentTolerant,
} from './runtime/verify-tolerant.ts';
export {
  dawnEntryUrl,
  parseWebgpuProbe,
  probeWebgpuAdapter,
  type WebgpuAdapter,
  webgpuAdapterSchema,
} from './runtime/webgpu-adapter.ts';
export { cidOfBytes, weightsFromSafetensors, weightsToSafetensors } from './runtime/weights-file.ts';
export * from './templates/index.ts';
