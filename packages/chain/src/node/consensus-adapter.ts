/**
 * The validator service's consensus port over consensus/: the slot clock from the preset, tickets drawn with the
 * node's key (ECVRF) weighted by verified work read from this chain's ComputeMarket at the parent state
 * (work-reader.ts; bootstrap weight while the window holds none, or always when no market is configured), seals
 * signed and checked by `signSeal`/`checkSeal`, epoch randomness and threshold folded from the branch's own seals.
 *
 * Validators: the epoch's set read at its boundary block (validator-set.ts: ValidatorStakes' active stakers plus the
 * genesis validators that never staked; the genesis set without a ValidatorStakes), so joining and leaving take effect
 * per epoch, the same on every node holding the branch. Epoch states are cached by that boundary block too
 * (epoch-states.ts). Committee: consensus/'s `selectCommittee` over the epoch's set with its randomness. Finality: a block is final with valid attestations from ≥ 2/3 of
 * it, counted here, not in consensus/'s FinalityTracker: its fork choice (most attested subtree) and in-memory tree
 * from genesis differ from the service's (longest chain above finality, restart from the store, finality only on the
 * canonical chain — block-intake.ts), and swapping them is a change of fork choice the fault tests would have to
 * re-prove. Attestations are the EIP-712 `Attestation` digests of digests.ts, so the same signatures serve the
 * ValidatorStakes evidence.
 */
import type { PovPreset } from '@aic/core/params';
import { type Address, bytesToHex, getAddress } from 'viem';
import { selectCommittee } from '../consensus/committee.ts';
import { addressOfPublicKey, attestationDigest, recoverSigner, signDigest } from '../consensus/digests.ts';
import { nodeIdOfPublicKey } from '../consensus/node-id.ts';
import {
  type ConsensusParams,
  consensusParams,
  epochOfSlot,
  slotAtMs,
  slotOfTimestampSec,
  slotStartMs,
} from '../consensus/params.ts';
import { decodeSeal, encodeSeal, type PovSeal, ticketCommitment } from '../consensus/seal.ts';
import { checkSeal, drawTicket, type EpochContext, signSeal } from '../consensus/sealing.ts';
import { vrfPublicKey } from '../consensus/vrf.ts';
import { type ValidatorEntry, type WorkWeights, workWeights } from '../consensus/work.ts';
import { ChainError } from '../errors.ts';
import type { PovHeaderInfo, SealValidator } from '../exec/block-types.ts';
import { createEpochStates } from './epoch-states.ts';
import type { ValidatorChain, ValidatorConsensus, WonTicket } from './ports.ts';
import type { ValidatorSetSource } from './validator-set.ts';
import type { PovAttestationWire } from './wire.ts';
import type { WorkSource } from './work-reader.ts';

/** Test-only tickets that name work the proposer does not own (faults.ts). */
export type TicketFault = 'unverified-work' | 'others-work' | 'outside-set';

export interface PovConsensusInit {
  secretKey: Uint8Array;
  chainId: bigint;
  pov: PovPreset;
  genesis: PovHeaderInfo;
  /** The genesis validators (the set while no ValidatorStakes says otherwise). */
  validators: readonly ValidatorEntry[];
  /** Each epoch's set at its boundary block (validator-set.ts); none: the genesis set, always. */
  validatorSet?: ValidatorSetSource;
  chain: ValidatorChain;
  /** Verified work at a parent state (work-reader.ts); none: no ComputeMarket, only bootstrap weight counts. */
  work?: WorkSource;
  /** Test-only: this node's tickets name unverified or another validator's work. */
  ticketFault?: TicketFault;
  now?: () => number;
}

