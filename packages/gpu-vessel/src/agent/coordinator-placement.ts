/**
 * The coordinator's placement step for one job, once its inputs are gathered: the allocator's choice among the
 * shortlist's offers (or an MSMG group), the proposal on chain, and the log line saying where the job went. The
 * agent (coordinator-agent.ts) keeps the bookkeeping around it (which jobs wait, what runs where).
 */
import {
  type CostModel,
  choosePlacement,
  createOfferBook,
  type HardwareRequirement,
  type Offer,
  type Placement,
} from '@aic/allocator';
import type { AgentContext } from './context.ts';
import { jobDemandOf } from './coordinator-demand.ts';
import { placeGroupJob } from './coordinator-group.ts';
import type { JobLocality } from './coordinator-locality.ts';
import { type KnownOffer, offerForJob } from './coordinator-offers.ts';
import { isRevertOf } from './coordinator-shortlist.ts';
import type { MachineUsage } from './coordinator-usage.ts';

export interface PlacementRequest {
  readonly jobId: bigint;
  readonly state: 'Escrowed' | 'Preempted';
  readonly job: { readonly minHwClass: number; readonly requester: string; readonly provider: string };
  readonly seed: bigint;
  readonly hardware: HardwareRequirement | undefined;
  readonly locality: JobLocality | undefined;
  /** Providers the chain may assign the job to (lowercase). */
  readonly shortlist: ReadonlySet<string>;
  /** Every eligible offer (challenge passed, not gone, unexpired). */
  readonly eligible: readonly KnownOffer[];
  readonly reputationOf: (provider: string) => number;
  readonly usage: MachineUsage;
  readonly cost: CostModel;
  readonly signal: AbortSignal;
}

/** The allocator's placement for the job (undefined: no eligible offer fits yet) and the shortlist's offers. */
export async function findPlacement(
  ctx: AgentContext,
  r: PlacementRequest,
): Promise<{ placement: Placement | undefined; offers: Offer[] }> {
  const toOffer = (known: KnownOffer) => {
    const offer = offerForJob(known, r.reputationOf(known.offer.provider), r.locality);
    // The machine less what this coordinator's jobs running there use (the offer was announced before them).
    return offer.machine ? { ...offer, machine: r.usage.freeOf(offer.provider, offer.machine) } : offer;
  };
  // Only the seeded shortlist's providers can be assigned (the contract's rule); the allocator ranks their offers.
  const offers = r.eligible.filter((k) => r.shortlist.has(k.offer.provider.toLowerCase())).map(toOffer);
  const demand = jobDemandOf({
    jobId: r.jobId,
    minHwClass: r.job.minHwClass,
    requester: r.job.requester,
    ...(r.state === 'Preempted' ? { preemptedProvider: r.job.provider } : {}),
    locality: r.locality,
    hardware: r.hardware,
  });
  // MSMG (issue 16): a job asking for N machines is placed as a group; its lead (rank 0) is assigned on chain.
  const groupSize = r.hardware?.spread?.machines ?? 1;
  const placement =
    groupSize > 1
      ? await placeGroupJob(ctx, {
          jobId: r.jobId,
          size: groupSize,
          demand,
          offers: r.eligible.map(toOffer),
          shortlist: r.shortlist,
          cost: r.cost,
          signal: r.signal,
        })
      : choosePlacement(createOfferBook(offers, r.cost), demand, r.seed);
  return { placement, offers };
}

/**
 * Proposes the placement on chain. Fixed-price jobs: the contract pays the provider the budget the requester was
 * quoted (what is left of it after a preemption), so a proposal names only the provider. False when another
 * coordinator placed it first (or redrew its shortlist): the chain's events say what happened.
 */
export async function proposePlacement(
  ctx: AgentContext,
  jobId: bigint,
  state: 'Escrowed' | 'Preempted',
  provider: string,
): Promise<boolean> {
  const { ledger } = ctx;
  const write = state === 'Escrowed' ? 'assignJob' : 'reassignJob';
  try {
    await ctx.send(() => ledger.confirm(write, () => ledger.market.write[write]([jobId, provider as `0x${string}`])));
    return true;
  } catch (error) {
    if (!isRevertOf(error, 'IllegalTransition', 'ProviderNotDrawn', 'SeedNotReady')) throw error;
    ctx.log.info({ jobId: String(jobId), err: String(error) }, 'proposal not taken');
    return false;
  }
}

/** The operator's line for a placed job: where it went, among which offers, and what the data locality was. */
export function logPlaced(
  ctx: AgentContext,
  r: PlacementRequest,
  placement: Placement,
  offers: readonly Offer[],
): void {
  const { locality } = r;
  ctx.log.info(
    {
      jobId: String(r.jobId),
      provider: placement.provider,
      seed: String(r.seed),
      among: offers.length,
      shortlist: [...r.shortlist],
      ...(locality ? { datasetMB: locality.datasetMB, holders: locality.dataSources.length } : {}),
      cached: offers.some((o) => o.id === placement.offerId && (o.cachedDatasets as readonly string[]).length > 0),
    },
    r.state === 'Escrowed' ? 'job assigned' : 'job reassigned',
  );
}
