/**
 * Small pure readings of the event stream shared by the earnings and the Explorer: argument access, asset owners
 * over time, the jobs' parties and states as their events leave them.
 */
import type { ChainEvent } from './chain-events.ts';

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** Asset kinds as the AssetRegistry numbers them (AssetTypes.sol `AssetKind`). */
export const ASSET_KIND_NAMES = ['Data', 'Dataset', 'Model', 'TrainedAI'] as const;
export type AssetKindName = (typeof ASSET_KIND_NAMES)[number];

export const text = (e: ChainEvent, key: string): string => String(e.args[key] ?? '');
export const lower = (e: ChainEvent, key: string): string => text(e, key).toLowerCase();
export const wei = (e: ChainEvent, key: string): bigint => {
  const value = e.args[key];
  return typeof value === 'string' || typeof value === 'number' ? BigInt(value) : 0n;
};
export const eventName = (e: ChainEvent): string => `${e.contract}.${e.event}`;

/** What an event makes of a job (the ComputeMarket's JobState names), when it changes the state. */
export const JOB_STATE_AFTER: Readonly<Record<string, string>> = {
  JobCreated: 'Created',
  JobEscrowed: 'Escrowed',
  JobAssigned: 'Assigned',
  JobReassigned: 'Assigned',
  JobStarted: 'Running',
  ResultCommitted: 'Committed',
  VerdictSubmitted: 'Verifying',
  JobDisputed: 'Disputed',
  ProviderSlashed: 'Slashed',
  JobSettled: 'Settled',
  JobPreempted: 'Preempted',
  JobExpired: 'Expired',
};

export interface JobFacts {
  jobId: string;
  requester: string;
  datasetId: string;
  modelId: string;
  /** The provider currently (or last) assigned. */
  provider?: string;
  /** The verifier whose verdict was last submitted. */
  verifier?: string;
  state: string;
  escrowWei: bigint;
  createdBlock: number;
  lastBlock: number;
  lastTime: number;
  events: ChainEvent[];
}

export interface AssetFacts {
  tokenId: string;
  kind: AssetKindName;
  owner: string;
  mintedBlock: number;
}

export interface ChainFacts {
  jobs: Map<string, JobFacts>;
  assets: Map<string, AssetFacts>;
}

/** Jobs and assets as the whole event stream leaves them (owners follow ERC-721 transfers). */
export function chainFacts(events: readonly ChainEvent[]): ChainFacts {
  const jobs = new Map<string, JobFacts>();
  const assets = new Map<string, AssetFacts>();
  for (const e of events) {
    if (e.contract === 'AssetRegistry') {
      if (e.event === 'AssetMinted') {
        const kind = ASSET_KIND_NAMES[Number(text(e, 'kind'))] ?? 'Data';
        assets.set(text(e, 'tokenId'), {
          tokenId: text(e, 'tokenId'),
          kind,
          owner: lower(e, 'owner'),
          mintedBlock: e.block,
        });
      } else if (e.event === 'Transfer') {
        const asset = assets.get(text(e, 'tokenId'));
        if (asset !== undefined) asset.owner = lower(e, 'to');
      }
      continue;
    }
    if (e.contract !== 'ComputeMarket' || e.args.jobId === undefined) continue;
    const jobId = text(e, 'jobId');
    if (e.event === 'JobCreated') {
      jobs.set(jobId, {
        jobId,
        requester: lower(e, 'requester'),
        datasetId: text(e, 'datasetId'),
        modelId: text(e, 'modelId'),
        state: 'Created',
        escrowWei: wei(e, 'escrow'),
        createdBlock: e.block,
        lastBlock: e.block,
        lastTime: e.time,
        events: [],
      });
    }
    const job = jobs.get(jobId);
    if (job === undefined) continue;
    job.events.push(e);
    job.lastBlock = e.block;
    job.lastTime = e.time;
    if (e.event === 'JobAssigned' || e.event === 'JobReassigned') job.provider = lower(e, 'provider');
    if (e.event === 'VerdictSubmitted') job.verifier = lower(e, 'verifier');
    if (e.event === 'DisputeResolved') job.state = e.args.providerCheated === true ? 'Slashed' : 'Verifying';
    const next = JOB_STATE_AFTER[e.event];
    if (next !== undefined) job.state = next;
  }
  return { jobs, assets };
}

/** Every transaction in which Payroll received income for an asset: that income is split by IncomeCredited. */
export function payrollPaidKeys(events: readonly ChainEvent[]): Set<string> {
  const keys = new Set<string>();
  for (const e of events)
    if (e.contract === 'Payroll' && e.event === 'IncomePaid') keys.add(`${e.tx}:${text(e, 'assetId')}`);
  return keys;
}
