/**
 * The digests PoV validators sign, in a form Solidity's `ecrecover` checks (EIP-712 typed data), so the
 * ValidatorStakes contract can verify slashing evidence on chain with no PoV-specific cryptography.
 *
 * Domain: `EIP712Domain(string name,string version,uint256 chainId)` with name "AIC PoV", version "1" and the PoV
 * chain's chain id (no verifyingContract: the seal exists before any contract is deployed).
 *
 * Types (Solidity writes these strings verbatim into its type hashes):
 *   Proposal(uint64 slot,bytes32 blockHash)              — the proposer's signature in a block's seal
 *   Attestation(uint64 slot,bytes32 blockHash,bool valid) — a committee member's vote; valid = false is a rejection
 * digest = keccak256(0x1901 ‖ domainSeparator ‖ keccak256(abi.encode(TYPEHASH, slot, blockHash[, valid])))
 *
 * `blockHash` is keccak256 of the block's header RLP (`povBlockHash`); the header's `extraData` holds the
 * {@link ticketCommitment} of the seal, so signing the header hash also signs the ticket (work item, VRF proof).
 *
 * Signatures are 65 bytes `r ‖ s ‖ v` with v ∈ {27, 28} and low s (what OpenZeppelin `ECDSA.recover` accepts).
 *
 * Evidence the contract verifies (ABI, see evidence.ts `encode…`):
 *   equivocation: abi.encode(uint64 slot, bytes32 blockHashA, bytes sigA, bytes32 blockHashB, bytes sigB)
 *     — both signatures recover to the same proposer over Proposal(slot, hash) and blockHashA ≠ blockHashB.
 *   invalid block: abi.encode(uint64 slot, bytes32 blockHash, bytes proposerSig, bytes[] rejections)
 *     — proposerSig recovers the proposer over Proposal(slot, blockHash); each rejection recovers a distinct staked
 *     validator (not the proposer) over Attestation(slot, blockHash, false); the rule: at least
 *     `rejectQuorum(min(n − 1, committeeMaxSize))` of them, n the staked validator count (the committee is a subset
 *     of the staked validators, so a committee's 2/3 rejections always meet it; see finality.ts `quorumOf`).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { concatBytes, numberToBytesBE } from '@noble/curves/utils.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { type Address, bytesToHex, getAddress, type Hex, hexToBytes } from 'viem';
import { ChainError } from '../errors.ts';

export const POV_DOMAIN_NAME = 'AIC PoV';
export const POV_DOMAIN_VERSION = '1';

/** The EIP-712 types, exactly as Solidity's `keccak256("Proposal(uint64 slot,bytes32 blockHash)")` spells them. */
export const POV_TYPES = {
  Proposal: [
    { name: 'slot', type: 'uint64' },
    { name: 'blockHash', type: 'bytes32' },
  ],
  Attestation: [
    { name: 'slot', type: 'uint64' },
    { name: 'blockHash', type: 'bytes32' },
    { name: 'valid', type: 'bool' },
  ],
} as const;

export const PROPOSAL_TYPE = 'Proposal(uint64 slot,bytes32 blockHash)';
export const ATTESTATION_TYPE = 'Attestation(uint64 slot,bytes32 blockHash,bool valid)';

const MAX_UINT64 = (1n << 64n) - 1n;
const HALF_ORDER = secp256k1.Point.Fn.ORDER >> 1n;

// The domain separator and type hashes, computed once: a digest is then two keccak256 calls over fixed-size words
// (viem's hashTypedData re-derives all of it per call, ~5x slower; the digests test checks both agree).
const encoder = new TextEncoder();
const DOMAIN_TYPEHASH = keccak_256(encoder.encode('EIP712Domain(string name,string version,uint256 chainId)'));
const PROPOSAL_TYPEHASH = keccak_256(encoder.encode(PROPOSAL_TYPE));
const ATTESTATION_TYPEHASH = keccak_256(encoder.encode(ATTESTATION_TYPE));
const domainSeparators = new Map<bigint, Uint8Array>();

