/**
 * One account's earnings from the chain's events (pure): what it was paid for compute (provider payments, preemption
 * pay), verification (verifier fees), its datasets and models (job usage fees, PLAZA uses, access, rentals and sales,
 * and lineage shares through Payroll), storage (StorageMarket epoch payments) and Proof-of-Value claims; plus what it
 * does in each Vessel (jobs, assets, deals) for the dashboards. Every amount follows the contracts' own crediting:
 * a job's usage fee accrues to its asset at settlement and is the owner's then (claimable, paid to it by
 * ComputeMarket.claimAssetFees), except an asset whose claims split through Payroll (lineage): its income is the
 * IncomeCredited of the claim (or of the payment, for PLAZA); a PLAZA payment is the AIC transfer from Plaza to the owner in the same transaction (the fee stays out).
 */
import type { ChainEvent } from './chain-events.ts';
import { ASSET_KIND_NAMES, type AssetKindName, JOB_STATE_AFTER, lower, text, wei } from './chain-facts.ts';

export const INCOME_SOURCES = ['compute', 'verification', 'data', 'model', 'storage', 'rewards'] as const;
export type IncomeSource = (typeof INCOME_SOURCES)[number];

export interface IncomeItem {
  source: IncomeSource;
  amountWei: bigint;
  block: number;
  time: number;
  tx: string;
  /** What paid it, in words (e.g. "job #3 provider payment", "uses of #1 on PLAZA"). */
  what: string;
}

export interface GpuJob {
  jobId: string;
  role: 'provider' | 'verifier' | 'requester';
  state: string;
  paidWei: bigint;
  lastBlock: number;
}

export interface AssetIncome {
  tokenId: string;
  kind: AssetKindName;
  ownedNow: boolean;
  usesSold: bigint;
  usesConsumed: bigint;
  jobs: number;
  incomeWei: bigint;
}

export interface StorageDeal {
  dealId: string;
  client: string;
  sizeBytes: bigint;
  state: 'Accepted' | 'Completed' | 'Failed';
  challengesAnswered: number;
  incomeWei: bigint;
}

export interface AccountEarnings {
  address: string;
  totals: Record<IncomeSource, bigint>;
  totalWei: bigint;
  /** Oldest first. */
  items: IncomeItem[];
  gpu: { registered: boolean; hwClass: number | null; stakeWei: bigint; slashedWei: bigint; jobs: GpuJob[] };
  assets: AssetIncome[];
  storage: { deals: StorageDeal[]; challengesAnswered: number; slashedWei: bigint };
}

const emptyTotals = (): Record<IncomeSource, bigint> =>
  Object.fromEntries(INCOME_SOURCES.map((s) => [s, 0n])) as Record<IncomeSource, bigint>;

const isDataKind = (kind: AssetKindName) => kind === 'Data' || kind === 'Dataset';

