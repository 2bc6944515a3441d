/**
 * The committee that attests a block: drawn from the epoch's validators by the epoch randomness and the slot,
 * stake-weighted without replacement, the block's proposer excluded; size min(validators − 1, committeeMaxSize).
 * Every node computes the same committee for a (randomness, slot, proposer) from the same validator list.
 */
import { bytesToNumberBE, concatBytes, numberToBytesBE } from '@noble/curves/utils.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { type Address, getAddress, hexToBytes } from 'viem';
import type { ValidatorEntry } from './work.ts';

const COMMITTEE_TAG = new TextEncoder().encode('AIC-PoV-committee');

/** Attestations a committee of `size` needs to finalize a block: ⌈2/3 · size⌉ (0 for no committee). */
export function quorumOf(size: number): number {
  return Math.ceil((2 * size) / 3);
}

/** The committee size for `validatorCount` validators (proposer included in the count). */
export function committeeSizeOf(validatorCount: number, committeeMaxSize: number): number {
  return Math.max(0, Math.min(validatorCount - 1, committeeMaxSize));
}

/**
 * The committee of the block `proposer` made at `slot`, in draw order.
 * @example selectCommittee({ randomness, slot: 40n, proposer, validators, maxSize: 7 }) // 3 addresses of 4 validators
 */
export function selectCommittee(input: {
  randomness: Uint8Array;
  slot: bigint;
  proposer: Address;
  validators: readonly ValidatorEntry[];
  maxSize: number;
}): Address[] {
  const proposer = getAddress(input.proposer);
  // Sorted by address so the draw does not depend on the order the caller listed validators in.
  const pool = dedupe(input.validators)
    .filter((v) => v.address !== proposer)
    .map((v) => ({ address: v.address, weight: v.stake !== undefined && v.stake > 0n ? v.stake : 1n }))
    .sort((a, b) => (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1));
  const size = Math.min(pool.length, input.maxSize);
  const committee: Address[] = [];
  const seed = concatBytes(COMMITTEE_TAG, input.randomness, numberToBytesBE(input.slot, 8), hexToBytes(proposer));
  for (let draw = 0; draw < size; draw++) {
    let total = 0n;
    for (const member of pool) total += member.weight;
    let point = bytesToNumberBE(keccak_256(concatBytes(seed, numberToBytesBE(draw, 4)))) % total;
    const index = pool.findIndex((member) => {
      if (point < member.weight) return true;
      point -= member.weight;
      return false;
    });
    const [picked] = pool.splice(index, 1);
    if (picked !== undefined) committee.push(picked.address);
  }
  return committee;
}

function dedupe(validators: readonly ValidatorEntry[]): ValidatorEntry[] {
  const seen = new Map<string, ValidatorEntry>();
  for (const v of validators) seen.set(getAddress(v.address), { ...v, address: getAddress(v.address) });
  return [...seen.values()];
}
