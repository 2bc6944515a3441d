import { isAicError } from '@aic/core';
import { minimalPreset } from '@aic/core/params';
import { addressFromPrivateKey, peerIdFromPrivateKey } from '@aic/network';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { genesisEpochState } from '../../src/consensus/epoch.ts';
import { nodeIdOfPublicKey } from '../../src/consensus/node-id.ts';
import { consensusParams, THRESHOLD_ONE } from '../../src/consensus/params.ts';
import { decodeSeal, encodeSeal, type PovSeal, ticketCommitment } from '../../src/consensus/seal.ts';
import { checkSeal, drawTicket, type EpochContext, signSeal } from '../../src/consensus/sealing.ts';
import { isEligible, ticketAlpha } from '../../src/consensus/ticket.ts';
import { vrfProofToHash, vrfProve, vrfPublicKey } from '../../src/consensus/vrf.ts';
import { type WorkItem, workWeights } from '../../src/consensus/work.ts';

const chainId = 7777n;
const params = consensusParams(minimalPreset.pov, chainId);
const keys = [1, 2, 3, 4].map((i) => keccak_256(Uint8Array.of(i)));
const accounts = keys.map((k) => addressFromPrivateKey(k));
const nodeIds = keys.map((k) => peerIdFromPrivateKey(k).toString());
const key0 = keys[0] as Uint8Array;
const validators = accounts.map((address, i) => ({ address, genesis: i < 3 }));

// Epoch 4 (minimal: lookback 2, window 4) weighs work verified in epochs 0..2.
const epoch = 4n;
const work: WorkItem[] = [
  {
    nodeAccount: accounts[0] as `0x${string}`,
    jobId: 11n,
    modelId: 5n,
    sessionId: 2n,
    flops: 10n ** 10n,
    verifiedEpoch: 1n,
  },
  {
    nodeAccount: accounts[1] as `0x${string}`,
    jobId: 12n,
    modelId: 5n,
    sessionId: 1n,
    flops: 10n ** 10n,
    verifiedEpoch: 2n,
  },
  // outside the window: ignored
  {
    nodeAccount: accounts[1] as `0x${string}`,
    jobId: 13n,
    modelId: 5n,
    sessionId: 1n,
    flops: 10n ** 12n,
    verifiedEpoch: 3n,
  },
];
const weights = workWeights(epoch, validators, work, params);
const randomness = genesisEpochState(new Uint8Array(32).fill(9), params).randomness;
// Four expected proposers per slot: every ticket of a validator holding a share is eligible in these tests.
const context: EpochContext = { epoch, randomness, threshold: 4n * THRESHOLD_ONE * 10n, weights };
const checkContext = { ...context, chainId, params };
const slot = epoch * params.slotsPerEpoch + 3n;

