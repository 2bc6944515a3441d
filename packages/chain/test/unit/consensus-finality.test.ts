import { isAicError } from '@aic/core';
import { addressFromPrivateKey } from '@aic/network';
import { keccak_256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { type Address, bytesToHex, decodeAbiParameters, recoverAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  type Attestation,
  decodeAttestation,
  encodeAttestation,
  signAttestation,
} from '../../src/consensus/attestation.ts';
import { quorumOf, selectCommittee } from '../../src/consensus/committee.ts';
import { attestationDigest, proposalDigest, signDigest } from '../../src/consensus/digests.ts';
import {
  checkEquivocation,
  checkInvalidBlockEvidence,
  encodeEquivocationEvidence,
  encodeInvalidBlockEvidence,
} from '../../src/consensus/evidence.ts';
import { FinalityTracker, type TrackedBlock } from '../../src/consensus/finality.ts';

const chainId = 7777n;
const keys = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => keccak_256(Uint8Array.of(i)));
const accounts = keys.map((k) => addressFromPrivateKey(k));
const keyOf = new Map(accounts.map((a, i) => [a, keys[i] as Uint8Array]));
const validators4 = accounts.slice(0, 4).map((address) => ({ address, genesis: true }));
const randomness = keccak_256(Uint8Array.of(42));
const genesisHash = keccak_256(Uint8Array.of(0));

function block(
  parent: TrackedBlock | { hash: Uint8Array; number: bigint },
  slot: bigint,
  proposerIndex: number,
  tag = 0,
): TrackedBlock {
  const proposer = accounts[proposerIndex] as Address;
  const hash = keccak_256(new TextEncoder().encode(`${bytesToHex(parent.hash)}/${slot}/${proposerIndex}/${tag}`));
  return {
    hash,
    parentHash: parent.hash,
    number: parent.number + 1n,
    slot,
    proposer,
    vrfOutput: keccak_256(hash),
    proposerSignature: signDigest(keyOf.get(proposer) as Uint8Array, proposalDigest(chainId, slot, hash)),
    committee: selectCommittee({ randomness, slot, proposer, validators: validators4, maxSize: 7 }),
  };
}

const attest = (b: TrackedBlock, who: Address, valid = true): Attestation =>
  signAttestation({
    secretKey: keyOf.get(who) as Uint8Array,
    validator: who,
    chainId,
    slot: b.slot,
    blockHash: b.hash,
    valid,
  });

const genesis = { hash: genesisHash, number: 0n };

describe('committees', () => {
  it('are min(n − 1, max) validators, exclude the proposer, and do not depend on list order', () => {
    const c = selectCommittee({
      randomness,
      slot: 5n,
      proposer: accounts[0] as Address,
      validators: validators4,
      maxSize: 7,
    });
    expect(c).toHaveLength(3);
    expect(c).not.toContain(accounts[0]);
    const reversed = selectCommittee({
      randomness,
      slot: 5n,
      proposer: accounts[0] as Address,
      validators: [...validators4].reverse(),
      maxSize: 7,
    });
    expect(reversed).toEqual(c);
    const all8 = accounts.map((address) => ({ address, genesis: true }));
    const big = selectCommittee({
      randomness,
      slot: 5n,
      proposer: accounts[0] as Address,
      validators: all8,
      maxSize: 5,
    });
    expect(new Set(big).size).toBe(5);
    expect([quorumOf(3), quorumOf(5), quorumOf(7), quorumOf(0)]).toEqual([2, 4, 5, 0]);
  });

  it('draw by stake: a validator with almost all stake is nearly always drawn first', () => {
    const weighted = validators4.map((v, i) => ({ ...v, stake: i === 3 ? 10n ** 18n : 1n }));
    let first = 0;
    for (let slot = 0n; slot < 50n; slot++) {
      const c = selectCommittee({
        randomness,
        slot,
        proposer: accounts[0] as Address,
        validators: weighted,
        maxSize: 1,
      });
      if (c[0] === accounts[3]) first++;
    }
    expect(first).toBe(50);
  });
});

