/**
 * The PoV chain's messages on the AIC network (@aic/network's signed CBOR envelopes, one spec per gossip topic, one
 * request/response protocol for sync). Blocks and attestations travel as the bytes exec/ and consensus/ define
 * (`encodePovBlock`, the attestation encoding): this file only bounds their size and shape; the validator service
 * decodes and checks them, and a peer whose bytes fail is penalised there.
 */
import { defineProtocol, GOSSIP_TOPICS, type MessageSpec } from '@aic/network';
import { z } from 'zod';

/** A block of the largest gas limit the preset allows fits well below this (ERC20 transfers are ~110 bytes each). */
export const MAX_BLOCK_BYTES = 900 * 1024;
/** Transactions per gossiped batch (a node gossips what its RPC received since the last flush). */
export const MAX_TXS_PER_BATCH = 512;
/** Blocks per sync response (the response must stay under the protocol's byte bound). */
export const MAX_SYNC_BLOCKS = 64;
/** Most attestation bytes carried with one block in a sync response (a committee's worth). */
export const MAX_ATTESTATIONS_PER_BLOCK = 64;

const bytes = (max: number) => z.instanceof(Uint8Array).refine((b) => b.length <= max, `at most ${max} bytes`);
const safeUint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const povBlockMessageSchema = z.strictObject({
  /** `encodePovBlock(block)`. */
  block: bytes(MAX_BLOCK_BYTES),
});
export type PovBlockMessage = z.output<typeof povBlockMessageSchema>;

export const povBlockSpec: MessageSpec<PovBlockMessage> & { type: typeof GOSSIP_TOPICS.povBlocks } = {
  type: GOSSIP_TOPICS.povBlocks,
  maxBytes: MAX_BLOCK_BYTES + 4 * 1024,
  schema: povBlockMessageSchema,
  toWire: (m) => m,
};

/** An attestation as consensus/digests.ts signs it: Attestation(slot, blockHash, valid) by a committee member. */
const attestationSchema = z.strictObject({
  slot: safeUint,
  blockHash: bytes(32).refine((b) => b.length === 32, 'a block hash is 32 bytes'),
  valid: z.boolean(),
  /** 65 bytes r ‖ s ‖ v over the EIP-712 digest; the attester is who it recovers to. */
  signature: bytes(65).refine((b) => b.length === 65, 'a signature is 65 bytes'),
});
export type PovAttestationWire = z.output<typeof attestationSchema>;

const povAttestationMessageSchema = z.strictObject({ attestation: attestationSchema });
export type PovAttestationMessage = z.output<typeof povAttestationMessageSchema>;

export const povAttestationSpec: MessageSpec<PovAttestationMessage> & {
  type: typeof GOSSIP_TOPICS.povAttestations;
} = {
  type: GOSSIP_TOPICS.povAttestations,
  maxBytes: 4 * 1024,
  schema: povAttestationMessageSchema,
  toWire: (m) => m,
};

const povTxsMessageSchema = z.strictObject({
  /** Signed transactions' canonical bytes, as `eth_sendRawTransaction` takes them. */
  txs: z
    .array(bytes(128 * 1024))
    .min(1)
    .max(MAX_TXS_PER_BATCH),
});
export type PovTxsMessage = z.output<typeof povTxsMessageSchema>;

export const povTxsSpec: MessageSpec<PovTxsMessage> & { type: typeof GOSSIP_TOPICS.povTxs } = {
  type: GOSSIP_TOPICS.povTxs,
  maxBytes: 900 * 1024,
  schema: povTxsMessageSchema,
  toWire: (m) => m,
};

/**
 * Sync: blocks of the serving node's canonical chain from `from` (by number), at most `count`, each with the
 * attestations it holds for it (so a syncing node can count finality itself), and the server's head number.
 */
export const povSyncProtocol = defineProtocol({
  id: '/aic/pov/sync/1.0.0',
  request: z.strictObject({ from: safeUint, count: z.number().int().min(1).max(MAX_SYNC_BLOCKS) }),
  response: z.strictObject({
    head: safeUint,
    blocks: z
      .array(
        z.strictObject({
          block: bytes(MAX_BLOCK_BYTES),
          attestations: z.array(attestationSchema).max(MAX_ATTESTATIONS_PER_BLOCK),
        }),
      )
      .max(MAX_SYNC_BLOCKS),
  }),
  maxRequestBytes: 1024,
  maxResponseBytes: 8 * 1024 * 1024,
  timeoutMs: 20_000,
});
