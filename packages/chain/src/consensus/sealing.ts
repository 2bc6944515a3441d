/**
 * Drawing a ticket, sealing a block, and checking a seal: what a proposer and every validating node run.
 *
 * Proposer (chain-node): `drawTicket` each slot → when eligible, build the header with
 * `extraData = ticketCommitment(ticket)` → `signSeal(ticket, headerHash, key, chainId)` → `PovBlock.seal =
 * encodeSeal(seal)`. Validator: `checkSeal(decodeSeal(block.seal), header, context)` inside the executor's
 * `validateSeal`, before any transaction runs.
 */
import { equalBytes } from '@noble/curves/utils.js';
import { type Address, getAddress } from 'viem';
import { ChainError } from '../errors.ts';
import { addressOfPublicKey, proposalDigest, recoverSigner, signDigest } from './digests.ts';
import { nodeIdOfPublicKey } from './node-id.ts';
import { type ConsensusParams, epochOfSlot } from './params.ts';
import { namesWork, type PovSeal, ticketCommitment } from './seal.ts';
import { isEligible, ticketAlpha } from './ticket.ts';
import { vrfProofToHash, vrfProve, vrfPublicKey, vrfVerify } from './vrf.ts';
import { type WorkItem, type WorkWeights, workKey } from './work.ts';

/** What one epoch's seals are judged by (epoch.ts derives randomness and threshold, work.ts the weights). */
export interface EpochContext {
  readonly epoch: bigint;
  readonly randomness: Uint8Array;
  readonly threshold: bigint;
  readonly weights: WorkWeights;
}

/** The weight a seal proves: all of the proposer's weight when it names its verified work, else the bootstrap. */
function ticketWeight(proposer: Address, work: WorkItem | undefined, context: EpochContext): bigint {
  const key = proposer.toLowerCase();
  if (work !== undefined) return context.weights.weightOf.get(key) ?? 0n;
  return context.weights.genesis.has(key) ? context.weights.bootstrapWeight : 0n;
}

/**
 * The proposer's ticket for `slot`, or null when it is not eligible. It names the proposer's largest verified work
 * item in the window (the first listed on ties), or none (a bootstrap ticket) when it has none.
 */
export function drawTicket(input: {
  secretKey: Uint8Array;
  nodeId: string;
  slot: bigint;
  context: EpochContext;
  params: ConsensusParams;
}): PovSeal | null {
  const { secretKey, slot, context, params } = input;
  if (epochOfSlot(slot, params) !== context.epoch) {
    throw new ChainError('CHAIN_SEAL_SLOT', 'slot is not in the context epoch', { details: { slot } });
  }
  const publicKey = vrfPublicKey(secretKey);
  const proposer = addressOfPublicKey(publicKey);
  const work = bestWorkOf(proposer, context.weights);
  const vrfProof = vrfProve(secretKey, ticketAlpha(context.randomness, slot));
  const vrfOutput = vrfProofToHash(vrfProof);
  if (!isEligible(vrfOutput, ticketWeight(proposer, work, context), context.weights.totalWeight, context.threshold)) {
    return null;
  }
  return {
    proposer,
    nodeId: input.nodeId,
    slot,
    epoch: context.epoch,
    jobId: work?.jobId ?? 0n,
    modelId: work?.modelId ?? 0n,
    sessionId: work?.sessionId ?? 0n,
    vrfOutput,
    vrfProof,
    signature: new Uint8Array(),
  };
}

/** The signed seal for the header whose hash is `headerHash` (its extraData must be the ticket's commitment). */
export function signSeal(ticket: PovSeal, headerHash: Uint8Array, secretKey: Uint8Array, chainId: bigint): PovSeal {
  return { ...ticket, signature: signDigest(secretKey, proposalDigest(chainId, ticket.slot, headerHash)) };
}

/** What {@link checkSeal} learnt about a valid seal. */
export interface CheckedSeal {
  readonly proposer: Address;
  readonly publicKey: Uint8Array;
  readonly vrfOutput: Uint8Array;
  /** The named work item; undefined for a bootstrap ticket. */
  readonly work: WorkItem | undefined;
  readonly weight: bigint;
}

/**
 * Checks a seal against its header and the epoch: slot/epoch, ticket commitment, proposer signature, node id, VRF
 * proof, named work, eligibility. Throws CHAIN_SEAL_SLOT / _COMMITMENT / _SIGNER / _NODE_ID / _VRF /
 * _UNKNOWN_WORK / _NOT_ELIGIBLE (a node rejects the block and may penalize the peer that sent it).
 * @param header the block's hash (keccak256 of the header RLP) and extraData
 * @param expectedSlot the slot of the header's timestamp (`slotOfTimestampSec`), checked when given
 */
