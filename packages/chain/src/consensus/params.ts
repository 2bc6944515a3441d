/**
 * The consensus parameters one PoV chain runs with: the preset's `pov` section (packages/core params) plus the
 * chain id, in the integer forms the consensus math uses. Every validator must use the same values.
 */
import type { PovPreset } from '@aic/core/params';
import { ChainError } from '../errors.ts';

/** Fixed-point scale of a ticket threshold: `threshold / THRESHOLD_ONE` = expected eligible proposers per slot. */
export const THRESHOLD_ONE = 1_000_000_000n;
/** Thresholds stay within [1e-9, 1000] expected proposers per slot (a retarget can never reach 0 or overflow). */
export const THRESHOLD_MIN = 1n;
export const THRESHOLD_MAX = 1_000n * THRESHOLD_ONE;

export interface ConsensusParams {
  readonly chainId: bigint;
  readonly slotMs: number;
  readonly slotsPerEpoch: bigint;
  /** Target blocks per slot, parts per million (0.5 blocks/s × 1 s slots = 500 000). */
  readonly targetBlocksPerSlotPpm: bigint;
  readonly initialThreshold: bigint;
  readonly retargetMaxFactor: bigint;
  readonly workWindowEpochs: bigint;
  readonly bootstrapWeightFlops: bigint;
  readonly committeeMaxSize: number;
  readonly lookbackEpochs: bigint;
}

/**
 * The consensus parameters of the chain `chainId` from a preset's `pov` section.
 * @example consensusParams(presetOf('devnet').pov, 7777n).targetBlocksPerSlotPpm // 500000n
 */
export function consensusParams(pov: PovPreset, chainId: bigint): ConsensusParams {
  const targetPpm = BigInt(Math.round(pov.targetBlocksPerSecond * pov.slotMs * 1_000));
  const ok =
    // Header timestamps are whole seconds and must grow block by block: a slot is whole seconds too.
    pov.slotMs >= 1_000 &&
    pov.slotMs % 1_000 === 0 &&
    pov.slotsPerEpoch > 0 &&
    targetPpm > 0n &&
    targetPpm < 1_000_000n &&
    pov.initialTicketsPerSlot > 0 &&
    pov.retargetMaxFactor >= 1 &&
    pov.workWindowEpochs > 0 &&
    pov.committeeMaxSize >= 0 &&
    pov.lookbackEpochs >= 1;
  if (!ok) {
    // A target of a block in every slot or more cannot be met: a slot holds one block.
    throw new ChainError('CHAIN_CONSENSUS_INPUT', 'inconsistent pov preset', { details: { ...pov } });
  }
  return {
    chainId,
    slotMs: pov.slotMs,
    slotsPerEpoch: BigInt(pov.slotsPerEpoch),
    targetBlocksPerSlotPpm: targetPpm,
    initialThreshold: BigInt(Math.round(pov.initialTicketsPerSlot * Number(THRESHOLD_ONE))),
    retargetMaxFactor: BigInt(Math.floor(pov.retargetMaxFactor)),
    workWindowEpochs: BigInt(pov.workWindowEpochs),
    bootstrapWeightFlops: BigInt(pov.bootstrapWeightFlops),
    committeeMaxSize: pov.committeeMaxSize,
    lookbackEpochs: BigInt(pov.lookbackEpochs),
  };
}

/** The epoch a slot belongs to. */
export function epochOfSlot(slot: bigint, params: ConsensusParams): bigint {
  return slot / params.slotsPerEpoch;
}

/** The first slot of an epoch. */
export function firstSlotOfEpoch(epoch: bigint, params: ConsensusParams): bigint {
  return epoch * params.slotsPerEpoch;
}

/** The slot a header timestamp (seconds) falls in, counted from the genesis timestamp; negative times are slot 0. */
export function slotOfTimestampSec(timestampSec: bigint, genesisTimestampSec: bigint, params: ConsensusParams): bigint {
  const elapsedMs = (timestampSec - genesisTimestampSec) * 1_000n;
  return elapsedMs <= 0n ? 0n : elapsedMs / BigInt(params.slotMs);
}

/** The slot wall-clock time `nowMs` falls in (the proposer's clock; validators check the header's timestamp). */
export function slotAtMs(nowMs: number, genesisTimestampSec: bigint, params: ConsensusParams): bigint {
  const elapsedMs = BigInt(Math.floor(nowMs)) - genesisTimestampSec * 1_000n;
  return elapsedMs <= 0n ? 0n : elapsedMs / BigInt(params.slotMs);
}

/** When a slot starts, ms since the Unix epoch. */
export function slotStartMs(slot: bigint, genesisTimestampSec: bigint, params: ConsensusParams): number {
  return Number(genesisTimestampSec * 1_000n + slot * BigInt(params.slotMs));
}
