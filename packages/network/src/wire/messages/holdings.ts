import { z } from 'zod';
import { vivaldiCoordinateSchema } from '../../coordinates/coordinate-schema.ts';
import { WIRE_LIMITS } from '../../limits.ts';
import type { MessageSpec, VerifiedMessage } from '../message-spec.ts';
import { assetId, bytes32Hex, safeUint } from './fields.ts';

/** Most holdings one announcement lists (a node holding more announces its largest or newest ones). */
export const MAX_HOLDINGS_PER_ANNOUNCEMENT = 256;

/** One asset a node holds and serves: what, which, its committed root, how big, and why it holds it. */
const holdingSchema = z.strictObject({
  kind: z.enum(['dataset', 'model']),
  /** The asset's NFT id (decimal text). */
  assetId,
  /** The asset's committed content root (dataset root, or keccak256 of a model manifest). */
  root: bytes32Hex,
  bytes: safeUint,
  /** owner: published it; replica: a Storage Vessel deal; cache: a worker's verified cache; serving: inference. */
  role: z.enum(['owner', 'replica', 'cache', 'serving']),
});

/**
 * Gossip message (`aic/holdings/1`): the sender's full current set of holdings, replacing what it announced before,
 * valid for `ttlSeconds`. The sender is the envelope's signer; `peer` lets any node dial it (trusted only when that
 * PeerId is the signer's key, as for offers).
 */
const holdingsWireSchema = z.strictObject({
  holdings: z.array(holdingSchema).max(MAX_HOLDINGS_PER_ANNOUNCEMENT),
  ttlSeconds: z.number().int().min(1).max(86_400),
  coordinate: vivaldiCoordinateSchema.optional(),
  peer: z.strictObject({ id: z.string().min(1).max(128), addrs: z.array(z.string().max(256)).max(8) }),
});

export type HoldingsAnnouncement = z.output<typeof holdingsWireSchema>;
export type Holding = HoldingsAnnouncement['holdings'][number];

export const holdingsSpec: MessageSpec<HoldingsAnnouncement> = {
  type: 'aic/holdings/1',
  maxBytes: WIRE_LIMITS.holdingsBytes,
  schema: holdingsWireSchema,
  toWire: ({ coordinate, peer, holdings, ...rest }) => ({
    ...rest,
    holdings: holdings.map((h) => ({ ...h })),
    peer: { id: peer.id, addrs: [...peer.addrs] },
    // CBOR has no `undefined`: absent optional fields are left out.
    ...(coordinate === undefined ? {} : { coordinate: { ...coordinate, vec: [...coordinate.vec] } }),
  }),
};

/** What a listener of `holdings` receives. */
export interface HoldingsEventDetail extends VerifiedMessage<HoldingsAnnouncement> {
  relayedBy: string;
  /** When the announcement stops being valid (signed timestamp + TTL). */
  expiresAtMs: number;
}

/**
 * Handler: an announcement already expired at arrival, or whose `peer` is not the signer's key (it could aim other
 * nodes' dials at a victim), is ignored.
 */
export function handleHoldings(
  message: VerifiedMessage<HoldingsAnnouncement>,
  relayedBy: string,
  nowMs: number,
  addressOfPeerId: (peerId: string) => string | undefined,
): HoldingsEventDetail | undefined {
  const expiresAtMs = message.timestampMs + message.payload.ttlSeconds * 1000;
  if (expiresAtMs <= nowMs) return undefined;
  if (addressOfPeerId(message.payload.peer.id) !== message.sender) return undefined;
  return { ...message, relayedBy, expiresAtMs };
}
