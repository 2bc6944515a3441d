/**
 * The CHAIN_BAD_SEAL a proposer once refused on its own block (e2e, under load): a peer's block of the same slot
 * became the head while the proposer's slot waited in the serial queue, and the proposer built on it. The seal check
 * requires a block's slot to be after its parent's, so that block was refused by its own maker. Here the peer's
 * block arrives just before the slot starts, through the gossip handler, and the proposer always wins its ticket.
 */
import type { AicNetwork } from '@aic/network';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainError } from '../../src/errors.ts';
import { encodePovBlock, type SealValidator } from '../../src/exec/block-types.ts';
import { PovValidator } from '../../src/node/validator.ts';
import { povBlockSpec } from '../../src/node/wire.ts';
import { eventually } from '../helpers/eventually.ts';
import { ToyChain, ToyConsensus } from '../helpers/toy-chain.ts';

const SLOT_MS = 1_000;

/** Just what PovValidator touches of the network; the block gossip handler is kept to deliver blocks by hand. */
function stubNetwork() {
  const handlers = new Map<string, (m: { payload: unknown }, relayedBy: string) => void>();
  const net = {
    routeTopic(spec: { type: string }, handler: (m: { payload: unknown }, relayedBy: string) => void) {
      handlers.set(spec.type, handler);
    },
    publish: async () => {},
    topicPeers: () => [],
    handle: async () => {},
    unhandle: async () => {},
    addEventListener() {},
    removeEventListener() {},
    getPeers: () => [],
    penalizePeer() {},
  };
  return { net: net as unknown as AicNetwork, handlers };
}

/** The real seal check's slot rule (consensus-adapter.ts), on top of the toy seal. */
function withSlotRule(consensus: ToyConsensus, chain: ToyChain): SealValidator {
  const toySeal = consensus.validateSeal;
  return async (input) => {
    await toySeal(input);
    const parentBlock = input.parent.number === 0n ? undefined : await chain.block(input.parent.hash);
    const parentSlot = parentBlock === undefined ? -1n : consensus.sealInfo(parentBlock, input.parent).slot;
    if (consensus.sealInfo(input.block, input.header).slot <= parentSlot) {
      throw new ChainError('CHAIN_BAD_SEAL', 'the slot is not after the parent');
    }
  };
}

describe('a proposer whose slot finds a peer block of that slot at its head', () => {
  let validator: PovValidator | undefined;
  afterEach(async () => validator?.stop());

  it('skips the slot instead of building a block its own seal check refuses', async () => {
    const [ours, peer] = [generatePrivateKey(), generatePrivateKey()];
    const validators = [ours, peer].map((k) => privateKeyToAddress(k));
    // Whole seconds: header timestamps are their slots' starts, as on the real chain.
    const genesisMs = Math.floor(Date.now() / 1000) * 1000 - 10 * SLOT_MS;
    const chain = new ToyChain(new Uint8Array(20));
    const consensus = new ToyConsensus(ours, validators, SLOT_MS, genesisMs, 1);
    Object.assign(consensus, { validateSeal: withSlotRule(consensus, chain) });
    const { net, handlers } = stubNetwork();
    const rejected: string[] = [];
    const proposed: bigint[] = [];
    validator = new PovValidator({ network: net, chain, consensus, log: { info() {}, debug() {}, warn() {} } });
    validator.on('rejected', (r) => rejected.push(r.code));
    validator.on('proposed', (p) => proposed.push(p.slot));
    // Start early in a slot, so the peer block below lands before the next slot begins.
    await eventually('the start of a slot', () => (Date.now() - genesisMs) % SLOT_MS < 300, 2_000, 10);
    await validator.start();

    // The peer's block for the next slot, sealed by the peer, arrives while that slot has not begun here.
    const next = consensus.slotAt(Date.now()) + 1n;
    const peerChain = new ToyChain(new Uint8Array(20));
    const peerTicket = await new ToyConsensus(peer, validators, SLOT_MS, genesisMs, 1).ticket(next, peerChain.head());
    if (peerTicket === undefined) throw new Error('unreachable: the toy ticket always wins at chance 1');
    const ts = BigInt(Math.floor(consensus.slotStartMs(next) / 1000));
    const built = await peerChain.build(peerChain.head(), ts, peerTicket.extraData);
    const block = { ...built, seal: await peerTicket.seal(peerChain.decodeHeader(built)) };
    const onBlock = handlers.get(povBlockSpec.type);
    expect(onBlock, 'the validator routes the block topic').toBeDefined();
    onBlock?.({ payload: { block: encodePovBlock(block) } }, 'peer-1');
    await eventually('the peer block is the head', () => chain.head().number === 1n, 5_000, 20).catch((e) => {
      throw new Error(`${e} rejected=${rejected} proposed=${proposed} head=${chain.head().number}`);
    });

    // Our node wins every slot: the slot after the peer's is the first it can build on.
    await eventually('a block of ours on the peer block', () => proposed.some((s) => s > next), 10_000, 50);
    expect(rejected).toEqual([]);
    expect(proposed).not.toContain(next);
    expect(chain.head().number).toBeGreaterThanOrEqual(2n);
  }, 20_000);
});
