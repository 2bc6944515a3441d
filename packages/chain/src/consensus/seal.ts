/**
 * The PoV seal: the proposer's VRF ticket for a slot, the verified work that earned it, and its signature over the
 * block's header hash. Wire form: RLP([version, proposer, nodeId, slot, epoch, jobId, modelId, sessionId,
 * vrfOutput, vrfProof, signature]) in `PovBlock.seal`; the header's `extraData` holds {@link ticketCommitment}
 * (keccak256 of the same list without the signature), so the signed header hash covers the whole ticket.
 */
import { RLP } from '@ethereumjs/rlp';
import { bytesToNumberBE, equalBytes, numberToBytesBE } from '@noble/curves/utils.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { type Address, bytesToHex, getAddress, hexToBytes } from 'viem';
import { ChainError } from '../errors.ts';
import { VRF_OUTPUT_BYTES, VRF_PROOF_BYTES } from './vrf.ts';

export const SEAL_VERSION = 1;
const MAX_NODE_ID_BYTES = 128;

/** A block's seal (see the file comment); a bootstrap ticket names jobId = modelId = sessionId = 0. */
export interface PovSeal {
  readonly proposer: Address;
  /** The proposer's libp2p PeerId string (the same secp256k1 key as `proposer`). */
  readonly nodeId: string;
  readonly slot: bigint;
  readonly epoch: bigint;
  readonly jobId: bigint;
  readonly modelId: bigint;
  readonly sessionId: bigint;
  readonly vrfOutput: Uint8Array;
  readonly vrfProof: Uint8Array;
  /** 65 bytes r ‖ s ‖ v over `proposalDigest(chainId, slot, headerHash)`; empty before signing. */
  readonly signature: Uint8Array;
}

/** Does the seal name verified work (false: a genesis validator's bootstrap ticket)? */
export function namesWork(seal: Pick<PovSeal, 'jobId' | 'modelId' | 'sessionId'>): boolean {
  return seal.jobId !== 0n || seal.modelId !== 0n || seal.sessionId !== 0n;
}

function uint(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 256n) {
    throw new ChainError('CHAIN_CONSENSUS_INPUT', 'seal integers are uint256', { details: { value } });
  }
  return value === 0n ? new Uint8Array() : numberToBytesBE(value, Math.ceil(value.toString(16).length / 2));
}

function unsignedFields(seal: PovSeal): Uint8Array[] {
  return [
    numberToBytesBE(SEAL_VERSION, 1),
    hexToBytes(getAddress(seal.proposer)),
    new TextEncoder().encode(seal.nodeId),
    uint(seal.slot),
    uint(seal.epoch),
    uint(seal.jobId),
    uint(seal.modelId),
    uint(seal.sessionId),
    seal.vrfOutput,
    seal.vrfProof,
  ];
}

/** The 32 bytes a sealed header's `extraData` must hold: keccak256(RLP(seal fields without the signature)). */
export function ticketCommitment(seal: PovSeal): Uint8Array {
  return keccak_256(RLP.encode(unsignedFields(seal)));
}

/** Encodes a seal for `PovBlock.seal`. */
export function encodeSeal(seal: PovSeal): Uint8Array {
  return RLP.encode([...unsignedFields(seal), seal.signature]);
}

/** Decodes {@link encodeSeal}'s bytes; anything malformed or non-canonical is CHAIN_SEAL_MALFORMED. */
export function decodeSeal(bytes: Uint8Array): PovSeal {
  let list: unknown;
  try {
    list = RLP.decode(bytes);
  } catch (cause) {
    throw malformed('seal bytes are not RLP', cause);
  }
  if (!Array.isArray(list) || list.length !== 11 || !list.every((item) => item instanceof Uint8Array)) {
    throw malformed('a seal is an RLP list of 11 byte strings');
  }
  const [version, proposer, nodeId, slot, epoch, jobId, modelId, sessionId, vrfOutput, vrfProof, signature] =
    list as Uint8Array[] as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
  if (version.length !== 1 || version[0] !== SEAL_VERSION) throw malformed('unknown seal version');
  if (proposer.length !== 20) throw malformed('proposer is a 20-byte address');
  if (nodeId.length === 0 || nodeId.length > MAX_NODE_ID_BYTES) throw malformed('node id length');
  if (vrfOutput.length !== VRF_OUTPUT_BYTES) throw malformed('VRF output is 32 bytes');
  if (vrfProof.length !== VRF_PROOF_BYTES) throw malformed('VRF proof is 81 bytes');
  if (signature.length !== 65) throw malformed('signature is 65 bytes');
  let nodeIdText: string;
  try {
    nodeIdText = new TextDecoder('utf-8', { fatal: true }).decode(nodeId);
  } catch (cause) {
    throw malformed('node id is not UTF-8', cause);
  }
  return {
    proposer: getAddress(bytesToHex(proposer)),
    nodeId: nodeIdText,
    slot: canonicalUint(slot),
    epoch: canonicalUint(epoch),
    jobId: canonicalUint(jobId),
    modelId: canonicalUint(modelId),
    sessionId: canonicalUint(sessionId),
    vrfOutput,
    vrfProof,
    signature,
  };
}

/** Two seals are the same ticket and signature (the same bytes on the wire). */
export function sealsEqual(a: PovSeal, b: PovSeal): boolean {
  return equalBytes(encodeSeal(a), encodeSeal(b));
}

function canonicalUint(bytes: Uint8Array): bigint {
  // RLP integers have no leading zeros: two encodings of one seal would give two ticket commitments.
  if (bytes.length > 32 || (bytes.length > 0 && bytes[0] === 0)) throw malformed('non-canonical integer');
  return bytes.length === 0 ? 0n : bytesToNumberBE(bytes);
}

function malformed(message: string, cause?: unknown): ChainError {
  return new ChainError('CHAIN_SEAL_MALFORMED', message, cause === undefined ? {} : { cause });
}
