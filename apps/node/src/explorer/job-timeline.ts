/**
 * A job's state timeline (pure): every chain event of the job in order, with the state each one leaves the job in,
 * the parties as the events name them, and the settlement's amounts.
 */
import type { ChainEvent } from './chain-events.ts';
import { chainFacts, JOB_STATE_AFTER, type JobFacts, wei } from './chain-facts.ts';

export interface TimelineStep {
  event: ChainEvent;
  /** The job's state after this event. */
  state: string;
}

export interface JobTimeline {
  job: JobFacts;
  steps: TimelineStep[];
  settlement?: Record<'providerPaid' | 'protocolFee' | 'datasetFee' | 'modelFee' | 'verifierFee' | 'refund', bigint>;
}

export function jobTimeline(events: readonly ChainEvent[], jobId: string): JobTimeline | undefined {
  const job = chainFacts(events).jobs.get(jobId);
  if (job === undefined) return undefined;
  let state = 'Created';
  const steps = job.events.map((event): TimelineStep => {
    if (event.event === 'DisputeResolved') state = event.args.providerCheated === true ? 'Slashed' : 'Verifying';
    state = JOB_STATE_AFTER[event.event] ?? state;
    return { event, state };
  });
  const settled = job.events.find((e) => e.event === 'JobSettled');
  return {
    job,
    steps,
    ...(settled === undefined
      ? {}
      : {
          settlement: {
            providerPaid: wei(settled, 'providerPaid'),
            protocolFee: wei(settled, 'protocolFee'),
            datasetFee: wei(settled, 'datasetFee'),
            modelFee: wei(settled, 'modelFee'),
            verifierFee: wei(settled, 'verifierFee'),
            refund: wei(settled, 'refund'),
          },
        }),
  };
}

/** Whether an event names `address` in any argument (a party, a payee, a sender). */
export function eventTouches(e: ChainEvent, address: string): boolean {
  const me = address.toLowerCase();
  return Object.values(e.args).some((v) => typeof v === 'string' && v.toLowerCase() === me);
}

/** Whether an event is about asset `tokenId` (minted, moved, priced, used by a job, bought, paid). */
export function eventConcernsAsset(e: ChainEvent, tokenId: string): boolean {
  // uint32 ids decode as numbers, uint256 ids as decimal text: compare as text.
  const is = (key: string) => e.args[key] !== undefined && String(e.args[key]) === tokenId;
  if (e.contract === 'AssetRegistry' || e.contract === 'Plaza') return is('tokenId');
  if (e.contract === 'Payroll') return is('assetId');
  if (e.contract === 'ComputeMarket' && e.event === 'JobCreated') return is('datasetId') || is('modelId');
  if (e.contract === 'DataRequests') return is('datasetId');
  return false;
}