/** `plaza`: the Plaza contract's address (its AIC transfers to an owner are that owner's PLAZA income). */
export function accountEarnings(events: readonly ChainEvent[], address: string, plaza: string): AccountEarnings {
  const me = address.toLowerCase();
  const plazaAddress = plaza.toLowerCase();
  const owners = new Map<string, { owner: string; kind: AssetKindName }>();
  const jobs = new Map<
    string,
    { requester: string; datasetId: string; modelId: string; provider?: string; verifier?: string; state: string }
  >();
  const deals = new Map<string, { client: string; sizeBytes: bigint; provider?: string }>();
  const viaPayroll = new Set<string>();
  const claims = new Set<string>(); // `${tx}:${assetId}` of ComputeMarket.AssetFeesClaimed
  const fromPlaza = new Map<string, bigint>(); // `${tx}:${to}` → AIC Plaza transferred to `to` in that tx
  // Accounts whose first AIC came from this one: a node pays each job from such a fresh account (issue 15), so a
  // job one of them escrows is this account's own (the chain link the rating engine also follows).
  const firstFunder = new Map<string, string>();
  for (const e of events) {
    if (e.contract === 'Payroll' && e.event === 'IncomePaid') viaPayroll.add(`${e.tx}:${text(e, 'assetId')}`);
    if (e.contract === 'ComputeMarket' && e.event === 'AssetFeesClaimed') claims.add(`${e.tx}:${text(e, 'assetId')}`);
    if (e.contract === 'AICToken' && e.event === 'Transfer' && !firstFunder.has(lower(e, 'to'))) {
      firstFunder.set(lower(e, 'to'), lower(e, 'from'));
    }
    if (e.contract === 'AICToken' && e.event === 'Transfer' && lower(e, 'from') === plazaAddress) {
      const key = `${e.tx}:${lower(e, 'to')}`;
      fromPlaza.set(key, (fromPlaza.get(key) ?? 0n) + wei(e, 'value'));
    }
  }

  // Assets whose accrued job fees were claimed through Payroll: lineage (fixed at mint), so their job fees count from
  // the Payroll split of the claim, not at settlement (before their first claim they count as the owner's).
  const splitAssets = new Set([...claims].filter((key) => viaPayroll.has(key)).map((key) => key.split(':')[1]!));
  const totals = emptyTotals();
  const items: IncomeItem[] = [];
  const gpuJobs = new Map<string, GpuJob>();
  const myAssets = new Map<string, AssetIncome>();
  const myDeals = new Map<string, StorageDeal>();
  const gpu = { registered: false, hwClass: null as number | null, stakeWei: 0n, slashedWei: 0n };
  let storageSlashed = 0n;

  const earn = (e: ChainEvent, source: IncomeSource, amountWei: bigint, what: string) => {
    if (amountWei <= 0n) return;
    totals[source] += amountWei;
    items.push({ source, amountWei, block: e.block, time: e.time, tx: e.tx, what });
  };
  const assetRow = (tokenId: string): AssetIncome => {
    let row = myAssets.get(tokenId);
    if (row === undefined) {
      row = {
        tokenId,
        kind: owners.get(tokenId)?.kind ?? 'Data',
        ownedNow: false,
        usesSold: 0n,
        usesConsumed: 0n,
        jobs: 0,
        incomeWei: 0n,
      };
      myAssets.set(tokenId, row);
    }
    return row;
  };
  const jobRow = (jobId: string, role: GpuJob['role']): GpuJob => {
    const key = `${jobId}:${role}`;
    let row = gpuJobs.get(key);
    if (row === undefined) {
      row = { jobId, role, state: jobs.get(jobId)?.state ?? 'Created', paidWei: 0n, lastBlock: 0 };
      gpuJobs.set(key, row);
    }
    return row;
  };
  /** A usage fee for an asset: to its owner now, unless Payroll split it (then IncomeCredited says who got what). */
  const assetFee = (e: ChainEvent, tokenId: string, amountWei: bigint, what: string) => {
    if (tokenId === '0' || amountWei === 0n || viaPayroll.has(`${e.tx}:${tokenId}`) || splitAssets.has(tokenId)) return;
    const asset = owners.get(tokenId);
    if (asset?.owner !== me) return;
    earn(e, isDataKind(asset.kind) ? 'data' : 'model', amountWei, what);
    assetRow(tokenId).incomeWei += amountWei;
  };

  for (const e of events) {
    const name = `${e.contract}.${e.event}`;
    switch (name) {
      case 'AssetRegistry.AssetMinted': {
        const kind = ASSET_KIND_NAMES[Number(text(e, 'kind'))] ?? 'Data';
        owners.set(text(e, 'tokenId'), { owner: lower(e, 'owner'), kind });
        if (lower(e, 'owner') === me) assetRow(text(e, 'tokenId'));
        break;
      }
      case 'AssetRegistry.Transfer': {
        const asset = owners.get(text(e, 'tokenId'));
        if (asset !== undefined) asset.owner = lower(e, 'to');
        if (lower(e, 'to') === me) assetRow(text(e, 'tokenId'));
        break;
      }
      case 'ComputeMarket.ProviderRegistered':
        if (lower(e, 'provider') === me) {
          gpu.registered = true;
          gpu.hwClass = Number(text(e, 'hwClass'));
          gpu.stakeWei = wei(e, 'stake');
        }
        break;
      case 'ComputeMarket.StakeAdded':
        if (lower(e, 'provider') === me) gpu.stakeWei += wei(e, 'amount');
        break;
      case 'ComputeMarket.StakeWithdrawn':
        if (lower(e, 'provider') === me) gpu.stakeWei -= wei(e, 'amount');
        break;
      case 'ComputeMarket.ProviderDeregistered':
        if (lower(e, 'provider') === me) gpu.registered = false;
        break;
      case 'ComputeMarket.JobCreated':
        jobs.set(text(e, 'jobId'), {
          requester: lower(e, 'requester'),
          datasetId: text(e, 'datasetId'),
          modelId: text(e, 'modelId'),
          state: 'Created',
        });
        if (lower(e, 'requester') === me || firstFunder.get(lower(e, 'requester')) === me) {
          jobRow(text(e, 'jobId'), 'requester');
        }
        break;
      case 'ComputeMarket.JobSettled': {
        const jobId = text(e, 'jobId');
        const job = jobs.get(jobId);
        if (job === undefined) break;
        if (job.provider === me) {
          earn(e, 'compute', wei(e, 'providerPaid'), `job #${jobId} provider payment`);
          jobRow(jobId, 'provider').paidWei += wei(e, 'providerPaid');
        }
        if (job.verifier === me) {
          earn(e, 'verification', wei(e, 'verifierFee'), `job #${jobId} verifier fee`);
          jobRow(jobId, 'verifier').paidWei += wei(e, 'verifierFee');
        }
        assetFee(e, job.datasetId, wei(e, 'datasetFee'), `job #${jobId} used dataset #${job.datasetId}`);
        assetFee(e, job.modelId, wei(e, 'modelFee'), `job #${jobId} used model #${job.modelId}`);
        for (const id of [job.datasetId, job.modelId]) {
          if (owners.get(id)?.owner === me) assetRow(id).jobs++;
        }
        break;
      }
      case 'ComputeMarket.JobPreempted': {
        const jobId = text(e, 'jobId');
        if (lower(e, 'provider') === me) {
          earn(e, 'compute', wei(e, 'paid'), `job #${jobId} preempted: verified checkpoints paid`);
          jobRow(jobId, 'provider').paidWei += wei(e, 'paid');
        }
        break;
      }
      case 'ComputeMarket.ProviderSlashed':
        if (lower(e, 'provider') === me) gpu.slashedWei += wei(e, 'amount');
        break;
      case 'Payroll.IncomeCredited': {
        if (lower(e, 'beneficiary') !== me) break;
        const tokenId = text(e, 'assetId');
        const kind = owners.get(tokenId)?.kind ?? 'Data';
        earn(e, isDataKind(kind) ? 'data' : 'model', wei(e, 'amount'), `income of #${tokenId} (lineage split)`);
        assetRow(tokenId).incomeWei += wei(e, 'amount');
        break;
      }
      case 'Plaza.UsesBought':
      case 'Plaza.AccessBought':
      case 'Plaza.Rented': {
        const tokenId = text(e, 'tokenId');
        const asset = owners.get(tokenId);
        if (asset?.owner !== me) break;
        const row = assetRow(tokenId);
        if (e.event === 'UsesBought') row.usesSold += wei(e, 'uses');
        if (viaPayroll.has(`${e.tx}:${tokenId}`)) break;
        const paid = fromPlaza.get(`${e.tx}:${me}`) ?? 0n;
        const what =
          e.event === 'UsesBought'
            ? `uses of #${tokenId} on PLAZA`
            : `${e.event === 'Rented' ? 'rental' : 'access'} of #${tokenId}`;
        earn(e, isDataKind(asset.kind) ? 'data' : 'model', paid, what);
        row.incomeWei += paid;
        break;
      }
      case 'Plaza.UsesConsumed': {
        const tokenId = text(e, 'tokenId');
        if (owners.get(tokenId)?.owner === me) assetRow(tokenId).usesConsumed += wei(e, 'uses');
        break;
      }
      case 'Plaza.Sold': {
        if (lower(e, 'seller') !== me) break;
        const tokenId = text(e, 'tokenId');
        const kind = owners.get(tokenId)?.kind ?? 'Data';
        const proceeds = wei(e, 'price') - wei(e, 'royalty') - wei(e, 'fee');
        earn(e, isDataKind(kind) ? 'data' : 'model', proceeds, `sale of #${tokenId}`);
        assetRow(tokenId).incomeWei += proceeds;
        break;
      }
      case 'StorageMarket.DealProposed':
        deals.set(text(e, 'dealId'), { client: lower(e, 'client'), sizeBytes: wei(e, 'sizeBytes') });
        break;
      case 'StorageMarket.DealAccepted': {
        const deal = deals.get(text(e, 'dealId'));
        if (deal === undefined) break;
        deal.provider = lower(e, 'provider');
        if (deal.provider === me) {
          myDeals.set(text(e, 'dealId'), {
            dealId: text(e, 'dealId'),
            client: deal.client,
            sizeBytes: deal.sizeBytes,
            state: 'Accepted',
            challengesAnswered: 0,
            incomeWei: 0n,
          });
        }
        break;
      }
      case 'StorageMarket.StoragePaid': {
        const mine = myDeals.get(text(e, 'dealId'));
        if (mine === undefined) break;
        earn(e, 'storage', wei(e, 'amount'), `deal #${mine.dealId}: ${text(e, 'epochs')} epoch(s) stored`);
        mine.incomeWei += wei(e, 'amount');
        break;
      }
      case 'StorageMarket.ChallengeAnswered': {
        const mine = myDeals.get(text(e, 'dealId'));
        if (mine !== undefined) mine.challengesAnswered++;
        break;
      }
      case 'StorageMarket.DealCompleted': {
        const mine = myDeals.get(text(e, 'dealId'));
        if (mine !== undefined) mine.state = 'Completed';
        break;
      }
      case 'StorageMarket.DealFailed': {
        const mine = myDeals.get(text(e, 'dealId'));
        if (mine !== undefined) mine.state = 'Failed';
        if (lower(e, 'provider') === me) storageSlashed += wei(e, 'slashed');
        break;
      }
      case 'RewardsPool.RewardClaimed':
        if (lower(e, 'contributor') === me) earn(e, 'rewards', wei(e, 'amount'), 'Proof-of-Value rewards claimed');
        break;
      default:
        break;
    }
    // Job parties and states, after the event's own accounting (a settlement pays the verifier of record).
    if (e.contract === 'ComputeMarket' && e.args.jobId !== undefined) {
      const jobId = text(e, 'jobId');
      const job = jobs.get(jobId);
      if (job !== undefined) {
        if (e.event === 'JobAssigned' || e.event === 'JobReassigned') job.provider = lower(e, 'provider');
        if (e.event === 'VerdictSubmitted') job.verifier = lower(e, 'verifier');
        if (e.event === 'DisputeResolved') job.state = e.args.providerCheated === true ? 'Slashed' : 'Verifying';
        job.state = JOB_STATE_AFTER[e.event] ?? job.state;
        if (job.provider === me) jobRow(jobId, 'provider');
        if (job.verifier === me) jobRow(jobId, 'verifier');
        for (const role of ['provider', 'verifier', 'requester'] as const) {
          const row = gpuJobs.get(`${jobId}:${role}`);
          if (row !== undefined) {
            row.state = job.state;
            row.lastBlock = e.block;
          }
        }
      }
    }
  }
  for (const [tokenId, row] of myAssets) {
    // The mint's ERC-721 Transfer precedes AssetMinted in the same transaction: the kind is known only after it.
    row.kind = owners.get(tokenId)?.kind ?? row.kind;
    row.ownedNow = owners.get(tokenId)?.owner === me;
  }
  return {
    address: me,
    totals,
    totalWei: INCOME_SOURCES.reduce((sum, s) => sum + totals[s], 0n),
    items,
    gpu: { ...gpu, jobs: [...gpuJobs.values()].sort((a, b) => b.lastBlock - a.lastBlock) },
    assets: [...myAssets.values()].sort((a, b) => Number(BigInt(b.tokenId) - BigInt(a.tokenId))),
    storage: {
      deals: [...myDeals.values()],
      challengesAnswered: [...myDeals.values()].reduce((n, d) => n + d.challengesAnswered, 0),
      slashedWei: storageSlashed,
    },
  };
}

/** Cumulative earnings per source after each income item (for the earnings-over-time chart). */
export function cumulativeSeries(
  items: readonly IncomeItem[],
): Array<{ time: number; block: number } & Record<IncomeSource, bigint>> {
  const running = emptyTotals();
  return items.map((item) => {
    running[item.source] += item.amountWei;
    return { time: item.time, block: item.block, ...running };
  });
}
