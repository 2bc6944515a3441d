/**
 * Why a job is not placed yet, in words a requester can act on (issue 14: a silent "no bids" is the most common
 * complaint on peer consoles). The coordinator places a job on an offer whose provider is connected, registered on
 * chain with a hardware class ≥ the job's and enough stake, not the requester itself, and has passed the
 * coordinator's hardware-class challenge (CoordinatorAgent #eligibleOffers / choosePlacement). This node sees the
 * same offers by gossip and the same chain, so it can tell each of those conditions apart but the last one, which
 * only the coordinator knows: then the job is said to wait for a challenge.
 */
import { roleId } from '@aic/ledger';
import type { Address } from 'viem';
import type { Offer } from '../api/schemas.ts';

export type PlacementBlocker =
  | 'no-coordinator'
  | 'no-offers'
  | 'only-own-offers'
  | 'no-offer-of-class'
  | 'awaiting-challenge';

export interface PlacementDiagnosis {
  blocker: PlacementBlocker;
  /** One sentence for the job page. */
  reason: string;
  /** Offers this node knows, and how many of them could take the job (class and stake on chain). */
  offers: number;
  eligibleOffers: number;
}

/** What the diagnosis reads: the chain's roles and provider records, this node's peers and offer book. */
export interface PlacementInputs {
  market: {
    read: {
      hasRole(args: readonly [`0x${string}`, Address]): Promise<boolean>;
      getRoleMemberCount(args: readonly [`0x${string}`]): Promise<bigint>;
      providerOf(args: readonly [Address]): Promise<{ stake: bigint; hwClass: number; registered: boolean }>;
      minStakeOf(args: readonly [number]): Promise<bigint>;
    };
  };
  peerAddresses(): Array<string | undefined>;
  offers(): Offer[];
}

export async function diagnosePlacement(
  inputs: PlacementInputs,
  job: { requester: string; minHwClass: number },
): Promise<PlacementDiagnosis> {
  const allocator = roleId('ALLOCATOR_ROLE');
  const peers = inputs.peerAddresses().filter((a): a is string => a !== undefined);
  // A keyless market (issue 15: no account holds the allocator role) lets anyone place a job, so no peer can be
  // told apart as its coordinator: the check applies only where the role still exists.
  const roleHolders = await inputs.market.read.getRoleMemberCount([allocator]);
  const coordinators = await Promise.all(peers.map((a) => inputs.market.read.hasRole([allocator, a as Address])));
  const offers = inputs.offers();
  const facts = { offers: offers.length, eligibleOffers: 0 };
  if (roleHolders > 0n && !coordinators.some(Boolean)) {
    return {
      blocker: 'no-coordinator',
      reason:
        'No coordinator is connected to this node: no peer holds the market’s allocator role, so nobody can place the job yet.',
      ...facts,
    };
  }
  if (offers.length === 0) {
    return { blocker: 'no-offers', reason: 'No GPU offer is on the network: no provider can take the job.', ...facts };
  }
  const others = offers.filter((o) => o.provider.toLowerCase() !== job.requester.toLowerCase());
  if (others.length === 0) {
    return {
      blocker: 'only-own-offers',
      reason: 'The only offers are the requester’s own, and a job is never placed on its requester.',
      ...facts,
    };
  }
  const eligible = await Promise.all(others.map((o) => eligibleFor(inputs, o.provider as Address, job.minHwClass)));
  const eligibleOffers = eligible.filter(Boolean).length;
  if (eligibleOffers === 0) {
    return {
      blocker: 'no-offer-of-class',
      reason: `No offer of hardware class ${job.minHwClass} or above: none of the ${others.length} providers is registered on chain with that class and its minimum stake.`,
      offers: offers.length,
      eligibleOffers,
    };
  }
  return {
    blocker: 'awaiting-challenge',
    reason: `${eligibleOffers} offer(s) of class ${job.minHwClass} or above: waiting for the coordinator to place the job (each provider must first pass its hardware-class challenge).`,
    offers: offers.length,
    eligibleOffers,
  };
}

async function eligibleFor(inputs: PlacementInputs, provider: Address, minHwClass: number): Promise<boolean> {
  const p = await inputs.market.read.providerOf([provider]);
  if (!p.registered || p.hwClass < minHwClass) return false;
  return p.stake >= (await inputs.market.read.minStakeOf([p.hwClass]));
}
