/** ComputeMarket actions for requesters: quote, create + escrow in one transaction, read a job with its state name. */
import type { Hex } from 'viem';
import { computeMarketAbi } from '../artifacts/index.ts';
import { eventsOf, type LedgerBase } from '../client.ts';
import { toLedgerError } from '../errors.ts';
import { jobStateName } from '../types.ts';
import type { PermitSigner } from './permit.ts';

export interface JobRequestInput {
  datasetId: number;
  modelId: number;
  providerBudgetWei: bigint;
  verifierFeeWei: bigint;
  minHwClass: number;
  checkpointCount: number;
  deadline: number;
  specHash: Hex;
}

/** The ABI argument of ComputeMarket.createJob / createAndFundJob / quote for a request. */
export function jobRequestToArgs(input: JobRequestInput) {
  return {
    datasetId: input.datasetId,
    modelId: input.modelId,
    providerBudget: input.providerBudgetWei,
    verifierFee: input.verifierFeeWei,
    minHwClass: input.minHwClass,
    checkpointCount: input.checkpointCount,
    deadline: input.deadline,
    specHash: input.specHash,
  };
}

export function createJobActions(base: LedgerBase, signPermit: PermitSigner) {
  async function quoteJob(input: JobRequestInput) {
    const [totalWei, protocolFeeWei, datasetFeeWei, modelFeeWei] = await base.market.read.quote([
      jobRequestToArgs(input),
    ]);
    return { totalWei, protocolFeeWei, datasetFeeWei, modelFeeWei, verifierFeeWei: input.verifierFeeWei };
  }

  return {
    /** What a job would escrow now, part by part. */
    quoteJob,

    /** Creates and escrows a job in one transaction (permit-signed payment); returns its id and escrow. */
    async createAndFundJob(input: JobRequestInput): Promise<{ jobId: bigint; escrowWei: bigint }> {
      const quote = await quoteJob(input);
      const permit = await signPermit(base.market.address, quote.totalWei);
      const receipt = await base.confirm('ComputeMarket.createAndFundJob', () =>
        base.market.write.createAndFundJob([jobRequestToArgs(input), permit]),
      );
      const [created] = eventsOf(receipt, base.market.address, computeMarketAbi, 'JobCreated');
      if (!created) throw toLedgerError(new Error('no JobCreated event'), 'ComputeMarket.createAndFundJob');
      return { jobId: created.args.jobId, escrowWei: created.args.escrow };
    },

    /** A job's on-chain record with its state as a name. */
    async getJob(jobId: bigint) {
      const job = await base.market.read.jobOf([jobId]);
      return { ...job, stateName: jobStateName(job.state) };
    },
  };
}
