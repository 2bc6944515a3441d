import { minimalPreset } from '@aic/core/params';
import { addressFromPrivateKey, peerIdFromPrivateKey } from '@aic/network';
import { concatBytes } from '@noble/curves/utils.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { type Address, bytesToHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { type Attestation, signAttestation } from '../../src/consensus/attestation.ts';
import { selectCommittee } from '../../src/consensus/committee.ts';
import { type EpochBlock, epochStateAt } from '../../src/consensus/epoch.ts';
import { FinalityTracker, type TrackedBlock } from '../../src/consensus/finality.ts';
import { consensusParams, epochOfSlot } from '../../src/consensus/params.ts';
import { type PovSeal, ticketCommitment } from '../../src/consensus/seal.ts';
import { checkSeal, drawTicket, type EpochContext, signSeal } from '../../src/consensus/sealing.ts';
import { compareVrfOutputs } from '../../src/consensus/ticket.ts';
import { type WorkItem, workWeights } from '../../src/consensus/work.ts';

/**
 * Four validators run the whole consensus core slot by slot, as chain-node wires it: draw a ticket on the head,
 * seal, every node checks the seal against its own view and tracks the block, committee members attest by the
 * voting rules. A stand-in hash replaces the EVM header (execution is exec/'s part).
 */
const chainId = 7777n;
const params = consensusParams(minimalPreset.pov, chainId);
const keys = [11, 12, 13, 14].map((i) => keccak_256(Uint8Array.of(i)));
const accounts = keys.map((k) => addressFromPrivateKey(k));
const nodeIds = keys.map((k) => peerIdFromPrivateKey(k).toString());
const validators = accounts.map((address) => ({ address, genesis: true }));
const genesisHash = keccak_256(Uint8Array.of(0));
// validator 0 has verified work from epoch 0 on: from epoch 2 its tickets name it and weigh more
const work: WorkItem[] = [
  { nodeAccount: accounts[0] as Address, jobId: 1n, modelId: 2n, sessionId: 3n, flops: 10n ** 9n, verifiedEpoch: 0n },
];

interface SimBlock {
  tracked: TrackedBlock;
  seal: PovSeal;
  extraData: Uint8Array;
}

type Message = { from: number; block: SimBlock } | { from: number; attestation: Attestation };

/**
 * Runs `slots` slots. `isolated(slot)` names the nodes cut off from the rest in that slot (a partition: messages
 * across the cut wait in the receiver's queue, in order, and arrive when it heals, as sync would bring them).
 */
