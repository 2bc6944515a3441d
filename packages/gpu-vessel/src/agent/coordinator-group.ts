/**
 * The coordinator's placement of an MSMG job (a ticket whose hardware asks for `spread.machines` > 1): the
 * allocator's `placeGroup` over every eligible offer (challenge passed, not gone) picks N providers' machines close to
 * each other, anchored on a provider of the job's seeded shortlist (the contract assigns only those, one per job):
 * the anchor is the group's lead and rank 0. The plan (one provider per rank) goes to the lead before the assignment
 * is proposed on chain, so the lead has it when its JobAssigned arrives; a lead that refuses or cannot be reached
 * leaves the job unplaced until the next tick.
 */
import {
  type CostModel,
  createOfferBook,
  type JobDemand,
  type Offer,
  type Placement,
  placeGroup,
} from '@aic/allocator';
import { type AgentContext, errorLine, peerOfAddress } from './context.ts';
import { msmgPlanProtocol } from './group-protocols.ts';

export interface GroupPlacementInput {
  readonly jobId: bigint;
  readonly size: number;
  readonly demand: JobDemand;
  /** Every eligible offer, as the allocator sees it. */
  readonly offers: readonly Offer[];
  /** Providers the chain may assign the job to (lowercase). */
  readonly shortlist: ReadonlySet<string>;
  readonly cost: CostModel;
  readonly signal: AbortSignal;
}

/** The lead's placement once the lead took the plan; undefined when no group of that size exists yet. */
export async function placeGroupJob(ctx: AgentContext, p: GroupPlacementInput): Promise<Placement | undefined> {
  const group = placeGroup(createOfferBook(p.offers, p.cost), p.demand, p.size, 8, (offer) =>
    p.shortlist.has(offer.provider.toLowerCase()),
  );
  const lead = group?.offers[0];
  const placement = group?.placements[0];
  if (!group || !lead || !placement) {
    ctx.log.info(
      { jobId: String(p.jobId), size: p.size, offers: p.offers.length, shortlist: [...p.shortlist] },
      'no group of that size yet',
    );
    return undefined;
  }
  const plan = { jobId: String(p.jobId), members: group.offers.map((o) => o.provider as `0x${string}`) };
  try {
    const peer = await peerOfAddress(ctx, lead.provider, p.signal);
    await ctx.net.request(peer, msmgPlanProtocol, { kind: 'propose', plan }, { signal: p.signal });
  } catch (error) {
    ctx.log.warn({ jobId: String(p.jobId), lead: lead.provider, err: errorLine(error) }, 'group plan not taken');
    return undefined;
  }
  ctx.log.info(
    { jobId: String(p.jobId), members: plan.members, maxRttMs: Number(group.maxRttMs.toFixed(2)) },
    'group placed',
  );
  return placement;
}
