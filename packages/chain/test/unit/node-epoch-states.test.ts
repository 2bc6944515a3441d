/**
 * Epoch states cached by the epoch's boundary block, not by epoch number: a validator that started before it had
 * peers made a branch of its own and folded its epoch states from it; cached by epoch, those then judged the real
 * chain's seals and it forked for good. Here two branches from one genesis: whichever is asked about first, each
 * gets the state consensus/epoch.ts folds from its own blocks.
 */
import { minimalPreset } from '@aic/core/params';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { type EpochBlock, epochStateAt } from '../../src/consensus/epoch.ts';
import { consensusParams, epochOfSlot } from '../../src/consensus/params.ts';
import { encodeSeal } from '../../src/consensus/seal.ts';
import { VRF_PROOF_BYTES } from '../../src/consensus/vrf.ts';
import type { PovBlock, PovHeaderInfo } from '../../src/exec/block-types.ts';
import { createEpochStates } from '../../src/node/epoch-states.ts';

const params = consensusParams(minimalPreset.pov, 31_338n);
const proposer = privateKeyToAddress(`0x${'11'.repeat(32)}`);
const GENESIS_TS = 1_000_000n;

/** A header-and-seal chain: blocks at the given slots on `parent`, VRF outputs derived from `tag`. */
function branch(
  store: Map<string, { header: PovHeaderInfo; block: PovBlock }>,
  parent: PovHeaderInfo,
  slots: number[],
  tag: string,
) {
  const out: EpochBlock[] = [];
  let tip = parent;
  for (const slot of slots) {
    const vrfOutput = keccak_256(new TextEncoder().encode(`${tag}:${slot}`));
    const header: PovHeaderInfo = {
      ...tip,
      hash: keccak_256(new TextEncoder().encode(`block ${tag}:${slot}`)),
      parentHash: tip.hash,
      number: tip.number + 1n,
      timestampSec: GENESIS_TS + BigInt(slot),
    };
    const seal = encodeSeal({
      proposer,
      nodeId: 'node',
      slot: BigInt(slot),
      epoch: epochOfSlot(BigInt(slot), params),
      jobId: 0n,
      modelId: 0n,
      sessionId: 0n,
      vrfOutput,
      vrfProof: new Uint8Array(VRF_PROOF_BYTES),
      signature: new Uint8Array(65),
    });
    store.set(bytesToHex(header.hash), { header, block: { header: new Uint8Array(), txs: [], seal } });
    out.push({ slot: BigInt(slot), vrfOutput });
    tip = header;
  }
  return { tip, blocks: out };
}

describe('epoch states keyed by the boundary block', () => {
  const genesis: PovHeaderInfo = {
    hash: keccak_256(new TextEncoder().encode('genesis')),
    parentHash: new Uint8Array(32),
    coinbase: new Uint8Array(20),
    stateRoot: new Uint8Array(32),
    number: 0n,
    gasLimit: 30_000_000n,
    gasUsed: 0n,
    timestampSec: GENESIS_TS,
    extraData: new Uint8Array(),
  };
  const store = new Map<string, { header: PovHeaderInfo; block: PovBlock }>();
  store.set(bytesToHex(genesis.hash), {
    header: genesis,
    block: { header: new Uint8Array(), txs: [], seal: new Uint8Array() },
  });
  const chain = {
    header: async (hash: Uint8Array) => store.get(bytesToHex(hash))?.header,
    block: async (hash: Uint8Array) => store.get(bytesToHex(hash))?.block,
  };
  // A lone node's branch (every slot its own) and the real chain's (every other slot), 6 epochs of 8 slots each.
  const lone = branch(
    store,
    genesis,
    Array.from({ length: 47 }, (_, i) => i + 1),
    'lone',
  );
  const real = branch(
    store,
    genesis,
    Array.from({ length: 23 }, (_, i) => 2 * i + 2),
    'real',
  );

  it('gives each branch the state folded from its own blocks, whichever was asked first', async () => {
    const states = createEpochStates({ chain, params, genesis });
    const epoch = 5n;
    const fromLone = await states.stateOf(epoch, lone.tip);
    const fromReal = await states.stateOf(epoch, real.tip);
    expect(fromLone).toEqual(epochStateAt(genesis.hash, lone.blocks, epoch, params));
    expect(fromReal).toEqual(epochStateAt(genesis.hash, real.blocks, epoch, params));
    expect(bytesToHex(fromReal.randomness)).not.toBe(bytesToHex(fromLone.randomness));
    // The retarget saw one block per slot on one branch and one per two on the other.
    expect(fromReal.threshold).not.toBe(fromLone.threshold);
  });

  it('names the boundary: the last block before epoch e − lookback + 1', async () => {
    const states = createEpochStates({ chain, params, genesis });
    // Epoch 5 with lookback 2: blocks before slot 32 fix it; the real branch's last such block is at slot 30.
    const boundary = await states.boundaryOf(5n, real.tip);
    expect(boundary.timestampSec - GENESIS_TS).toBe(30n);
    // Before any epoch has passed its lookback, genesis fixes the state.
    expect((await states.boundaryOf(1n, real.tip)).number).toBe(0n);
  });
});
