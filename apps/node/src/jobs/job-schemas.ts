import { aicToWei } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import { hardwareRequirementSchema } from '@aic/gpu-vessel/hardware-requirement';
import { z } from 'zod';
import { MAX_UINT32, MAX_UINT96, weiStringSchema } from '../api/schemas.ts';

// The job endpoints' shapes (`aic job submit|status|logs|result`), shared by server, OpenAPI and client.

// Bounded by the on-chain types: amounts are uint96 in the job record, asset ids uint32, job ids uint256.
const AIC_AMOUNT_RE = /^[0-9]{1,12}(\.[0-9]{1,18})?$/;
const aicAmount = z
  .string()
  .regex(AIC_AMOUNT_RE, 'an AIC amount, e.g. 40 or 2.5')
  .refine(
    (v) => !AIC_AMOUNT_RE.test(v) || aicToWei(v) <= MAX_UINT96,
    'at most 2^96 - 1 wei (uint96), about 79 billion AIC',
  );
const idText = z.string().regex(/^[1-9][0-9]{0,18}$/, 'a positive integer id');
const assetIdText = idText.refine(
  (v) => !/^[0-9]+$/.test(v) || BigInt(v) <= MAX_UINT32,
  'an asset id is at most 2^32 - 1 (uint32)',
);

const hyperparameterName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/);

export const jobSubmitBodySchema = z.strictObject({
  datasetId: assetIdText.describe('Dataset NFT of the training data'),
  modelId: assetIdText.describe('Model (or TrainedAI) NFT of the base model: its manifest is what trains'),
  hyperparameters: z
    .record(hyperparameterName, z.union([z.number(), z.string().max(200), z.boolean()]))
    .refine((v) => Object.keys(v).length <= 64, 'at most 64 hyperparameters')
    .optional()
    .describe("overrides within the model manifest's hyperparameter schema (epochs, batchSize, … win over these)"),
  idempotencyKey: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('a retried submit with the same key returns the first job instead of escrowing again'),
  epochs: z.number().int().min(1).max(1_000).optional(),
  batchSize: z.number().int().min(1).max(4_096).optional(),
  learningRate: z.number().positive().max(10).optional(),
  seed: z.number().int().min(0).max(0xffff_ffff).default(1),
  commitEverySteps: z.number().int().min(1).max(100_000).default(25),
  workers: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe(
      'MSMG: more than 1 makes the job sharded (its gradients summed in a fixed order over `microbatches` per step) and placed on that many providers as one group (the lead is the provider on chain and pays the members their shares after settlement); 1 to that many workers train it to the same commitments',
    ),
  microbatches: z
    .number()
    .int()
    .min(1)
    .max(1_024)
    .optional()
    .describe('M of a sharded job (default: workers when workers > 1); at least workers'),
  backend: z
    .enum(['cpu', 'wasm', 'webgpu'])
    .default('cpu')
    .describe(
      'cpu and wasm are verified exactly; webgpu runs only on a provider with a WebGPU adapter and is verified within a bound (the quote states it)',
    ),
  budgetAic: aicAmount.describe('fixed price paid to the provider(s), protocol fee on top'),
  verifierFeeAic: aicAmount.default('1'),
  confidence: z.number().min(0.5).max(0.999999).default(DEFAULT_PRESET.verification.confidence),
  minHwClass: z.number().int().min(0).max(4).default(0),
  hardware: hardwareRequirementSchema
    .omit({ spread: true })
    .optional()
    .describe(
      'exact hardware needs: gpus (fraction or count on one machine), gpuModels, minGpuMemoryGiB, cpuCores, memoryGiB, backend',
    ),
  deadlineSec: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(3_600),
});
export type JobSubmitBody = z.input<typeof jobSubmitBodySchema>;

export const jobQuoteSchema = z.object({
  totalWei: weiStringSchema,
  providerWei: weiStringSchema,
  protocolFeeWei: weiStringSchema,
  datasetFeeWei: weiStringSchema,
  modelFeeWei: weiStringSchema,
  verifierFeeWei: weiStringSchema,
  segments: z.number().int(),
  totalSteps: z.number().int(),
  samples: z.number().int().describe('segments the verifier re-runs'),
  pDetect: z.number().describe('probability a provider faking 10 % of segments is caught'),
  overhead: z.number().describe('verification compute / job compute'),
  verification: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('exact') }),
      z.object({
        mode: z.literal('tolerant'),
        maxRelativeL2: z.number().describe('a re-run segment is accepted within this relative L2 distance'),
        verifyBackends: z.array(z.enum(['cpu', 'wasm', 'webgpu'])).describe('backends a verifier re-runs it on'),
      }),
    ])
    .describe('exact (cpu, wasm) or tolerant (webgpu) verification, with its bound'),
});

export const jobSubmittedSchema = z.object({ jobId: idText, escrowWei: weiStringSchema, quote: jobQuoteSchema });

export const jobIdQuerySchema = z.object({ jobId: idText });

export const jobStatusSchema = z.object({
  jobId: idText,
  state: z.string(),
  provider: z.string(),
  verifier: z.string(),
  resumeFrom: z.number().int(),
  checkpointCount: z.number().int(),
  step: z.number().int().optional(),
  totalSteps: z.number().int().optional(),
  loss: z.number().optional(),
  accuracy: z.number().optional(),
  commitments: z.number().int(),
  trainedAssetId: idText.optional(),
  resultPath: z.string().optional(),
  resultCid: z.string().optional(),
  /** Set when the job settled but its result could not be fetched or minted (after retries). */
  resultError: z.string().optional(),
  retries: z.number().int().min(0).optional().describe('transient failures the requester node retried for this job'),
  redraws: z.number().int().min(0).optional().describe('verifiers redrawn after staying silent past the verify window'),
  lastProgressAtMs: z.number().optional().describe('last time anything happened to the job (progress, chain event)'),
  stalledSinceMs: z
    .number()
    .optional()
    .describe('set while the job is open and nothing happened for 60 s: the last progress time'),
  group: z
    .object({
      members: z.array(z.string()).describe('MSMG: the provider of each rank (rank 0 the lead, the job provider)'),
      paid: z
        .array(z.object({ account: z.string(), wei: z.string(), tx: z.string().optional() }))
        .optional()
        .describe("each member's share, paid by the lead after settlement"),
    })
    .optional()
    .describe('MSMG: the group the coordinator placed, as its lead reports it'),
});

export const jobLogsSchema = z.object({
  lines: z.array(
    z.object({
      atMs: z.number(),
      step: z.number().int(),
      totalSteps: z.number().int(),
      loss: z.number().optional(),
      accuracy: z.number().optional(),
      provider: z.string(),
      checkpoint: z.number().int().optional(),
    }),
  ),
});
