/**
 * Committee attestations: `valid` true attests a block (its seal checked and its transactions re-executed to the
 * header's state root), false rejects it (re-execution failed). Signed over the EIP-712 `Attestation` digest
 * (digests.ts), so ≥ 2/3 rejections are slashing evidence the ValidatorStakes contract checks with ecrecover.
 * Wire form (gossip): RLP([blockHash, slot, validator, valid (0x01 / empty), signature]).
 */
import { RLP } from '@ethereumjs/rlp';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { type Address, bytesToHex, getAddress, hexToBytes } from 'viem';
import { ChainError } from '../errors.ts';
import { attestationDigest, recoverSigner, signDigest } from './digests.ts';

export interface Attestation {
  readonly blockHash: Uint8Array;
  readonly slot: bigint;
  readonly validator: Address;
  readonly valid: boolean;
  readonly signature: Uint8Array;
}

/** The attestation (or, with `valid` false, the rejection) of `blockHash` at `slot` by the key's account. */
export function signAttestation(input: {
  secretKey: Uint8Array;
  validator: Address;
  chainId: bigint;
  slot: bigint;
  blockHash: Uint8Array;
  valid: boolean;
}): Attestation {
  const digest = attestationDigest(input.chainId, input.slot, input.blockHash, input.valid);
  return {
    blockHash: input.blockHash,
    slot: input.slot,
    validator: getAddress(input.validator),
    valid: input.valid,
    signature: signDigest(input.secretKey, digest),
  };
}

/** Checks that the attestation's signature recovers its validator; CHAIN_ATTESTATION_INVALID otherwise. */
export function verifyAttestation(attestation: Attestation, chainId: bigint): void {
  let signer: Address;
  try {
    const digest = attestationDigest(chainId, attestation.slot, attestation.blockHash, attestation.valid);
    signer = recoverSigner(digest, attestation.signature).address;
  } catch (cause) {
    throw new ChainError('CHAIN_ATTESTATION_INVALID', 'attestation signature does not recover', { cause });
  }
  if (signer !== getAddress(attestation.validator)) {
    throw new ChainError('CHAIN_ATTESTATION_INVALID', 'attestation is not signed by its validator', {
      details: { validator: attestation.validator, signer },
    });
  }
}

/** Encodes an attestation for gossip. */
export function encodeAttestation(attestation: Attestation): Uint8Array {
  return RLP.encode([
    attestation.blockHash,
    attestation.slot === 0n ? new Uint8Array() : numberToBytesBE(attestation.slot, 8),
    hexToBytes(getAddress(attestation.validator)),
    attestation.valid ? Uint8Array.of(1) : new Uint8Array(),
    attestation.signature,
  ]);
}

/** Decodes {@link encodeAttestation}'s bytes (shape only; {@link verifyAttestation} checks the signature). */
export function decodeAttestation(bytes: Uint8Array): Attestation {
  let list: unknown;
  try {
    list = RLP.decode(bytes);
  } catch (cause) {
    throw new ChainError('CHAIN_ATTESTATION_INVALID', 'attestation bytes are not RLP', { cause });
  }
  if (!Array.isArray(list) || list.length !== 5 || !list.every((item) => item instanceof Uint8Array)) {
    throw new ChainError('CHAIN_ATTESTATION_INVALID', 'an attestation is an RLP list of 5 byte strings');
  }
  const [blockHash, slot, validator, valid, signature] = list as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  const validFlag = valid.length === 0 ? false : valid.length === 1 && valid[0] === 1 ? true : undefined;
  if (
    blockHash.length !== 32 ||
    slot.length > 8 ||
    validator.length !== 20 ||
    signature.length !== 65 ||
    validFlag === undefined
  ) {
    throw new ChainError('CHAIN_ATTESTATION_INVALID', 'attestation fields have the wrong sizes');
  }
  return {
    blockHash,
    slot: slot.length === 0 ? 0n : bytesToNumberBE(slot),
    validator: getAddress(bytesToHex(validator)),
    valid: validFlag,
    signature,
  };
}
