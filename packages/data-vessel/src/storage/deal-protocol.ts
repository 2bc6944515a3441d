/**
 * How a data owner places a replica on a storage node (the chain holds the deal; these two requests only find a
 * provider and hand it what it needs): `/aic/storage-quote/1.0.0` asks a provider its price for a blob of a size,
 * `/aic/storage-deal/1.0.0` names a proposed deal, the public manifest, who holds the sealed chunks and, optionally,
 * the dataset key wrapped to the provider. The provider
 * answers `fetching` at once and accepts on chain once it holds a replica matching the deal's root; the owner waits
 * for that on chain, not on this stream.
 */
import { defineProtocol } from '@aic/network';
import { z } from 'zod';
import { WRAPPED_KEY_BYTES } from '../crypto/key-wrap.ts';
import { MAX_MANIFEST_BYTES } from '../limits.ts';

const decimal = z.string().regex(/^(0|[1-9][0-9]{0,77})$/, 'a decimal integer');

export const storageQuoteProtocol = defineProtocol({
  id: '/aic/storage-quote/1.0.0',
  request: z.strictObject({
    datasetId: decimal,
    sizeBytes: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    epochs: z.number().int().positive().max(0xffff_ffff),
  }),
  response: z.strictObject({
    /** For the whole blob, per epoch. */
    pricePerEpochWei: decimal,
    /** Most collateral the provider will post for it. */
    maxCollateralWei: decimal,
    freeBytes: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  }),
  maxRequestBytes: 1024,
  maxResponseBytes: 1024,
});

/** Holders a deal request may name (the owner, then the other replicas). */
export const MAX_DEAL_HOLDERS = 16;

export const storageDealProtocol = defineProtocol({
  id: '/aic/storage-deal/1.0.0',
  request: z.strictObject({
    dealId: decimal,
    datasetId: decimal,
    /** The manifest file's bytes: the provider checks its CID and dataset root against the Dataset NFT. */
    manifest: z.custom<Uint8Array>(
      (m) => m instanceof Uint8Array && m.length <= MAX_MANIFEST_BYTES,
      'manifest bytes too large or missing',
    ),
    /** Multiaddrs (with /p2p/) or peer ids of nodes serving the sealed chunks. */
    holders: z.array(z.string().min(1).max(512)).min(1).max(MAX_DEAL_HOLDERS),
    /**
     * The dataset key ECIES-wrapped to the provider's own key (from its PeerId, bound to the dataset root): the
     * owner trusts the storage node to release it under the chain's rule while the owner is offline. Absent = the
     * replica holds ciphertext only.
     */
    wrappedKey: z
      .custom<Uint8Array>((k) => k instanceof Uint8Array && k.length === WRAPPED_KEY_BYTES, 'not a wrapped dataset key')
      .optional(),
  }),
  response: z.strictObject({ status: z.literal('fetching') }),
  maxRequestBytes: MAX_MANIFEST_BYTES + 64 * 1024,
  maxResponseBytes: 1024,
});
