/**
 * Chain events → rating events (pure). The input is the decoded log stream of the AIC contracts (the ledger client's
 * `fetchLedgerLogs`), so anyone holding the chain recomputes exactly the scores the rater posted.
 * Resources: `gpu:<provider>`, `storage:<provider>` and `asset:<tokenId>`. An asset's score goes to its owner at the
 * scored event (AssetMinted, then each ERC-721 Transfer), the same account its fees were paid to.
 */
import type { RatingEvent, ResourceKind } from '../types.ts';

/** The shape of one decoded ledger log (structurally the ledger's LedgerLog, kept here so the engine stays leaf-level). */
export interface ChainLog {
  readonly contract: string;
  readonly eventName: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly blockNumber: bigint;
  readonly logIndex: number;
  readonly timestamp: bigint;
}

/** RewardsPool's epoch schedule. */
export interface EpochSchedule {
  readonly genesis: bigint;
  readonly epochDurationSec: bigint;
}

const ZERO = '0x0000000000000000000000000000000000000000';

export function ratingEventsFromLogs(logs: readonly ChainLog[], schedule: EpochSchedule): RatingEvent[] {
  const jobs = new Map<string, { requester: string; datasetId: bigint; modelId: bigint; provider?: string }>();
  const deals = new Map<string, { client: string; provider?: string }>();
  const out: RatingEvent[] = [];
  for (const log of logs) {
    const at = {
      epoch: Number((log.timestamp - schedule.genesis) / schedule.epochDurationSec),
      block: Number(log.blockNumber),
      logIndex: log.logIndex,
    };
    const a = log.args;
    const addr = (k: string) => String(a[k]).toLowerCase();
    const big = (k: string) => BigInt(a[k] as bigint | number);
    const key = (k: string) => String(a[k]);
    const push = (e: DistributiveOmit<RatingEvent, 'epoch' | 'block' | 'logIndex'>) =>
      out.push({ ...at, ...e } as RatingEvent);
    switch (`${log.contract}.${log.eventName}`) {
      case 'AssetRegistry.AssetMinted':
        push({
          type: 'ResourceRegistered',
          resource: `asset:${key('tokenId')}`,
          kind: assetKind(Number(a.kind)),
          owner: addr('owner'),
        });
        break;
      case 'AssetRegistry.Transfer':
        // The mint's own Transfer (from zero) is AssetMinted's; every later one, a PLAZA sale included, moves the
        // asset's score to its new owner from here on, as its fees move.
        if (addr('from') !== ZERO) {
          push({ type: 'OwnershipTransferred', resource: `asset:${key('tokenId')}`, owner: addr('to') });
        }
        break;
      case 'ComputeMarket.ProviderRegistered':
        push({ type: 'ResourceRegistered', resource: `gpu:${addr('provider')}`, kind: 'gpu', owner: addr('provider') });
        push({ type: 'StakeSet', account: addr('provider'), stakeWei: big('stake') });
        break;
      case 'ComputeMarket.JobCreated':
        jobs.set(key('jobId'), { requester: addr('requester'), datasetId: big('datasetId'), modelId: big('modelId') });
        break;
      case 'ComputeMarket.JobAssigned':
      case 'ComputeMarket.JobReassigned': {
        const job = jobs.get(key('jobId'));
        if (job) job.provider = addr('provider');
        break;
      }
      case 'ComputeMarket.JobSettled': {
        const job = jobs.get(key('jobId'));
        if (!job?.provider) break;
        const gpu = `gpu:${job.provider}`;
        push({ type: 'UsagePaid', resource: gpu, payer: job.requester, amountWei: big('providerPaid') });
        push({ type: 'WorkVerified', resource: gpu, payer: job.requester, units: 1n });
        push({ type: 'JobOutcome', resource: gpu, completed: true });
        if (job.datasetId !== 0n)
          push({
            type: 'UsagePaid',
            resource: `asset:${job.datasetId}`,
            payer: job.requester,
            amountWei: big('datasetFee'),
          });
        if (job.modelId !== 0n)
          push({
            type: 'UsagePaid',
            resource: `asset:${job.modelId}`,
            payer: job.requester,
            amountWei: big('modelFee'),
          });
        break;
      }
      case 'ComputeMarket.JobPreempted': {
        const job = jobs.get(key('jobId'));
        const gpu = `gpu:${addr('provider')}`;
        if (job) push({ type: 'UsagePaid', resource: gpu, payer: job.requester, amountWei: big('paid') });
        push({ type: 'JobOutcome', resource: gpu, completed: false }); // an honest fault: reliability only
        break;
      }
      case 'ComputeMarket.JobExpired': {
        const job = jobs.get(key('jobId'));
        if (job?.provider) push({ type: 'JobOutcome', resource: `gpu:${job.provider}`, completed: false });
        break;
      }
      case 'ComputeMarket.ProviderSlashed':
        push({ type: 'FraudProven', resource: `gpu:${addr('provider')}`, slashedWei: big('amount') });
        break;
      case 'Plaza.UsesBought':
        push({ type: 'UsagePaid', resource: `asset:${key('tokenId')}`, payer: addr('buyer'), amountWei: big('paid') });
        break;
      case 'Plaza.AccessBought':
        push({ type: 'UsagePaid', resource: `asset:${key('tokenId')}`, payer: addr('buyer'), amountWei: big('paid') });
        break;
      case 'Plaza.Rented':
        push({ type: 'UsagePaid', resource: `asset:${key('tokenId')}`, payer: addr('renter'), amountWei: big('paid') });
        break;
      case 'Plaza.UsesConsumed':
        push({ type: 'WorkVerified', resource: `asset:${key('tokenId')}`, payer: addr('user'), units: big('uses') });
        break;
      case 'StorageMarket.DealProposed':
        deals.set(key('dealId'), { client: addr('client') });
        break;
      case 'StorageMarket.DealAccepted': {
        const deal = deals.get(key('dealId'));
        if (deal) deal.provider = addr('provider');
        push({
          type: 'ResourceRegistered',
          resource: `storage:${addr('provider')}`,
          kind: 'storage',
          owner: addr('provider'),
        });
        break;
      }
      case 'StorageMarket.StoragePaid': {
        const deal = deals.get(key('dealId'));
        if (deal?.provider)
          push({
            type: 'UsagePaid',
            resource: `storage:${deal.provider}`,
            payer: deal.client,
            amountWei: big('amount'),
          });
        break;
      }
      case 'StorageMarket.ChallengeAnswered': {
        const deal = deals.get(key('dealId'));
        if (deal?.provider)
          push({ type: 'WorkVerified', resource: `storage:${deal.provider}`, payer: deal.client, units: 1n });
        break;
      }
      case 'StorageMarket.DealFailed':
        push({ type: 'FraudProven', resource: `storage:${addr('provider')}`, slashedWei: big('slashed') });
        break;
      case 'RewardsPool.Rated': {
        // A consumer's rating (0..100); the engine counts it only if that rater paid the resource in the epoch.
        const resource = ratedResource(Number(a.kind), big('id'));
        if (resource) push({ type: 'Rated', resource, rater: addr('rater'), rating: Number(a.rating) });
        break;
      }
      case 'RewardsPool.RaterStaked':
      case 'RewardsPool.RaterUnstaked':
        // A rater's stake weighs its ratings in the stake-weighted median.
        push({ type: 'StakeSet', account: addr('rater'), stakeWei: big('stake') });
        break;
      case 'AICToken.Transfer':
        if (addr('from') !== ZERO && addr('to') !== ZERO) {
          push({ type: 'Funded', from: addr('from'), to: addr('to'), amountWei: big('value') });
        }
        break;
      default:
        break;
    }
  }
  return out;
}

/** RewardsPool.rate's (kind, id): 0 = asset token id, 1 = GPU provider, 2 = storage provider (address as uint). */
function ratedResource(kind: number, id: bigint): string | undefined {
  const address = () => `0x${id.toString(16).padStart(40, '0')}`;
  if (kind === 0) return `asset:${id}`;
  if (kind === 1 && id < 1n << 160n) return `gpu:${address()}`;
  if (kind === 2 && id < 1n << 160n) return `storage:${address()}`;
  return undefined;
}

function assetKind(kind: number): ResourceKind {
  return kind <= 1 ? 'dataset' : 'model'; // Data, Dataset → dataset; Model, TrainedAI → model
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
