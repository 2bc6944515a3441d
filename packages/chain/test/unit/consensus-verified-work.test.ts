/**
 * The verified-work rules: which ComputeMarket job records are a validator's verified work and how much they weigh
 * (verified-work.ts), and the bootstrap rule of workWeights ('always' without a market, 'until-work' with one),
 * down to the seal check refusing a ticket that names unverified or someone else's work.
 */
import { isAicError } from '@aic/core';
import { minimalPreset } from '@aic/core/params';
import { addressFromPrivateKey, peerIdFromPrivateKey } from '@aic/network';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { getAddress, zeroAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { genesisEpochState } from '../../src/consensus/epoch.ts';
import { consensusParams, THRESHOLD_ONE } from '../../src/consensus/params.ts';
import { type PovSeal, ticketCommitment } from '../../src/consensus/seal.ts';
import { checkSeal, drawTicket, type EpochContext, signSeal } from '../../src/consensus/sealing.ts';
import { ticketAlpha } from '../../src/consensus/ticket.ts';
import {
  JOB_STATE_SETTLED,
  JOB_STATE_VERIFYING,
  latestVerdicts,
  type MarketJob,
  workItemOf,
} from '../../src/consensus/verified-work.ts';
import { vrfProofToHash, vrfProve } from '../../src/consensus/vrf.ts';
import { workWeights } from '../../src/consensus/work.ts';

const chainId = 7777n;
const params = consensusParams(minimalPreset.pov, chainId);
const keys = [1, 2, 3, 4].map((i) => keccak_256(Uint8Array.of(40 + i)));
const accounts = keys.map((k) => getAddress(addressFromPrivateKey(k)));
const [alice, bob] = accounts as [`0x${string}`, `0x${string}`];
const verifier = getAddress('0x00000000000000000000000000000000000000aa');
const FLOPS_PER_CHECKPOINT = 10n ** 9n;

const job = (over: Partial<MarketJob> = {}): MarketJob => ({
  jobId: 7n,
  provider: alice,
  modelId: 3n,
  state: JOB_STATE_VERIFYING,
  verifier,
  verdictValid: true,
  checkpointCount: 10n,
  resumeFrom: 0n,
  ...over,
});
const verdict = { jobId: 7n, verifier, verifiedEpoch: 1n };

describe('verified work from ComputeMarket records', () => {
  it('a valid verdict on a Verifying or Settled job weighs its checkpoints × the declared FLOPs', () => {
    expect(workItemOf(job(), verdict, FLOPS_PER_CHECKPOINT)).toEqual({
      nodeAccount: alice,
      jobId: 7n,
      modelId: 3n,
      sessionId: 0n,
      flops: 10n * FLOPS_PER_CHECKPOINT,
      verifiedEpoch: 1n,
    });
    const settled = workItemOf(job({ state: JOB_STATE_SETTLED }), verdict, FLOPS_PER_CHECKPOINT);
    expect(settled?.flops).toBe(10n * FLOPS_PER_CHECKPOINT);
    // A reassigned job's verdict covers the checkpoints from resumeFrom on; the session names that assignment.
    const resumed = workItemOf(job({ resumeFrom: 4n }), verdict, FLOPS_PER_CHECKPOINT);
    expect(resumed).toMatchObject({ sessionId: 4n, flops: 6n * FLOPS_PER_CHECKPOINT });
  });

  it('is not work: an invalid verdict, a disputed or slashed job, another verifier, no provider, nothing trained', () => {
    const none = [
      job({ verdictValid: false }),
      job({ state: 8 }), // Disputed
      job({ state: 9 }), // Slashed
      job({ state: 5 }), // Committed (no verdict yet)
      job({ verifier: bob }),
      job({ provider: zeroAddress }),
      job({ resumeFrom: 10n }),
      job({ jobId: 8n }),
    ];
    for (const j of none) expect(workItemOf(j, verdict, FLOPS_PER_CHECKPOINT)).toBeNull();
    expect(workItemOf(job(), verdict, 0n)).toBeNull();
  });

  it('counts one verdict per job, the newest', () => {
    const newestFirst = [
      { jobId: 1n, verifier, verifiedEpoch: 3n },
      { jobId: 2n, verifier, verifiedEpoch: 2n },
      { jobId: 1n, verifier: bob, verifiedEpoch: 1n },
    ];
    expect(latestVerdicts(newestFirst)).toEqual(newestFirst.slice(0, 2));
  });
});

describe('the bootstrap rule', () => {
  const validators = accounts.map((address) => ({ address, genesis: true }));
  // minimal: lookback 2, window 4 — epoch 3 weighs work verified in epochs 0..1.
  const aliceWork = workItemOf(job(), verdict, FLOPS_PER_CHECKPOINT);
  if (aliceWork === null) throw new Error('unreachable');

  it("'always' (no ComputeMarket): every genesis validator carries the bootstrap weight on top of its work", () => {
    const w = workWeights(3n, validators, [aliceWork], params, 'always');
    expect(w.weightOf.get(alice.toLowerCase())).toBe(aliceWork.flops + params.bootstrapWeightFlops);
    expect(w.weightOf.get(bob.toLowerCase())).toBe(params.bootstrapWeightFlops);
    expect(w.genesis.size).toBe(4);
  });

  it("'until-work': bootstrap only while the window holds no verified work", () => {
    const idle = workWeights(3n, validators, [], params, 'until-work');
    expect(idle.totalWeight).toBe(4n * params.bootstrapWeightFlops);
    expect(idle.bootstrapWeight).toBe(params.bootstrapWeightFlops);
    const busy = workWeights(3n, validators, [aliceWork], params, 'until-work');
    expect(busy.weightOf.get(alice.toLowerCase())).toBe(aliceWork.flops);
    expect(busy.weightOf.get(bob.toLowerCase())).toBe(0n);
    expect(busy.totalWeight).toBe(aliceWork.flops);
    expect(busy.genesis.size).toBe(0);
    expect(busy.bootstrapWeight).toBe(0n);
    // Work outside the window does not switch the bootstrap off.
    const later = workWeights(8n, validators, [aliceWork], params, 'until-work');
    expect(later.bootstrapWeight).toBe(params.bootstrapWeightFlops);
  });

  describe('seals against weights read with work in the window', () => {
    const epoch = 3n;
    const weights = workWeights(epoch, validators, [aliceWork], params, 'until-work');
    const randomness = genesisEpochState(new Uint8Array(32).fill(3), params).randomness;
    // A threshold high enough that any holder of weight is eligible every slot.
    const context: EpochContext = { epoch, randomness, threshold: 1_000n * THRESHOLD_ONE, weights };
    const slot = epoch * params.slotsPerEpoch + 1n;
    const seal = (ticket: PovSeal, key: Uint8Array) => {
      const extraData = ticketCommitment(ticket);
      const hash = keccak_256(extraData);
      return { s: signSeal(ticket, hash, key, chainId), header: { hash, extraData } };
    };
    const check = (ticket: PovSeal, key: Uint8Array) => {
      const { s, header } = seal(ticket, key);
      return checkSeal(s, header, { ...context, chainId, params });
    };
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isAicError(error) ? error.code : String(error);
      }
      return 'accepted';
    };
    const draw = (i: number) =>
      drawTicket({
        secretKey: keys[i] as Uint8Array,
        nodeId: peerIdFromPrivateKey(keys[i] as Uint8Array).toString(),
        slot,
        context,
        params,
      });

    it('the worker draws a ticket naming its verified job and model; every node accepts it', () => {
      const ticket = draw(0);
      expect(ticket).toMatchObject({ jobId: 7n, modelId: 3n, sessionId: 0n });
      expect(check(ticket as PovSeal, keys[0] as Uint8Array).work?.jobId).toBe(7n);
    });

    it('refuses a ticket naming unverified work, someone else’s work, or a bootstrap ticket once work exists', () => {
      expect(draw(1)).toBeNull(); // bob holds no weight: no ticket
      const aliceTicket = draw(0) as PovSeal;
      // Bob's own ticket (his VRF proof for the slot) naming alice's verified job: not his work.
      const bobKey = keys[1] as Uint8Array;
      const vrfProof = vrfProve(bobKey, ticketAlpha(randomness, slot));
      const bobTicket: PovSeal = {
        ...aliceTicket,
        proposer: bob,
        nodeId: peerIdFromPrivateKey(bobKey).toString(),
        vrfProof,
        vrfOutput: vrfProofToHash(vrfProof),
      };
      expect(codeOf(() => check(bobTicket, bobKey))).toBe('CHAIN_SEAL_UNKNOWN_WORK');
      const unverified = { ...aliceTicket, jobId: 99n };
      expect(codeOf(() => check(unverified, keys[0] as Uint8Array))).toBe('CHAIN_SEAL_UNKNOWN_WORK');
      const bootstrap = { ...aliceTicket, jobId: 0n, modelId: 0n, sessionId: 0n };
      expect(codeOf(() => check(bootstrap, keys[0] as Uint8Array))).toBe('CHAIN_SEAL_UNKNOWN_WORK');
    });
  });
});