function simulate(slots: bigint, isolated: (slot: bigint) => ReadonlySet<number> = () => new Set()) {
  const blocks = new Map<string, SimBlock>();
  const trackers = accounts.map((self) => new FinalityTracker({ chainId, genesis: { hash: genesisHash }, self }));
  const inboxes: Message[][] = accounts.map(() => []);
  const candidates: SimBlock[][] = accounts.map(() => []);
  const ancestry = (hash: Uint8Array): EpochBlock[] => {
    const out: EpochBlock[] = [];
    for (let b = blocks.get(bytesToHex(hash)); b !== undefined; b = blocks.get(bytesToHex(b.tracked.parentHash))) {
      out.push({ slot: b.tracked.slot, vrfOutput: b.seal.vrfOutput });
    }
    return out;
  };
  const contextOn = (parentHash: Uint8Array, slot: bigint): EpochContext => {
    const epoch = epochOfSlot(slot, params);
    const state = epochStateAt(genesisHash, ancestry(parentHash), epoch, params);
    return { ...state, weights: workWeights(epoch, validators, work, params) };
  };
  const receive = (node: number, message: Message) => {
    const tracker = trackers[node] as FinalityTracker;
    if ('attestation' in message) {
      tracker.addAttestation(message.attestation, { verified: true });
      return;
    }
    const { tracked, seal, extraData } = message.block;
    const context = contextOn(tracked.parentHash, tracked.slot);
    checkSeal(seal, { hash: tracked.hash, extraData }, { ...context, chainId, params, expectedSlot: tracked.slot });
    tracker.addBlock(tracked);
    candidates[node]?.push(message.block);
  };
  const deliver = (slot: bigint) => {
    const cut = isolated(slot);
    for (const [node, inbox] of inboxes.entries()) {
      const waiting: Message[] = [];
      for (const message of inbox) {
        if (cut.has(node) === cut.has(message.from)) receive(node, message);
        else waiting.push(message);
      }
      inboxes[node] = waiting;
    }
  };
  const broadcast = (from: number, message: Message) => {
    for (const [node, inbox] of inboxes.entries()) if (node !== from) inbox.push(message);
  };
  const lags: bigint[][] = accounts.map(() => []);
  const finalizedBySlot: bigint[][] = [];
  let namedWork = 0;
  for (let slot = 1n; slot <= slots; slot++) {
    deliver(slot);
    // 1. every validator draws a ticket on its own head; an eligible one seals and broadcasts
    for (const [i, key] of keys.entries()) {
      const parent = (trackers[i] as FinalityTracker).head();
      const context = contextOn(parent.hash, slot);
      const ticket = drawTicket({ secretKey: key, nodeId: nodeIds[i] as string, slot, context, params });
      if (ticket === null) continue;
      const extraData = ticketCommitment(ticket);
      const hash = keccak_256(concatBytes(parent.hash, extraData)); // stands in for keccak256(header RLP)
      const seal = signSeal(ticket, hash, key, chainId);
      const committee = selectCommittee({
        ...{ randomness: context.randomness, slot, proposer: seal.proposer },
        ...{ validators, maxSize: params.committeeMaxSize },
      });
      const tracked: TrackedBlock = {
        ...{ hash, parentHash: parent.hash, number: parent.number + 1n, slot, proposer: seal.proposer },
        ...{ vrfOutput: seal.vrfOutput, proposerSignature: seal.signature, committee },
      };
      const block = { tracked, seal, extraData };
      blocks.set(bytesToHex(hash), block);
      receive(i, { from: i, block });
      broadcast(i, { from: i, block });
      if (ticket.jobId !== 0n) namedWork++;
    }
    deliver(slot);
    // 2. committee members attest what they received, lowest VRF output first (one block per slot)
    for (const [i, tracker] of trackers.entries()) {
      const seen = (candidates[i] ?? []).sort((a, b) => compareVrfOutputs(a.seal.vrfOutput, b.seal.vrfOutput));
      candidates[i] = [];
      for (const block of seen) {
        if (!tracker.shouldAttest(block.tracked.hash)) continue;
        tracker.markAttested(block.tracked.hash);
        const attestation = signAttestation({
          ...{ secretKey: keys[i] as Uint8Array, validator: accounts[i] as Address, chainId },
          ...{ slot: block.tracked.slot, blockHash: block.tracked.hash, valid: true },
        });
        tracker.addAttestation(attestation, { verified: true });
        broadcast(i, { from: i, attestation });
      }
    }
    deliver(slot);
    for (const [i, tracker] of trackers.entries()) lags[i]?.push(tracker.finalityLagBlocks());
    finalizedBySlot.push(trackers.map((t) => t.finalized().number));
    // safety: whatever each node has finalized lies on one chain
    const finalized = trackers.map((t) => t.finalized()).sort((a, b) => Number(a.number - b.number));
    const top = finalized[finalized.length - 1] as TrackedBlock;
    const onTopChain = new Set(ancestry(top.hash).map((b) => b.slot));
    for (const f of finalized) if (f.number > 0n) expect(onTopChain.has(f.slot)).toBe(true);
  }
  return { trackers, lags, namedWork, finalizedBySlot };
}

function expectOneChain(trackers: FinalityTracker[]) {
  const finalized = new Set(trackers.map((t) => bytesToHex(t.finalized().hash)));
  const heads = new Set(trackers.map((t) => bytesToHex(t.head().hash)));
  expect(finalized.size).toBe(1);
  expect(heads.size).toBe(1);
}

describe('consensus simulation (4 validators, pure core end to end)', () => {
  it('produces, checks and finalizes blocks on every node, one finalized chain, lag ≤ 2 blocks', () => {
    const { trackers, lags, namedWork } = simulate(3n * params.slotsPerEpoch);
    expectOneChain(trackers);
    // 3 epochs of 8 one-second slots at a 0.5 blocks/s target: about 12 blocks, all final but the last one or two
    expect(trackers[0]?.finalized().number).toBeGreaterThanOrEqual(4n);
    expect(lags.flat().every((lag) => lag <= 2n)).toBe(true);
    expect(namedWork).toBeGreaterThan(0);
  }, 90_000);

  it('a partitioned validator falls behind, the other three keep finalizing, and it converges after the heal', () => {
    const cut = new Set([3]);
    const healAt = 2n * params.slotsPerEpoch;
    const { trackers, lags, finalizedBySlot } = simulate(healAt + 8n, (slot) =>
      slot >= 4n && slot < healAt ? cut : new Set(),
    );
    expectOneChain(trackers);
    // just before the heal the cut-off node is behind the others' finality
    const [f0, , , f3] = finalizedBySlot[Number(healAt) - 2] as bigint[];
    expect(f3).toBeLessThan(f0 as bigint);
    const majority = lags.slice(0, 3).flat();
    expect(majority.every((lag) => lag <= 2n)).toBe(true);
    expect(trackers[3]?.finalized().number).toBeGreaterThanOrEqual(4n);
  }, 90_000);
});
