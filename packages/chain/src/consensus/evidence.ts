/**
 * Slashing evidence, ABI-encoded for the ValidatorStakes contract (formats in digests.ts):
 * - equivocation: two Proposal signatures of one proposer for one slot over different header hashes; provable on
 *   chain with ecrecover alone.
 * - invalid block: the signed header plus ≥ quorum rejections (`valid = false` attestations) by distinct staked
 *   validators. What re-execution found (bad state root, failing transaction) cannot be re-run by a contract, so
 *   the rule is that the committee's 2/3 rejection is the proof; `reason` and `header` travel for people and logs.
 */
import { equalBytes } from '@noble/curves/utils.js';
import { type Address, bytesToHex, encodeAbiParameters, getAddress, type Hex } from 'viem';
import { ChainError } from '../errors.ts';
import { type Attestation, verifyAttestation } from './attestation.ts';
import { committeeSizeOf, quorumOf } from './committee.ts';
import { proposalDigest, recoverSigner } from './digests.ts';

export interface EquivocationEvidence {
  readonly proposer: Address;
  readonly slot: bigint;
  readonly blockHashA: Uint8Array;
  readonly signatureA: Uint8Array;
  readonly blockHashB: Uint8Array;
  readonly signatureB: Uint8Array;
}

export interface InvalidBlockEvidence {
  readonly proposer: Address;
  readonly slot: bigint;
  readonly blockHash: Uint8Array;
  /** The header RLP the proposer signed (keccak256 of it is `blockHash`). */
  readonly header: Uint8Array;
  readonly proposerSignature: Uint8Array;
  /** Why re-execution failed (e.g. "CHAIN_BAD_STATE_ROOT"); not checked on chain. */
  readonly reason: string;
  readonly rejections: readonly Attestation[];
}

function invalid(message: string, details: Record<string, unknown> = {}, cause?: unknown): ChainError {
  return new ChainError('CHAIN_EVIDENCE_INVALID', message, cause === undefined ? { details } : { details, cause });
}

function proposerOf(chainId: bigint, slot: bigint, blockHash: Uint8Array, signature: Uint8Array): Address {
  try {
    return recoverSigner(proposalDigest(chainId, slot, blockHash), signature).address;
  } catch (cause) {
    throw invalid('a proposal signature does not recover', { slot }, cause);
  }
}

/** Checks equivocation evidence as the contract does; CHAIN_EVIDENCE_INVALID unless it proves a double proposal. */
export function checkEquivocation(evidence: EquivocationEvidence, chainId: bigint): void {
  if (equalBytes(evidence.blockHashA, evidence.blockHashB)) throw invalid('the two proposals are of one block');
  const a = proposerOf(chainId, evidence.slot, evidence.blockHashA, evidence.signatureA);
  const b = proposerOf(chainId, evidence.slot, evidence.blockHashB, evidence.signatureB);
  if (a !== getAddress(evidence.proposer) || b !== a) {
    throw invalid('the proposals are not both signed by the proposer', { proposer: evidence.proposer, a, b });
  }
}

/** abi.encode(uint64 slot, bytes32 blockHashA, bytes sigA, bytes32 blockHashB, bytes sigB). */
export function encodeEquivocationEvidence(evidence: EquivocationEvidence): Hex {
  return encodeAbiParameters(
    [{ type: 'uint64' }, { type: 'bytes32' }, { type: 'bytes' }, { type: 'bytes32' }, { type: 'bytes' }],
    [
      evidence.slot,
      bytesToHex(evidence.blockHashA),
      bytesToHex(evidence.signatureA),
      bytesToHex(evidence.blockHashB),
      bytesToHex(evidence.signatureB),
    ],
  );
}

/**
 * Checks invalid-block evidence as the contract does: the proposer signed the block, and at least
 * quorumOf(committeeSizeOf(staked validators)) distinct staked validators other than the proposer rejected it.
 */
export function checkInvalidBlockEvidence(
  evidence: InvalidBlockEvidence,
  chainId: bigint,
  staked: { validators: readonly Address[]; committeeMaxSize: number },
): void {
  const proposer = proposerOf(chainId, evidence.slot, evidence.blockHash, evidence.proposerSignature);
  if (proposer !== getAddress(evidence.proposer)) throw invalid('the block is not signed by the proposer');
  const stakedSet = new Set(staked.validators.map((v) => getAddress(v)));
  const rejecters = new Set<Address>();
  for (const rejection of evidence.rejections) {
    if (rejection.valid || rejection.slot !== evidence.slot || !equalBytes(rejection.blockHash, evidence.blockHash)) {
      throw invalid('a rejection is not of this block');
    }
    try {
      verifyAttestation(rejection, chainId);
    } catch (cause) {
      throw invalid('a rejection signature does not recover its validator', {}, cause);
    }
    const who = getAddress(rejection.validator);
    if (who !== proposer && stakedSet.has(who)) rejecters.add(who);
  }
  const needed = quorumOf(committeeSizeOf(stakedSet.size, staked.committeeMaxSize));
  if (needed === 0 || rejecters.size < needed) {
    throw invalid('too few distinct staked rejections', { have: rejecters.size, needed });
  }
}

/** abi.encode(uint64 slot, bytes32 blockHash, bytes proposerSig, bytes[] rejectionSigs). */
export function encodeInvalidBlockEvidence(evidence: InvalidBlockEvidence): Hex {
  return encodeAbiParameters(
    [{ type: 'uint64' }, { type: 'bytes32' }, { type: 'bytes' }, { type: 'bytes[]' }],
    [
      evidence.slot,
      bytesToHex(evidence.blockHash),
      bytesToHex(evidence.proposerSignature),
      evidence.rejections.map((r) => bytesToHex(r.signature)),
    ],
  );
}
