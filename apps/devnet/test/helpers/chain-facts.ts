/**
 * Facts about jobs read straight from the chain's events with viem (not through the rating engine or the devnet's
 * own reporting), so tests can compare what the devnet did and posted with an independent computation.
 */
import type { LedgerClient } from '@aic/ledger';

export interface SettledJob {
  jobId: bigint;
  requester: string;
  datasetId: bigint;
  modelId: bigint;
  escrowWei: bigint;
  providerPaid: bigint;
  protocolFee: bigint;
  datasetFee: bigint;
  modelFee: bigint;
  verifierFee: bigint;
  refund: bigint;
}

/** Every settled job up to `toBlock`, joined with its JobCreated and JobEscrowed events. */
export async function settledJobs(ledger: LedgerClient, toBlock?: bigint): Promise<SettledJob[]> {
  const range = { fromBlock: 0n, ...(toBlock === undefined ? {} : { toBlock }) };
  const events = (eventName: 'JobCreated' | 'JobEscrowed' | 'JobSettled') =>
    ledger.publicClient.getContractEvents({
      address: ledger.deployment.contracts.ComputeMarket,
      abi: ledger.market.abi,
      eventName,
      ...range,
    });
  const [created, escrowed, settled] = await Promise.all([
    events('JobCreated'),
    events('JobEscrowed'),
    events('JobSettled'),
  ]);
  return settled.map((s) => {
    const a = s.args as Record<string, bigint>;
    const c = created.find((e) => (e.args as { jobId: bigint }).jobId === a.jobId)?.args as Record<string, unknown>;
    const escrowWei = escrowed
      .filter((e) => (e.args as { jobId: bigint }).jobId === a.jobId)
      .reduce((sum, e) => sum + (e.args as { amount: bigint }).amount, 0n);
    return {
      jobId: a.jobId!,
      requester: String(c.requester).toLowerCase(),
      datasetId: BigInt(c.datasetId as number),
      modelId: BigInt(c.modelId as number),
      escrowWei,
      providerPaid: a.providerPaid!,
      protocolFee: a.protocolFee!,
      datasetFee: a.datasetFee!,
      modelFee: a.modelFee!,
      verifierFee: a.verifierFee!,
      refund: a.refund!,
    };
  });
}

/** Dataset and model fees paid per asset by requesters other than the asset's owner, with the owner. */
export async function assetUsage(
  ledger: LedgerClient,
  jobs: readonly SettledJob[],
): Promise<Map<bigint, { owner: string; usageWei: bigint }>> {
  const usage = new Map<bigint, { owner: string; usageWei: bigint }>();
  for (const job of jobs) {
    for (const [assetId, fee] of [
      [job.datasetId, job.datasetFee],
      [job.modelId, job.modelFee],
    ] as const) {
      if (assetId === 0n) continue;
      const owner = (await ledger.registry.read.ownerOf([assetId])).toLowerCase();
      if (owner === job.requester) continue;
      const entry = usage.get(assetId) ?? { owner, usageWei: 0n };
      entry.usageWei += fee;
      usage.set(assetId, entry);
    }
  }
  return usage;
}
