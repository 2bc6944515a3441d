/** What the requester's API takes and answers: a job's submission terms, its quote, its outcome and status. */
import type { HardwareRequirement } from '@aic/allocator';
import type { JobSpec, RuntimeBackend } from '@aic/model-vessel';

export interface JobSubmission {
  /** Backend, seed, hyperparameters, K. The job trains the Model NFT `modelId`'s manifest on the Dataset NFT
   * `datasetId` (a manifest given here is ignored). */
  spec: Omit<JobSpec, 'manifest'> & { manifest?: unknown };
  datasetId: bigint;
  modelId: bigint;
  providerBudgetWei: bigint;
  verifierFeeWei: bigint;
  minHwClass: number;
  /** Exact hardware needs, written into the ticket for the coordinator's allocator (absent: any machine of the class). */
  hardware?: HardwareRequirement;
  deadlineSec: number;
  confidence: number;
  cheatFraction: number;
  /** TrainedAI lineage shares (bps) of the dataset and the model. */
  lineageBps?: { dataset: number; model: number };
  nonce?: string;
  /** A retried submit with the same key (or the same explicit nonce) returns the first job, escrowed once. */
  idempotencyKey?: string;
}

export interface JobQuote {
  totalWei: bigint;
  providerWei: bigint;
  protocolFeeWei: bigint;
  datasetFeeWei: bigint;
  modelFeeWei: bigint;
  verifierFeeWei: bigint;
  segments: number;
  totalSteps: number;
  samples: number;
  pDetect: number;
  overhead: number;
  /** Exact (cpu, wasm: c_{i+1} recomputed bit for bit) or tolerant (webgpu: within the bound, re-run on one of the
   * verification backends). */
  verification: { mode: 'exact' } | { mode: 'tolerant'; maxRelativeL2: number; verifyBackends: RuntimeBackend[] };
}

export interface JobOutcome {
  trainedAssetId: bigint;
  resultPath: string;
  resultCid: string;
}

/** A job is stalled once nothing happened to it (no progress, no chain event) for this long while still open. */
export const STALL_AFTER_MS = 60_000;

export interface JobStatus {
  jobId: bigint;
  state: string;
  provider: `0x${string}`;
  verifier: `0x${string}`;
  resumeFrom: number;
  checkpointCount: number;
  step: number | undefined;
  totalSteps: number | undefined;
  loss: number | undefined;
  accuracy: number | undefined;
  commitments: number;
  outcome: JobOutcome | undefined;
  resultError: string | undefined;
  /** Transient failures this node retried for the job (mirror, settlement, result, redraw). */
  retries: number;
  /** Verifiers redrawn after staying silent past the verify window. */
  redraws: number;
  /** Last time anything happened to the job (progress from its provider, a chain event). */
  lastProgressAtMs: number | undefined;
  /** Set while the job is open and nothing happened for STALL_AFTER_MS: since when. */
  stalledSinceMs: number | undefined;
}