function sealed(ticket: PovSeal, key = key0) {
  const extraData = ticketCommitment(ticket);
  const hash = keccak_256(Uint8Array.of(...extraData, 1, 2, 3)); // stands in for keccak256(header RLP)
  return { seal: signSeal(ticket, hash, key, chainId), header: { hash, extraData } };
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(isAicError(error, code), String(error)).toBe(true);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('PoV seals', () => {
  const ticket = drawTicket({ secretKey: key0, nodeId: nodeIds[0] as string, slot, context, params });

  it('node ids are the libp2p PeerIds of the account keys', () => {
    for (const [i, k] of keys.entries()) expect(nodeIdOfPublicKey(vrfPublicKey(k))).toBe(nodeIds[i]);
  });

  it('weighs verified work in the window plus the genesis bootstrap', () => {
    const bootstrap = params.bootstrapWeightFlops;
    expect(weights.weightOf.get((accounts[0] as string).toLowerCase())).toBe(10n ** 10n + bootstrap);
    expect(weights.weightOf.get((accounts[3] as string).toLowerCase())).toBe(0n);
    expect(weights.totalWeight).toBe(2n * 10n ** 10n + 3n * bootstrap);
    expect(weights.items.size).toBe(2);
  });

  it('a drawn ticket names the proposer’s work; the sealed block passes the check and the seal round-trips', () => {
    expect(ticket).not.toBeNull();
    const t = ticket as PovSeal;
    expect([t.jobId, t.modelId, t.sessionId, t.epoch]).toEqual([11n, 5n, 2n, epoch]);
    const { seal, header } = sealed(t);
    const checked = checkSeal(seal, header, { ...checkContext, expectedSlot: slot });
    expect(checked.proposer).toBe(accounts[0]);
    expect(checked.work?.jobId).toBe(11n);
    expect(decodeSeal(encodeSeal(seal))).toEqual(seal);
  });

  it('rejects a seal signed over another header, by another key, or whose header lacks the commitment', () => {
    const { seal, header } = sealed(ticket as PovSeal);
    expectCode(() => checkSeal(seal, { ...header, hash: keccak_256(header.hash) }, checkContext), 'CHAIN_SEAL_SIGNER');
    const forged = sealed(ticket as PovSeal, keys[1]);
    expectCode(() => checkSeal(forged.seal, forged.header, checkContext), 'CHAIN_SEAL_SIGNER');
    expectCode(
      () => checkSeal(seal, { ...header, extraData: new Uint8Array(32) }, checkContext),
      'CHAIN_SEAL_COMMITMENT',
    );
    expectCode(() => checkSeal(seal, header, { ...checkContext, expectedSlot: slot + 1n }), 'CHAIN_SEAL_SLOT');
  });

  it('rejects a VRF proof of another slot or epoch randomness, and a foreign node id', () => {
    const t = ticket as PovSeal;
    const other = drawTicket({ secretKey: key0, nodeId: t.nodeId, slot: slot + 1n, context, params }) as PovSeal;
    const moved = sealed({ ...other, slot });
    expectCode(() => checkSeal(moved.seal, moved.header, checkContext), 'CHAIN_SEAL_VRF');
    const { seal, header } = sealed(t);
    expectCode(() => checkSeal(seal, header, { ...checkContext, randomness: new Uint8Array(32) }), 'CHAIN_SEAL_VRF');
    const wrongNode = sealed({ ...t, nodeId: nodeIds[1] as string });
    expectCode(() => checkSeal(wrongNode.seal, wrongNode.header, checkContext), 'CHAIN_SEAL_NODE_ID');
  });

  it('rejects work that does not exist, is another node’s, or is outside the window', () => {
    const t = ticket as PovSeal;
    for (const named of [
      { jobId: 99n, modelId: 5n, sessionId: 2n },
      { jobId: 12n, modelId: 5n, sessionId: 1n }, // accounts[1]'s work
      { jobId: 13n, modelId: 5n, sessionId: 1n }, // verified after the window
    ]) {
      const { seal, header } = sealed({ ...t, ...named });
      expectCode(() => checkSeal(seal, header, checkContext), 'CHAIN_SEAL_UNKNOWN_WORK');
    }
    // A bootstrap ticket needs a genesis validator: accounts[3] is not one.
    const key3 = keys[3] as Uint8Array;
    const t3 = drawTicket({ secretKey: key3, nodeId: nodeIds[3] as string, slot, context, params });
    expect(t3).toBeNull(); // no work and no bootstrap weight: never eligible
    const vrfProof = vrfProve(key3, ticketAlpha(randomness, slot));
    const forced = sealed(
      {
        ...t,
        ...{
          proposer: accounts[3] as `0x${string}`,
          nodeId: nodeIds[3] as string,
          jobId: 0n,
          modelId: 0n,
          sessionId: 0n,
        },
        ...{ vrfProof, vrfOutput: vrfProofToHash(vrfProof) },
      },
      key3,
    );
    expectCode(() => checkSeal(forced.seal, forced.header, checkContext), 'CHAIN_SEAL_UNKNOWN_WORK');
  });

  it('rejects a ticket above the threshold for its weight', () => {
    const { seal, header } = sealed(ticket as PovSeal);
    const low = { ...checkContext, threshold: 1n };
    expectCode(() => checkSeal(seal, header, low), 'CHAIN_SEAL_NOT_ELIGIBLE');
  });

  it('decodes nothing malformed', () => {
    const bytes = encodeSeal(sealed(ticket as PovSeal).seal);
    for (const bad of [
      new Uint8Array(),
      Uint8Array.of(0xc0),
      bytes.subarray(0, bytes.length - 1),
      Uint8Array.of(1, 2, 3),
    ]) {
      expectCode(() => decodeSeal(bad), 'CHAIN_SEAL_MALFORMED');
    }
  });

  it('eligibility is exact: beta/2^256 < threshold × w/W', () => {
    const half = new Uint8Array(32);
    half[0] = 0x80; // beta = 2^255
    expect(isEligible(half, 1n, 2n, THRESHOLD_ONE)).toBe(false); // 1/2 < 1/2 is false
    expect(isEligible(half, 1n, 2n, THRESHOLD_ONE + 1n)).toBe(true);
    expect(isEligible(half, 0n, 2n, 10n * THRESHOLD_ONE)).toBe(false);
  });
});
