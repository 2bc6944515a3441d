import { computeMarketAbi } from '@aic/ledger';
import { createDevClients } from '@aic/ledger/devchain';
import type { JobNetwork } from '../../src/job-network.ts';

/** Reads one job's ComputeMarket events from the job network's chain, e.g. `await events('JobPreempted')`. */
export function jobEvents(net: JobNetwork, jobId: bigint) {
  const { publicClient } = createDevClients(net.chain, net.dev.deployment);
  const where = { address: net.dev.deployment.contracts.ComputeMarket, abi: computeMarketAbi, fromBlock: 0n } as const;
  return {
    preempted: () => publicClient.getContractEvents({ ...where, args: { jobId }, eventName: 'JobPreempted' }),
    reassigned: () => publicClient.getContractEvents({ ...where, args: { jobId }, eventName: 'JobReassigned' }),
    committed: () => publicClient.getContractEvents({ ...where, args: { jobId }, eventName: 'ResultCommitted' }),
    settled: () => publicClient.getContractEvents({ ...where, args: { jobId }, eventName: 'JobSettled' }),
    verdicts: () => publicClient.getContractEvents({ ...where, args: { jobId }, eventName: 'VerdictSubmitted' }),
    resolved: () => publicClient.getContractEvents({ ...where, args: { jobId }, eventName: 'DisputeResolved' }),
    slashed: () => publicClient.getContractEvents({ ...where, args: { jobId }, eventName: 'ProviderSlashed' }),
    redrawn: () => publicClient.getContractEvents({ ...where, args: { jobId }, eventName: 'VerifierRedrawn' }),
    penalized: () => publicClient.getContractEvents({ ...where, args: { jobId }, eventName: 'VerifierPenalized' }),
  };
}
