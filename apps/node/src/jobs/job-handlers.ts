/** The job endpoints' behaviour over the node's RequesterAgent. */
import { AicError, aicToWei } from '@aic/core';
import type { JobQuote, JobSubmission, RequesterAgent } from '@aic/gpu-vessel';
import type { z } from 'zod';
import type { ApiHandlers } from '../api/routes.ts';
import type { JobSubmitBody, jobSubmitBodySchema } from './job-schemas.ts';
import type { JobServices } from './job-services.ts';
import { VERIFICATION_POLICY } from './job-services.ts';

type JobHandlers = Pick<ApiHandlers, 'quoteJob' | 'submitJob' | 'jobStatus' | 'jobLogs'>;

function requester(jobs: JobServices | undefined): RequesterAgent {
  if (!jobs)
    throw new AicError('LEDGER_UNAVAILABLE', 'no chain configured: start the node with --rpc-url and --deployment');
  return jobs.requester;
}

type Body = z.output<typeof jobSubmitBodySchema>;

/** A job asking for N > 1 workers (or naming M) is sharded: M microbatches per step, at least N. */
function shardingOf(body: Body): { microbatches?: number } {
  const microbatches = body.microbatches ?? (body.workers > 1 ? body.workers : undefined);
  if (microbatches === undefined) return {};
  if (microbatches < body.workers) {
    throw new AicError('JOB_REQUEST_INVALID', `${body.workers} workers need at least as many microbatches`, {
      details: { workers: body.workers, microbatches },
    });
  }
  return { microbatches };
}

/** No hard RTT bound on a group unless asked: the allocator already prefers the closest machines. */
const GROUP_MAX_RTT_MS = 1_000_000;

/** MSMG (issue 16): N > 1 workers are N providers' machines, placed as one group by the coordinator (the ticket's
 * `hardware.spread`); a job whose workers all fit nowhere is refused before escrow (ALLOCATOR_REQUIREMENT_UNSATISFIABLE). */
function hardwareOf(body: Body): JobSubmission['hardware'] | undefined {
  if (body.workers <= 1) return body.hardware;
  return { ...body.hardware, spread: { machines: body.workers, maxRttMs: GROUP_MAX_RTT_MS } };
}

export function submissionOf(body: Body): JobSubmission {
  const named = { epochs: body.epochs, batchSize: body.batchSize, learningRate: body.learningRate };
  const hyperparameters = {
    ...body.hyperparameters,
    ...Object.fromEntries(Object.entries(named).filter(([, v]) => v !== undefined)),
  } as Record<string, number | string | boolean>;
  // The Model NFT's manifest trains on the Dataset NFT (the requester resolves both by id: issue 12, one path).
  return {
    spec: {
      backend: body.backend,
      seed: body.seed,
      commitEverySteps: body.commitEverySteps,
      hyperparameters,
      ...shardingOf(body),
    },
    ...(body.idempotencyKey === undefined ? {} : { idempotencyKey: body.idempotencyKey }),
    datasetId: BigInt(body.datasetId),
    modelId: BigInt(body.modelId),
    providerBudgetWei: aicToWei(body.budgetAic),
    verifierFeeWei: aicToWei(body.verifierFeeAic),
    minHwClass: body.minHwClass,
    ...(body.hardware || body.workers > 1
      ? { hardware: hardwareOf(body) as NonNullable<JobSubmission['hardware']> }
      : {}),
    deadlineSec: body.deadlineSec,
    confidence: body.confidence,
    cheatFraction: VERIFICATION_POLICY.cheatFraction,
  };
}

export const quoteJson = (q: JobQuote) => ({
  ...q,
  totalWei: String(q.totalWei),
  providerWei: String(q.providerWei),
  protocolFeeWei: String(q.protocolFeeWei),
  datasetFeeWei: String(q.datasetFeeWei),
  modelFeeWei: String(q.modelFeeWei),
  verifierFeeWei: String(q.verifierFeeWei),
});

export function createJobHandlers(jobs: JobServices | undefined): JobHandlers {
  return {
    quoteJob: async ({ body }) => quoteJson(await requester(jobs).quote(submissionOf(body))),
    submitJob: async ({ body }) => {
      const { jobId, escrowWei, quote } = await requester(jobs).submit(submissionOf(body));
      return { jobId: String(jobId), escrowWei: String(escrowWei), quote: quoteJson(quote) };
    },
    jobStatus: async ({ query }) => {
      const s = await requester(jobs).status(BigInt(query.jobId));
      const group = /^0x0{40}$/i.test(s.provider) ? undefined : await jobs?.groupOf(s.jobId, s.provider);
      return {
        jobId: String(s.jobId),
        state: s.state,
        provider: s.provider,
        verifier: s.verifier,
        resumeFrom: s.resumeFrom,
        checkpointCount: s.checkpointCount,
        commitments: s.commitments,
        ...(s.step === undefined ? {} : { step: s.step }),
        ...(s.totalSteps === undefined ? {} : { totalSteps: s.totalSteps }),
        ...(s.loss === undefined ? {} : { loss: s.loss }),
        ...(s.accuracy === undefined ? {} : { accuracy: s.accuracy }),
        ...(s.resultError === undefined ? {} : { resultError: s.resultError }),
        retries: s.retries,
        redraws: s.redraws,
        ...(s.lastProgressAtMs === undefined ? {} : { lastProgressAtMs: s.lastProgressAtMs }),
        ...(s.stalledSinceMs === undefined ? {} : { stalledSinceMs: s.stalledSinceMs }),
        ...(s.outcome
          ? {
              trainedAssetId: String(s.outcome.trainedAssetId),
              resultPath: s.outcome.resultPath,
              resultCid: s.outcome.resultCid,
            }
          : {}),
        ...(group ? { group: { members: [...group.members], ...(group.paid ? { paid: [...group.paid] } : {}) } } : {}),
      };
    },
    jobLogs: async ({ query }) => ({ lines: await requester(jobs).logs(BigInt(query.jobId)) }),
  };
}

export type { JobSubmitBody };
