import { z } from 'zod';
import { vivaldiCoordinateSchema } from '../../coordinates/coordinate-schema.ts';
import { WIRE_LIMITS } from '../../limits.ts';
import type { MessageSpec, VerifiedMessage } from '../message-spec.ts';
import { assetId, bytes32Hex, safeUint, shortText, weiAmount } from './fields.ts';

/** Cached dataset roots an offer may list: 128 × 67 bytes stays well inside the 16 KiB offer limit. */
export const MAX_CACHED_DATASET_ROOTS = 128;

/** Gossip message: a GPU Vessel advertises capacity, hardware, price and cached datasets for `ttlSeconds`. */
const hardwareSchema = z.strictObject({
  gpus: z.array(z.strictObject({ model: shortText, memoryBytes: safeUint })).max(64),
  cpuCores: z.number().int().min(0).max(4096),
  memoryBytes: safeUint,
  /** TensorFlow.js backends the provider runs (DESIGN.md §5). */
  backends: z
    .array(z.enum(['cpu', 'wasm', 'webgpu', 'tensorflow']))
    .min(1)
    .max(4),
});

const offerWireSchema = z.strictObject({
  /** Provider-chosen id, unique per provider; a newer offer with the same id replaces the older. */
  offerId: z.string().min(1).max(64),
  capacity: z.strictObject({
    gpus: z.number().int().min(0).max(64),
    concurrentJobs: z.number().int().min(1).max(1024),
  }),
  hardware: hardwareSchema,
  priceWeiPerHour: weiAmount,
  cachedDatasetIds: z.array(assetId).max(256),
  /**
   * Dataset roots (the Data Vessel's Merkle roots = Dataset NFTs' contentRoot) whose shards the provider's verified
   * worker cache holds now: the allocator's locality input (a job on one of them moves no data). Self-reported, a
   * hint, not a proof. Absent in offers from older nodes.
   */
  cachedDatasetRoots: z.array(bytes32Hex).max(MAX_CACHED_DATASET_ROOTS).optional(),
  ttlSeconds: z.number().int().min(1).max(86_400),
  /** The provider's Vivaldi coordinate, so any node can estimate its RTT to this provider (filled in on publish). */
  coordinate: vivaldiCoordinateSchema.optional(),
  /**
   * The provider's own PeerId and listen addresses (filled in on publish), so that a node that only hears the offer
   * through relays can dial the provider. Receivers use it only when the PeerId's key is the envelope's signer.
   */
  peer: z.strictObject({ id: z.string().min(1).max(128), addrs: z.array(z.string().max(256)).max(8) }).optional(),
});

/** A provider offer as code sees it (price as bigint). The provider is the envelope's sender. */
export type ProviderOffer = z.output<typeof offerWireSchema>;

export const providerOfferSpec: MessageSpec<ProviderOffer> = {
  type: 'aic/offer/1',
  maxBytes: WIRE_LIMITS.offerBytes,
  schema: offerWireSchema,
  toWire: ({ coordinate, peer, cachedDatasetRoots, ...offer }) => ({
    ...offer,
    priceWeiPerHour: offer.priceWeiPerHour.toString(),
    // CBOR has no `undefined`: absent optional fields are left out.
    ...(coordinate === undefined ? {} : { coordinate }),
    ...(cachedDatasetRoots === undefined ? {} : { cachedDatasetRoots: [...cachedDatasetRoots] }),
    ...(peer === undefined ? {} : { peer: { id: peer.id, addrs: [...peer.addrs] } }),
  }),
};

/** What a listener of `offer` receives. */
export interface OfferEventDetail extends VerifiedMessage<ProviderOffer> {
  /** PeerId of the neighbour that relayed it to us. */
  relayedBy: string;
  /** When the offer stops being valid (signed timestamp + TTL). */
  expiresAtMs: number;
}

/** Handler: an offer already expired at arrival is ignored (not an offence: clocks and queues lag). */
export function handleProviderOffer(
  message: VerifiedMessage<ProviderOffer>,
  relayedBy: string,
  nowMs: number,
): OfferEventDetail | undefined {
  const expiresAtMs = message.timestampMs + message.payload.ttlSeconds * 1000;
  return expiresAtMs <= nowMs ? undefined : { ...message, relayedBy, expiresAtMs };
}
