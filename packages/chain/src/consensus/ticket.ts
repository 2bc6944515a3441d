/**
 * Proposer tickets: per slot, alpha = keccak256("AIC-PoV-ticket" ‖ epochRandomness ‖ slot); the proposer's VRF
 * output beta makes it eligible iff beta / 2^256 < threshold × w / W, where w is the weight the ticket proves
 * (work.ts) and W the epoch's total. threshold / THRESHOLD_ONE is the expected number of eligible proposers per
 * slot (retarget.ts holds it at the target block rate). Nobody can compute another node's beta: only its key can.
 */

import { bytesToNumberBE, concatBytes, numberToBytesBE } from '@noble/curves/utils.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { ChainError } from '../errors.ts';
import { THRESHOLD_ONE } from './params.ts';

const TICKET_TAG = new TextEncoder().encode('AIC-PoV-ticket');
const TWO_256 = 1n << 256n;

/** The VRF input of `slot` under an epoch's randomness. */
export function ticketAlpha(epochRandomness: Uint8Array, slot: bigint): Uint8Array {
  if (epochRandomness.length !== 32) {
    throw new ChainError('CHAIN_CONSENSUS_INPUT', 'epoch randomness is 32 bytes', {
      details: { length: epochRandomness.length },
    });
  }
  return keccak_256(concatBytes(TICKET_TAG, epochRandomness, numberToBytesBE(slot, 8)));
}

/**
 * Is a VRF output below the threshold for weight `weight` of `totalWeight`? Exact integer comparison:
 * beta × W × ONE < threshold × w × 2^256 (the probability is min(1, threshold × w / W / ONE)).
 */
export function isEligible(vrfOutput: Uint8Array, weight: bigint, totalWeight: bigint, threshold: bigint): boolean {
  if (weight <= 0n || totalWeight <= 0n) return false;
  return bytesToNumberBE(vrfOutput) * totalWeight * THRESHOLD_ONE < threshold * weight * TWO_256;
}

/** The chance (0..1) that one slot's ticket of weight `weight` is eligible; for simulations and metrics. */
export function eligibilityProbability(weight: bigint, totalWeight: bigint, threshold: bigint): number {
  if (weight <= 0n || totalWeight <= 0n) return 0;
  return Math.min(1, (Number(threshold) / Number(THRESHOLD_ONE)) * (Number(weight) / Number(totalWeight)));
}

/** Orders competing eligible proposals of one slot: the lowest VRF output wins (negative when `a` wins). */
export function compareVrfOutputs(a: Uint8Array, b: Uint8Array): number {
  const x = bytesToNumberBE(a);
  const y = bytesToNumberBE(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
