/**
 * How the coordinator turns a gossiped, signed provider offer into the allocator's `Offer`, from real inputs only:
 * throughput = the floor of the hardware class the provider proved by challenge, coordinate = the Vivaldi
 * coordinate the offer carries, reputation = the provider's settled-versus-lost history on chain, caches = the
 * dataset roots (and ids) the offer lists, matched against the job being placed.
 */
import type { Coordinate, Offer } from '@aic/allocator';
import type { OfferEventDetail } from '@aic/network';
import { CLASS_REQUIREMENTS, type HardwareClassId, isHardwareClass } from '../hardware/descriptor.ts';
import { offerHardwareToMachine } from '../jobs/hardware-requirement.ts';
import type { JobLocality } from './coordinator-locality.ts';

/**
 * Offers carry no ingress bandwidth yet, so every offer is costed with the same figure: transfer differences
 * between offers then come from caches and distance only, and this sets how much a fetch weighs against price.
 */
export const ASSUMED_INGRESS_MBPS = 100;

/** An offer as the coordinator keeps it: everything but what depends on the job (cache hit) or on history. */
export interface KnownOffer {
  readonly peerId: string;
  readonly expiresAtMs: number;
  readonly offer: Omit<Offer, 'reputation' | 'cachedDatasets'>;
  readonly cachedRoots: ReadonlySet<string>;
  readonly cachedIds: ReadonlySet<string>;
}

/** What the chain says of the sender (ProviderStakes.providerOf). */
export interface ProviderFacts {
  readonly hwClass: number;
  readonly stake: bigint;
}

/**
 * The known offer of `detail`. `fallbackCoordinate` stands in for an offer without a coordinate (every node's
 * publishOffer fills it in; a hand-made offer may lack it): the coordinator's own, i.e. "as near as we are".
 */
export function knownOfferOf(
  detail: OfferEventDetail,
  facts: ProviderFacts,
  peerId: string,
  fallbackCoordinate: Coordinate,
): KnownOffer {
  const provider = detail.sender.toLowerCase();
  const o = detail.payload;
  const coordinate = o.coordinate ?? fallbackCoordinate;
  return {
    peerId,
    expiresAtMs: detail.expiresAtMs,
    cachedRoots: new Set((o.cachedDatasetRoots ?? []).map((r) => r.toLowerCase())),
    cachedIds: new Set(o.cachedDatasetIds),
    offer: {
      id: `${provider}/${o.offerId}`,
      provider: detail.sender,
      hwClass: facts.hwClass,
      memoryGiB: o.hardware.memoryBytes / 2 ** 30,
      tflops: provenTflops(facts.hwClass),
      pricePerHour: Number(o.priceWeiPerHour / 10n ** 12n) / 1e6,
      stake: Number(facts.stake / 10n ** 18n),
      coordinate: { vec: [...coordinate.vec], height: coordinate.height },
      bandwidthMBps: ASSUMED_INGRESS_MBPS,
      slots: o.capacity.concurrentJobs,
      machine: offerHardwareToMachine(o.hardware),
    },
  };
}

/** The allocator's offer for one placement: the provider's reputation now and whether it caches this job's data. */
export function offerForJob(known: KnownOffer, reputation: number, locality: JobLocality | undefined): Offer {
  const holds =
    locality !== undefined && (known.cachedRoots.has(locality.datasetRoot) || known.cachedIds.has(locality.datasetId));
  return { ...known.offer, reputation, cachedDatasets: holds && locality ? [locality.datasetRoot] : [] };
}

/** TFLOP/s the hardware-class challenge proved: the class's floor (a provider is never costed above its proof). */
export function provenTflops(hwClass: number): number {
  const cls: HardwareClassId = isHardwareClass(hwClass) ? hwClass : 0;
  return CLASS_REQUIREMENTS[cls].minTflopsFp32;
}