export function createPovConsensus(init: PovConsensusInit): ValidatorConsensus & { params: ConsensusParams } {
  const params = consensusParams(init.pov, init.chainId);
  const { chain, genesis, secretKey } = init;
  const now = init.now ?? Date.now;
  const address = addressOfPublicKey(vrfPublicKey(secretKey));
  const nodeId = nodeIdOfPublicKey(vrfPublicKey(secretKey));
  const genesisTs = genesis.timestampSec;
  const genesisSet = init.validators.map((v) => ({ ...v, address: getAddress(v.address) }));
  const epochs = createEpochStates({ chain, params, genesis });
  const setAt = init.validatorSet ?? (async () => genesisSet);
  const votes = new Map<string, Set<Address>>();

  const slotOfBlock = async (hash: Uint8Array): Promise<bigint | undefined> => {
    const block = await chain.block(hash);
    return block === undefined || block.seal.length === 0 ? undefined : decodeSeal(block.seal).slot;
  };

  /** Epoch `epoch`'s state and validators on the branch ending at `tip`. */
  async function epochOf(epoch: bigint, tip: PovHeaderInfo) {
    const state = await epochs.stateOf(epoch, tip);
    const validators = await setAt(await epochs.boundaryOf(epoch, tip));
    return { state, validators };
  }

  async function contextOf(
    slot: bigint,
    parent: PovHeaderInfo,
  ): Promise<EpochContext & { validators: readonly ValidatorEntry[] }> {
    const epoch = epochOfSlot(slot, params);
    const { state, validators } = await epochOf(epoch, parent);
    if (init.work === undefined) {
      return { ...state, validators, weights: workWeights(epoch, validators, [], params, 'always') };
    }
    const work = await init.work(epoch, parent);
    return { ...state, validators, weights: workWeights(epoch, validators, work, params, 'until-work') };
  }

  /** The block's committee: `selectCommittee` with its epoch's randomness (folded on its parent's branch). */
  async function committeeOf(slot: bigint, proposer: Address, parentHash: Uint8Array): Promise<Address[]> {
    const parent = await chain.header(parentHash);
    if (parent === undefined) return [];
    const { state, validators } = await epochOf(epochOfSlot(slot, params), parent);
    return selectCommittee({
      randomness: state.randomness,
      slot,
      proposer,
      validators,
      maxSize: params.committeeMaxSize,
    });
  }

  const validateSeal: SealValidator = async ({ block, header, parent }) => {
    const seal = decodeSeal(block.seal);
    if (slotStartMs(seal.slot, genesisTs, params) > now() + params.slotMs) {
      throw new ChainError('CHAIN_BAD_SEAL', 'the block is from a future slot', { details: { slot: seal.slot } });
    }
    const parentSlot = parent.number === 0n ? -1n : ((await slotOfBlock(parent.hash)) ?? -1n);
    if (seal.slot <= parentSlot) throw new ChainError('CHAIN_BAD_SEAL', 'the slot is not after the parent');
    const context = await contextOf(seal.slot, parent);
    const proposer = getAddress(seal.proposer);
    // The epoch's set, not the genesis list: a validator slashed out (or never staked in) proposes nothing.
    if (!context.validators.some((v) => v.address === proposer)) {
      throw new ChainError('CHAIN_BAD_SEAL', "the proposer is not in the epoch's validator set", {
        details: { proposer, epoch: context.epoch },
      });
    }
    checkSeal(seal, header, {
      ...context,
      chainId: init.chainId,
      params,
      expectedSlot: slotOfTimestampSec(header.timestampSec, genesisTs, params),
    });
  };

  return {
    params,
    slotMs: params.slotMs,
    slotAt: (nowMs) => slotAtMs(nowMs, genesisTs, params),
    slotStartMs: (slot) => slotStartMs(slot, genesisTs, params),
    async ticket(slot, parent): Promise<WonTicket | undefined> {
      const context = await contextOf(slot, parent);
      let ticket: PovSeal | null;
      if (init.ticketFault === undefined) {
        ticket = drawTicket({ secretKey, nodeId, slot, context, params });
      } else {
        // The cheat draws as if its bootstrap weight still counted over the genesis set (where it still sits), then
        // names work that is not its own, or (outside-set) its own bootstrap ticket after it left the set.
        const bootstrap = workWeights(context.epoch, genesisSet, [], params, 'always');
        const drawn = drawTicket({ secretKey, nodeId, slot, context: { ...context, weights: bootstrap }, params });
        ticket =
          drawn === null || init.ticketFault === 'outside-set'
            ? drawn
            : misnameWork(drawn, init.ticketFault, context.weights);
      }
      if (ticket === null) return undefined;
      return {
        slot,
        extraData: ticketCommitment(ticket),
        seal: (header) => encodeSeal(signSeal(ticket, header.hash, secretKey, init.chainId)),
      };
    },
    validateSeal,
    sealInfo(block) {
      const seal = decodeSeal(block.seal);
      return { slot: seal.slot, proposer: getAddress(seal.proposer), proposalSig: seal.signature };
    },
    async inCommittee(slot, header, block) {
      const proposer = getAddress(decodeSeal(block.seal).proposer);
      return (await committeeOf(slot, proposer, header.parentHash)).includes(address);
    },
    attest(slot, blockHash, valid): PovAttestationWire {
      const signature = signDigest(secretKey, attestationDigest(init.chainId, slot, blockHash, valid));
      return { slot: Number(slot), blockHash: new Uint8Array(blockHash), valid, signature: new Uint8Array(signature) };
    },
    async addAttestation(att, header) {
      const signer = recoverSigner(
        attestationDigest(init.chainId, BigInt(att.slot), att.blockHash, att.valid),
        att.signature,
      ).address;
      const block = await chain.block(header.hash);
      if (block === undefined || block.seal.length === 0) return {};
      const seal = decodeSeal(block.seal);
      if (BigInt(att.slot) !== seal.slot) throw new ChainError('CHAIN_BAD_SIGNATURE', 'attestation slot differs');
      const committee = await committeeOf(seal.slot, getAddress(seal.proposer), header.parentHash);
      if (!committee.includes(signer)) {
        throw new ChainError('CHAIN_BAD_SIGNATURE', 'the attester is not on the committee', { details: { signer } });
      }
      if (!att.valid) return {};
      const key = bytesToHex(header.hash);
      const set = votes.get(key) ?? new Set<Address>();
      set.add(signer);
      votes.set(key, set);
      if (votes.size > 8192) votes.delete(votes.keys().next().value as string);
      return set.size * 3 >= committee.length * 2 ? { finalized: header.hash } : {};
    },
    prefer(candidate, head) {
      if (candidate.number <= chain.finalized().number) return false;
      if (candidate.number !== head.number) return candidate.number > head.number;
      return bytesToHex(candidate.hash) < bytesToHex(head.hash);
    },
  };
}

/** A faulty ticket: another validator's verified work when the window holds some, else a job that does not exist. */
function misnameWork(ticket: PovSeal, fault: 'unverified-work' | 'others-work', weights: WorkWeights): PovSeal {
  const others = [...weights.items.values()].filter((w) => getAddress(w.nodeAccount) !== getAddress(ticket.proposer));
  const stolen = fault === 'others-work' ? others[0] : undefined;
  if (stolen !== undefined) {
    return { ...ticket, jobId: stolen.jobId, modelId: stolen.modelId, sessionId: stolen.sessionId };
  }
  return { ...ticket, jobId: (1n << 40n) + ticket.slot, modelId: 1n, sessionId: 0n };
}
