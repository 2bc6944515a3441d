/**
 * PLAZA's "rating" columns, read from chain events only (nothing estimated): an asset's uses sold and paid for on
 * PLAZA, the jobs that used it, its owner's Proof-of-Value score; a provider's track record in ComputeMarket (jobs
 * assigned, settled, slashed, preempted). One page's events are read once per request (from block 0: the chains this
 * node reads are devnets and young testnets; an indexer replaces this when history grows).
 */
import type { LedgerClient } from '@aic/ledger';
import type { AssetStanding } from '../api/plaza-schemas.ts';

type StandingLedger = Pick<LedgerClient, 'plaza' | 'market' | 'rewards'>;

/** The standing of each of `tokenIds` (owners alongside) from PLAZA's, ComputeMarket's and RewardsPool's events. */
export async function readAssetStandings(
  ledger: StandingLedger,
  assets: readonly { tokenId: bigint; owner: `0x${string}` }[],
): Promise<Map<string, AssetStanding>> {
  const out = new Map<string, AssetStanding>();
  if (assets.length === 0) return out;
  const [bought, created, scores] = await Promise.all([
    ledger.plaza.getEvents.UsesBought({ tokenId: assets.map((a) => a.tokenId) }, { fromBlock: 0n }),
    ledger.market.getEvents.JobCreated({}, { fromBlock: 0n }),
    ledger.rewards.getEvents.ScoreRecorded(
      { contributor: [...new Set(assets.map((a) => a.owner))] },
      { fromBlock: 0n },
    ),
  ]);
  for (const { tokenId, owner } of assets) {
    let usesSold = 0n;
    let usesPaid = 0n;
    for (const e of bought) {
      if (e.args.tokenId !== tokenId) continue;
      usesSold += e.args.uses ?? 0n;
      usesPaid += e.args.paid ?? 0n;
    }
    const jobsUsing = created.filter(
      (e) => BigInt(e.args.datasetId ?? 0) === tokenId || BigInt(e.args.modelId ?? 0) === tokenId,
    ).length;
    const ownerScores = scores.filter((e) => e.args.contributor?.toLowerCase() === owner.toLowerCase());
    const ownerPovScore = ownerScores.reduce((sum, e) => sum + (e.args.score ?? 0n), 0n);
    out.set(tokenId.toString(), {
      usesSold: Number(usesSold),
      usesPaidWei: usesPaid.toString(),
      jobsUsing,
      ownerPovScore: ownerPovScore.toString(),
      ownerPovEpochs: new Set(ownerScores.map((e) => e.args.epoch)).size,
    });
  }
  return out;
}

export interface ProviderRecord {
  jobsAssigned: number;
  jobsSettled: number;
  jobsSlashed: number;
  jobsPreempted: number;
}

/**
 * Each provider's track record: jobs assigned to it (first assignment or reassignment), settled while it was the
 * last one assigned, slashed (ProviderSlashed names it), preempted from it (JobPreempted names it).
 */
export async function readProviderRecords(
  ledger: Pick<LedgerClient, 'market'>,
  addresses: readonly `0x${string}`[],
): Promise<Map<string, ProviderRecord>> {
  const out = new Map<string, ProviderRecord>();
  if (addresses.length === 0) return out;
  const filter = { provider: [...addresses] };
  const [assigned, reassigned, slashed, preempted, settled] = await Promise.all([
    ledger.market.getEvents.JobAssigned(filter, { fromBlock: 0n }),
    ledger.market.getEvents.JobReassigned(filter, { fromBlock: 0n }),
    ledger.market.getEvents.ProviderSlashed(filter, { fromBlock: 0n }),
    ledger.market.getEvents.JobPreempted(filter, { fromBlock: 0n }),
    ledger.market.getEvents.JobSettled({}, { fromBlock: 0n }),
  ]);
  // the provider that held each job last (events come in chain order)
  const lastProvider = new Map<bigint, string>();
  for (const e of [...assigned, ...reassigned].sort(byChainOrder)) {
    if (e.args.jobId !== undefined && e.args.provider !== undefined) {
      lastProvider.set(e.args.jobId, e.args.provider.toLowerCase());
    }
  }
  const settledJobs = new Set(settled.map((e) => e.args.jobId));
  for (const address of addresses) {
    const a = address.toLowerCase();
    const mine = (e: { args: { provider?: `0x${string}` | undefined } }) => e.args.provider?.toLowerCase() === a;
    out.set(a, {
      jobsAssigned: new Set([...assigned, ...reassigned].filter(mine).map((e) => e.args.jobId)).size,
      jobsSettled: [...lastProvider].filter(([jobId, p]) => p === a && settledJobs.has(jobId)).length,
      jobsSlashed: slashed.filter(mine).length,
      jobsPreempted: preempted.filter(mine).length,
    });
  }
  return out;
}

function byChainOrder(
  x: { blockNumber: bigint | null; logIndex: number | null },
  y: { blockNumber: bigint | null; logIndex: number | null },
): number {
  const bx = x.blockNumber ?? 0n;
  const by = y.blockNumber ?? 0n;
  if (bx !== by) return bx < by ? -1 : 1;
  return (x.logIndex ?? 0) - (y.logIndex ?? 0);
}
