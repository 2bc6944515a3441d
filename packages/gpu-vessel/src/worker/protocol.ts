/**
 * The IPC protocol between the GPU Vessel and its training worker process. The child runs code we wrote, but on a
 * job's untrusted manifest and data, possibly out of memory or half-killed: the parent parses every message it gets
 * with these schemas and treats anything else as WORKER_PROTOCOL_ERROR. The child parses its start message too.
 */
import { z } from 'zod';

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/) as unknown as z.ZodType<`0x${string}`>;
const count = z.number().int().nonnegative();
// losses may legitimately be NaN (a diverging job); structured-clone IPC carries NaN as is
const lossValue = z.union([z.number(), z.nan()]);
const commitment = z.strictObject({ step: count, hash: hex32 });

/** Where the worker reads its training data: a published dataset's plaintext Data Vessel shards in the job's
 * sandbox dir, of which the first `rows` rows train, or one safetensors file (features, labels). Never a template's
 * npm data: templates reach jobs as published datasets like any other. */
export const workerDatasetSchema = z.union([
  z.strictObject({ file: z.string().min(1) }),
  z.strictObject({
    shards: z.array(z.string().min(1).max(4096)).min(1).max(100_000),
    rows: z.number().int().positive(),
  }),
]);
export type WorkerDataset = z.infer<typeof workerDatasetSchema>;

/** TEST-ONLY: report fabricated segments (work skipped) for this fraction of segments, chosen by the seed. */
export const workerFaultSchema = z.strictObject({
  fakeSegmentFraction: z.number().min(0).max(1),
  seed: z.number().int().min(0).max(0xffff_ffff),
});
export type WorkerFault = z.infer<typeof workerFaultSchema>;

/** Parent → child, once: what to train. */
export const startMessageSchema = z.strictObject({
  type: z.literal('start'),
  spec: z.unknown(),
  dataset: workerDatasetSchema,
  checkpointDir: z.string().min(1),
  resume: z.boolean(),
  resumeFromFile: z.strictObject({ json: z.string().min(1), safetensors: z.string().min(1) }).optional(),
  stopAfterStep: count.optional(),
  progressEverySteps: z.number().int().positive().optional(),
  fault: workerFaultSchema.optional(),
});
export type StartMessage = z.infer<typeof startMessageSchema>;

const readyMessage = z.strictObject({
  type: z.literal('ready'),
  pid: count,
  /** V8's heap limit inside the child: evidence that the memory cap was applied. */
  heapLimitBytes: count,
  execArgv: z.array(z.string()).max(64),
  jobDigest: hex32,
  totalSteps: count,
  segments: count,
  /** The checkpoint training continues from (its commitment index and step), or null for a fresh start. */
  resumedFrom: z.strictObject({ index: count, step: count }).nullable(),
});

const progressMessage = z.strictObject({
  type: z.literal('progress'),
  step: count,
  totalSteps: count,
  epoch: count,
  loss: lossValue,
  accuracy: lossValue.optional(),
});

const checkpointMessage = z.strictObject({
  type: z.literal('checkpoint'),
  /** i in c_0 … c_n. */
  index: count,
  step: count,
  hash: hex32,
});

const doneMessage = z.strictObject({
  type: z.literal('done'),
  steps: count,
  totalSteps: count,
  commitments: z.array(commitment).max(1_000_000),
  commitmentRoot: hex32,
  resultCid: z.string().min(1).max(200),
  weightsPath: z.string().min(1),
  finalLoss: lossValue,
});

const errorMessage = z.strictObject({
  type: z.literal('error'),
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
  message: z.string().max(4000),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** Child → parent. */
export const childMessageSchema = z.discriminatedUnion('type', [
  readyMessage,
  progressMessage,
  checkpointMessage,
  doneMessage,
  errorMessage,
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;
export type ReadyMessage = z.infer<typeof readyMessage>;
export type ProgressMessage = z.infer<typeof progressMessage>;
export type CheckpointMessage = z.infer<typeof checkpointMessage>;
export type DoneMessage = z.infer<typeof doneMessage>;