export function checkSeal(
  seal: PovSeal,
  header: { hash: Uint8Array; extraData: Uint8Array },
  context: EpochContext & { chainId: bigint; params: ConsensusParams; expectedSlot?: bigint },
): CheckedSeal {
  if (epochOfSlot(seal.slot, context.params) !== seal.epoch || seal.epoch !== context.epoch) {
    throw new ChainError('CHAIN_SEAL_SLOT', 'seal epoch does not match its slot or the context', {
      details: { slot: seal.slot, epoch: seal.epoch, contextEpoch: context.epoch },
    });
  }
  if (context.expectedSlot !== undefined && context.expectedSlot !== seal.slot) {
    throw new ChainError('CHAIN_SEAL_SLOT', 'seal slot does not match the header timestamp', {
      details: { slot: seal.slot, expected: context.expectedSlot },
    });
  }
  if (!equalBytes(header.extraData, ticketCommitment(seal))) {
    throw new ChainError('CHAIN_SEAL_COMMITMENT', 'header extraData is not the ticket commitment');
  }
  const signer = recoverProposer(seal, header.hash, context.chainId);
  if (nodeIdOfPublicKey(signer.publicKey) !== seal.nodeId) {
    throw new ChainError('CHAIN_SEAL_NODE_ID', 'node id is not the proposer key', { details: { nodeId: seal.nodeId } });
  }
  let vrfOutput: Uint8Array;
  try {
    vrfOutput = vrfVerify(signer.publicKey, ticketAlpha(context.randomness, seal.slot), seal.vrfProof);
  } catch (cause) {
    throw new ChainError('CHAIN_SEAL_VRF', 'VRF proof does not verify', { cause });
  }
  if (!equalBytes(vrfOutput, seal.vrfOutput)) throw new ChainError('CHAIN_SEAL_VRF', "VRF output is not the proof's");
  const work = namedWork(seal, context.weights);
  const weight = ticketWeight(seal.proposer, work, context);
  if (!isEligible(vrfOutput, weight, context.weights.totalWeight, context.threshold)) {
    throw new ChainError('CHAIN_SEAL_NOT_ELIGIBLE', 'VRF output is above the threshold for the proposer weight', {
      details: { proposer: seal.proposer, weight, totalWeight: context.weights.totalWeight },
    });
  }
  return { proposer: seal.proposer, publicKey: signer.publicKey, vrfOutput, work, weight };
}

/** The proposer's key from the seal signature; CHAIN_SEAL_SIGNER unless it recovers `seal.proposer`. */
export function recoverProposer(seal: PovSeal, headerHash: Uint8Array, chainId: bigint) {
  let signer: { address: Address; publicKey: Uint8Array };
  try {
    signer = recoverSigner(proposalDigest(chainId, seal.slot, headerHash), seal.signature);
  } catch (cause) {
    throw new ChainError('CHAIN_SEAL_SIGNER', 'seal signature does not recover', { cause });
  }
  if (signer.address !== getAddress(seal.proposer)) {
    throw new ChainError('CHAIN_SEAL_SIGNER', 'seal is not signed by its proposer', {
      details: { proposer: seal.proposer, signer: signer.address },
    });
  }
  return signer;
}

function namedWork(seal: PovSeal, weights: WorkWeights): WorkItem | undefined {
  if (!namesWork(seal)) {
    if (!weights.genesis.has(seal.proposer.toLowerCase()) || weights.bootstrapWeight === 0n) {
      throw new ChainError('CHAIN_SEAL_UNKNOWN_WORK', 'a bootstrap ticket needs a genesis validator', {
        details: { proposer: seal.proposer },
      });
    }
    return undefined;
  }
  const item = weights.items.get(workKey(seal.proposer, seal.jobId, seal.modelId, seal.sessionId));
  if (item === undefined) {
    // Absent, outside the window, or verified for another node: all the same to the ticket.
    throw new ChainError(
      'CHAIN_SEAL_UNKNOWN_WORK',
      "the named work is not the proposer's verified work in the window",
      {
        details: { proposer: seal.proposer, jobId: seal.jobId, modelId: seal.modelId, sessionId: seal.sessionId },
      },
    );
  }
  return item;
}

function bestWorkOf(proposer: Address, weights: WorkWeights): WorkItem | undefined {
  const owner = proposer.toLowerCase();
  let best: WorkItem | undefined;
  for (const item of weights.items.values()) {
    if (item.nodeAccount.toLowerCase() !== owner) continue;
    if (best === undefined || item.flops > best.flops) best = item;
  }
  return best;
}
