import { z } from 'zod';
import { defineProtocol } from '../protocol.ts';

/** Peers a node returns at most in one peer-exchange answer. */
export const PEER_EXCHANGE_MAX_PEERS = 16;

/**
 * Peer exchange: ask a connected peer for some of its peers (id + multiaddrs), so a node that knows only its
 * bootstrap list reaches a well-connected mesh without a DHT.
 */
export const peerExchangeProtocol = defineProtocol({
  id: '/aic/peer-exchange/1.0.0',
  request: z.strictObject({}),
  response: z.strictObject({
    peers: z
      .array(z.strictObject({ id: z.string().max(128), addrs: z.array(z.string().max(256)).max(8) }))
      .max(PEER_EXCHANGE_MAX_PEERS),
  }),
  maxRequestBytes: 512,
  maxResponseBytes: 32 * 1024,
  timeoutMs: 5_000,
});