function domainSeparator(chainId: bigint): Uint8Array {
  let separator = domainSeparators.get(chainId);
  if (separator === undefined) {
    if (chainId < 0n || chainId >= 1n << 256n) {
      throw new ChainError('CHAIN_CONSENSUS_INPUT', 'chain id out of uint256 range', { details: { chainId } });
    }
    separator = keccak_256(
      concatBytes(
        DOMAIN_TYPEHASH,
        keccak_256(encoder.encode(POV_DOMAIN_NAME)),
        keccak_256(encoder.encode(POV_DOMAIN_VERSION)),
        numberToBytesBE(chainId, 32),
      ),
    );
    domainSeparators.set(chainId, separator);
  }
  return separator;
}

function typedDigest(chainId: bigint, structHash: Uint8Array): Hex {
  return bytesToHex(keccak_256(concatBytes(Uint8Array.of(0x19, 0x01), domainSeparator(chainId), structHash)));
}

function checkSlotAndHash(slot: bigint, blockHash: Uint8Array): void {
  if (slot < 0n || slot > MAX_UINT64) {
    throw new ChainError('CHAIN_CONSENSUS_INPUT', 'slot out of uint64 range', { details: { slot } });
  }
  if (blockHash.length !== 32) {
    throw new ChainError('CHAIN_CONSENSUS_INPUT', 'block hash must be 32 bytes', {
      details: { length: blockHash.length },
    });
  }
}

/** The digest a proposer signs for the block with header hash `blockHash` at `slot`. */
export function proposalDigest(chainId: bigint, slot: bigint, blockHash: Uint8Array): Hex {
  checkSlotAndHash(slot, blockHash);
  return typedDigest(chainId, keccak_256(concatBytes(PROPOSAL_TYPEHASH, numberToBytesBE(slot, 32), blockHash)));
}

/** The digest a committee member signs: `valid` true attests the block, false rejects it (re-execution failed). */
export function attestationDigest(chainId: bigint, slot: bigint, blockHash: Uint8Array, valid: boolean): Hex {
  checkSlotAndHash(slot, blockHash);
  const validWord = numberToBytesBE(valid ? 1n : 0n, 32);
  return typedDigest(
    chainId,
    keccak_256(concatBytes(ATTESTATION_TYPEHASH, numberToBytesBE(slot, 32), blockHash, validWord)),
  );
}

/** Signs a 32-byte digest (no further hashing) into Ethereum's 65-byte `r ‖ s ‖ v` form. */
export function signDigest(privateKey: Uint8Array, digest: Hex): Uint8Array {
  const recovered = secp256k1.sign(hexToBytes(digest), privateKey, { prehash: false, format: 'recovered' });
  const out = new Uint8Array(65);
  out.set(recovered.subarray(1, 65), 0);
  out[64] = 27 + (recovered[0] ?? 0);
  return out;
}

/** The signer of a 65-byte `r ‖ s ‖ v` signature over `digest`: its address and compressed public key. */
export function recoverSigner(digest: Hex, signature: Uint8Array): { address: Address; publicKey: Uint8Array } {
  if (signature.length !== 65) {
    throw new ChainError('CHAIN_BAD_SIGNATURE', 'a signature is 65 bytes r‖s‖v', {
      details: { length: signature.length },
    });
  }
  const v = signature[64] ?? 0;
  if (v !== 27 && v !== 28) throw new ChainError('CHAIN_BAD_SIGNATURE', 'signature v must be 27 or 28');
  const noble = new Uint8Array(65);
  noble[0] = v - 27;
  noble.set(signature.subarray(0, 64), 1);
  try {
    const parsed = secp256k1.Signature.fromBytes(noble, 'recovered');
    // ecrecover accepts high s, OpenZeppelin's ECDSA does not: reject it here too so both sides agree.
    if (parsed.s > HALF_ORDER) throw new Error('high s');
    const point = parsed.recoverPublicKey(hexToBytes(digest));
    return { address: addressOfPublicKey(point.toBytes(false)), publicKey: point.toBytes(true) };
  } catch (cause) {
    throw new ChainError('CHAIN_BAD_SIGNATURE', 'signature does not recover a signer', { cause });
  }
}

/** The checksummed Ethereum address of a secp256k1 public key (33 or 65 bytes). */
export function addressOfPublicKey(publicKey: Uint8Array): Address {
  const uncompressed = publicKey.length === 65 ? publicKey : secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return getAddress(bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(12)));
}
