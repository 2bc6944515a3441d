/**
 * Epoch state: the randomness tickets and committees draw from, and the ticket threshold (the chain's
 * "difficulty"). Both are folded from the chain's own history, so every node that holds a block's ancestry derives
 * the same values with no extra messages:
 *
 *   randomness(0) = keccak256("AIC-PoV-genesis" ‖ genesisHash)
 *   randomness(e) = keccak256("AIC-PoV-randomness" ‖ randomness(e − 1) ‖ β₁ ‖ … ‖ βₖ)   (RANDAO-like mix)
 *   threshold(e)  = retarget(threshold(e − 1), k blocks in S slots)
 *
 * where β₁…βₖ are the VRF outputs, in slot order, of the k blocks of epoch e − lookback on the block's ancestry
 * (at the preset's 2-epoch lookback those are final long before epoch e starts). A VRF output cannot be chosen by its
 * proposer; the one bias left is withholding a block, as in RANDAO, and that forfeits the block.
 */
import { concatBytes } from '@noble/curves/utils.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { ChainError } from '../errors.ts';
import { type ConsensusParams, epochOfSlot, THRESHOLD_MAX, THRESHOLD_MIN } from './params.ts';

const GENESIS_TAG = new TextEncoder().encode('AIC-PoV-genesis');
const MIX_TAG = new TextEncoder().encode('AIC-PoV-randomness');
const PPM = 1_000_000n;

export interface EpochState {
  readonly epoch: bigint;
  readonly randomness: Uint8Array;
  readonly threshold: bigint;
}

/** A block as the epoch fold sees it. */
export interface EpochBlock {
  readonly slot: bigint;
  readonly vrfOutput: Uint8Array;
}

/** Epoch 0's state: randomness from the genesis hash, the preset's initial threshold. */
export function genesisEpochState(genesisHash: Uint8Array, params: ConsensusParams): EpochState {
  return {
    epoch: 0n,
    randomness: keccak_256(concatBytes(GENESIS_TAG, genesisHash)),
    threshold: params.initialThreshold,
  };
}

/**
 * The threshold after an epoch that saw `blocks` blocks in its slots: moved half-way to threshold × target /
 * observed (the expected proposers per slot move the block rate nearly in proportion below 1 block per slot),
 * bounded to ×[1/maxFactor, maxFactor] per epoch; an epoch without blocks moves it toward ×maxFactor.
 */
export function retarget(threshold: bigint, blocks: bigint, params: ConsensusParams): bigint {
  const up = threshold * params.retargetMaxFactor;
  const down = threshold / params.retargetMaxFactor;
  // Half a step toward target / observed: one epoch's count is noisy (±9 % at 32 slots); the half step damps the
  // two-epoch-delayed loop (simulated: 0.51 ± 0.09 blocks per slot against 0.51 ± 0.13 for the full step).
  const full = blocks <= 0n ? up : (threshold * params.targetBlocksPerSlotPpm * params.slotsPerEpoch) / (blocks * PPM);
  let next = (threshold + full) / 2n;
  if (next > up) next = up;
  if (next < down) next = down;
  if (next < THRESHOLD_MIN) next = THRESHOLD_MIN;
  if (next > THRESHOLD_MAX) next = THRESHOLD_MAX;
  return next;
}

/** The epoch whose blocks feed epoch `epoch`'s state, or null before there is one. */
export function sourceEpochOf(epoch: bigint, params: ConsensusParams): bigint | null {
  const source = epoch - params.lookbackEpochs;
  return source < 0n ? null : source;
}

/**
 * The state of epoch `state.epoch + 1`, from the blocks of its source epoch (`sourceEpochOf`) on the ancestry.
 * CHAIN_CONSENSUS_INPUT when a block is from another epoch or two share a slot.
 */
export function nextEpochState(
  state: EpochState,
  sourceBlocks: readonly EpochBlock[],
  params: ConsensusParams,
): EpochState {
  const epoch = state.epoch + 1n;
  const source = sourceEpochOf(epoch, params);
  const blocks = [...sourceBlocks].sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as EpochBlock;
    if (source === null || epochOfSlot(block.slot, params) !== source || block.vrfOutput.length !== 32) {
      throw new ChainError('CHAIN_CONSENSUS_INPUT', 'a source block is not of the source epoch', {
        details: { epoch, source, slot: block.slot },
      });
    }
    if (i > 0 && blocks[i - 1]?.slot === block.slot) {
      throw new ChainError('CHAIN_CONSENSUS_INPUT', 'two source blocks share a slot', {
        details: { slot: block.slot },
      });
    }
  }
  const randomness = keccak_256(concatBytes(MIX_TAG, state.randomness, ...blocks.map((b) => b.vrfOutput)));
  const threshold = source === null ? state.threshold : retarget(state.threshold, BigInt(blocks.length), params);
  return { epoch, randomness, threshold };
}

/**
 * The state of `epoch` folded from genesis over a branch's blocks (any order; blocks after the needed source
 * epochs are ignored). For a node that caches states per epoch, {@link nextEpochState} is the incremental step.
 */
export function epochStateAt(
  genesisHash: Uint8Array,
  ancestry: readonly EpochBlock[],
  epoch: bigint,
  params: ConsensusParams,
): EpochState {
  const bySourceEpoch = new Map<bigint, EpochBlock[]>();
  for (const block of ancestry) {
    const e = epochOfSlot(block.slot, params);
    const list = bySourceEpoch.get(e) ?? [];
    list.push(block);
    bySourceEpoch.set(e, list);
  }
  let state = genesisEpochState(genesisHash, params);
  while (state.epoch < epoch) {
    const source = sourceEpochOf(state.epoch + 1n, params);
    state = nextEpochState(state, source === null ? [] : (bySourceEpoch.get(source) ?? []), params);
  }
  return state;
}