describe('FinalityTracker', () => {
  it('finalizes a block at ⌈2/3⌉ of its committee, keeps the lag ≤ 1 when attestations come in time', () => {
    const tracker = new FinalityTracker({ chainId, genesis });
    let parent: TrackedBlock | typeof genesis = genesis;
    for (let slot = 1n; slot <= 6n; slot++) {
      const b = block(parent, slot, Number(slot % 4n));
      tracker.addBlock(b);
      expect(tracker.head().hash).toEqual(b.hash);
      const [m1, m2] = b.committee as [Address, Address];
      expect(tracker.addAttestation(attest(b, m1))).toBe('counted');
      expect(tracker.isFinalized(b.hash)).toBe(false);
      expect(tracker.finalityLagBlocks()).toBeLessThanOrEqual(2n);
      expect(tracker.addAttestation(attest(b, m2))).toBe('counted');
      expect(tracker.isFinalized(b.hash)).toBe(true);
      expect(tracker.finalityLagBlocks()).toBe(0n);
      parent = b;
    }
    expect(tracker.finalized().number).toBe(6n);
  });

  it('holds attestations for unknown blocks, rejects outsiders and bad signatures', () => {
    const tracker = new FinalityTracker({ chainId, genesis });
    const b = block(genesis, 1n, 0);
    const [m1, m2] = b.committee as [Address, Address];
    expect(tracker.addAttestation(attest(b, m1))).toBe('pending');
    expect(tracker.addAttestation(attest(b, m1))).toBe('duplicate');
    tracker.addAttestation(attest(b, m2));
    tracker.addBlock(b);
    expect(tracker.isFinalized(b.hash)).toBe(true);
    expect(tracker.addAttestation(attest(b, accounts[0] as Address))).toBe('not-in-committee');
    const forged = { ...attest(b, m1), validator: m2 };
    expect(() => tracker.addAttestation(forged)).toThrow(
      expect.objectContaining({ code: 'CHAIN_ATTESTATION_INVALID' }),
    );
    expect(decodeAttestation(encodeAttestation(attest(b, m1)))).toEqual(attest(b, m1));
  });

  it('fork choice: lowest VRF output between equal siblings, then the most attested; finality prunes the loser', () => {
    const tracker = new FinalityTracker({ chainId, genesis });
    const a = block(genesis, 1n, 0);
    const b = block(genesis, 1n, 1);
    tracker.addBlock(a);
    tracker.addBlock(b);
    const byVrf = BigInt(bytesToHex(a.vrfOutput)) < BigInt(bytesToHex(b.vrfOutput)) ? a : b;
    const other = byVrf === a ? b : a;
    expect(tracker.head().hash).toEqual(byVrf.hash);
    tracker.addAttestation(attest(other, other.committee[0] as Address));
    expect(tracker.head().hash).toEqual(other.hash);
    tracker.addAttestation(attest(other, other.committee[1] as Address));
    expect(tracker.isFinalized(other.hash)).toBe(true);
    // the loser's branch conflicts with finality: attestations for it never finalize it
    for (const who of byVrf.committee) tracker.addAttestation(attest(byVrf, who));
    expect(tracker.isFinalized(byVrf.hash)).toBe(false);
    expect(tracker.head().hash).toEqual(other.hash);
  });

  it('voting rules: one block per slot, and only the locked branch until it dies or lapses', () => {
    const me = accounts[2] as Address;
    const tracker = new FinalityTracker({ chainId, genesis, self: me, unlockAfterSlots: 10n });
    // blocks whose committee includes `me` (3 of 4 validators, so most do)
    const a = block(genesis, 1n, 0);
    const a2 = block(genesis, 1n, 0, 1); // the same proposer's second block for slot 1: equivocation
    const b = block(genesis, 2n, 1); // a sibling branch from genesis
    const far = block(genesis, 20n, 3);
    for (const x of [a, a2, b, far]) tracker.addBlock(x);
    expect(a.committee).toContain(me);
    expect(tracker.shouldAttest(a.hash)).toBe(true);
    tracker.markAttested(a.hash);
    expect(tracker.shouldAttest(a2.hash)).toBe(false); // same slot
    expect(b.committee).toContain(me);
    expect(tracker.shouldAttest(b.hash)).toBe(false); // conflicts with the lock
    expect(far.committee).toContain(me);
    expect(tracker.shouldAttest(far.hash)).toBe(true); // the lock lapsed after 10 slots
    tracker.markAttested(far.hash);
    expect(tracker.shouldAttest(far.hash)).toBe(true); // idempotent until its own attestation is counted
    const [evidence] = tracker.equivocationEvidence();
    expect(evidence?.proposer).toBe(accounts[0]);
  });

  it('equivocation evidence verifies, encodes for the contract and recovers with ecrecover semantics (viem)', async () => {
    const tracker = new FinalityTracker({ chainId, genesis });
    const a = block(genesis, 3n, 1);
    const a2 = block(genesis, 3n, 1, 7);
    tracker.addBlock(a);
    const { equivocation } = tracker.addBlock(a2);
    if (equivocation === undefined) throw new Error('no equivocation found');
    checkEquivocation(equivocation, chainId);
    expect(() => checkEquivocation({ ...equivocation, blockHashB: equivocation.blockHashA }, chainId)).toThrow(
      /one block/,
    );
    expect(() => checkEquivocation({ ...equivocation, signatureB: a.proposerSignature }, chainId)).toThrow(
      expect.objectContaining({ code: 'CHAIN_EVIDENCE_INVALID' }),
    );
    const [slot, hashA, sigA] = decodeAbiParameters(
      [{ type: 'uint64' }, { type: 'bytes32' }, { type: 'bytes' }, { type: 'bytes32' }, { type: 'bytes' }],
      encodeEquivocationEvidence(equivocation),
    );
    expect(slot).toBe(3n);
    const signer = await recoverAddress({
      hash: proposalDigest(chainId, slot, Buffer.from(hashA.slice(2), 'hex')),
      signature: sigA,
    });
    expect(signer).toBe(accounts[1]);
    const attDigest = attestationDigest(chainId, 3n, a.hash, false);
    expect(
      await recoverAddress({
        hash: attDigest,
        signature: bytesToHex(attest(a, accounts[2] as Address, false).signature),
      }),
    ).toBe(accounts[2]);
  });

  it('rejections by ⌈2/3⌉ of the committee mark a block and its descendants invalid, with evidence', () => {
    const tracker = new FinalityTracker({ chainId, genesis });
    const bad = block(genesis, 1n, 0);
    const child = block(bad, 2n, 1);
    tracker.addBlock(bad);
    tracker.addBlock(child);
    const rejecters = bad.committee.slice(0, 2);
    for (const who of rejecters) tracker.addAttestation(attest(bad, who, false));
    expect(tracker.isInvalid(bad.hash)).toBe(true);
    expect(tracker.isInvalid(child.hash)).toBe(true);
    expect(tracker.head().hash).toEqual(genesisHash);
    const evidence = tracker.invalidBlockEvidence(bad.hash, 'CHAIN_BAD_STATE_ROOT');
    if (evidence === undefined) throw new Error('no evidence');
    const staked = { validators: accounts.slice(0, 4), committeeMaxSize: 7 };
    checkInvalidBlockEvidence(evidence, chainId, staked);
    expect(() =>
      checkInvalidBlockEvidence({ ...evidence, rejections: evidence.rejections.slice(0, 1) }, chainId, staked),
    ).toThrow(/too few/);
    const [, , , sigs] = decodeAbiParameters(
      [{ type: 'uint64' }, { type: 'bytes32' }, { type: 'bytes' }, { type: 'bytes[]' }],
      encodeInvalidBlockEvidence(evidence),
    );
    expect(sigs).toHaveLength(2);
  });

  it('property: the finalized and head blocks do not depend on the order attestations arrive in', () => {
    // one fixed tree: a chain of 5 with a fork at height 2, and every committee member's attestation
    const b1 = block(genesis, 1n, 0);
    const b2 = block(b1, 2n, 1);
    const f2 = block(b1, 2n, 2);
    const b3 = block(b2, 3n, 3);
    const f3 = block(f2, 4n, 0);
    const b4 = block(b3, 5n, 1);
    const blocks = [b1, b2, f2, b3, f3, b4];
    const attestations = blocks.flatMap((b) =>
      b.committee.slice(0, b === f3 || b === f2 ? 1 : 2).map((who) => attest(b, who)),
    );
    const outcome = (order: number[]) => {
      const tracker = new FinalityTracker({ chainId, genesis });
      for (const b of blocks) tracker.addBlock(b);
      for (const i of order) tracker.addAttestation(attestations[i] as Attestation, { verified: true });
      return [bytesToHex(tracker.finalized().hash), bytesToHex(tracker.head().hash)];
    };
    const expected = outcome(attestations.map((_, i) => i));
    expect(expected).toEqual([bytesToHex(b4.hash), bytesToHex(b4.hash)]);
    fc.assert(
      fc.property(fc.shuffledSubarray([...attestations.keys()], { minLength: attestations.length }), (order) => {
        expect(outcome(order)).toEqual(expected);
      }),
      { numRuns: 40, seed: 17 },
    );
  });
});

describe('typed errors', () => {
  it('an attestation with a bad encoding is CHAIN_ATTESTATION_INVALID', () => {
    try {
      decodeAttestation(Uint8Array.of(0xc1, 0x80));
      throw new Error('decoded');
    } catch (error) {
      expect(isAicError(error, 'CHAIN_ATTESTATION_INVALID')).toBe(true);
    }
  });
});
