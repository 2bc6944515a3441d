/**
 * Epoch states (randomness, threshold: consensus/epoch.ts) of a branch, cached by the epoch's *boundary block*: the
 * last block of the branch with a slot before epoch e − lookback + 1 (genesis when there is none). Epoch e's state
 * is folded from blocks up to that one only, so (epoch, boundary hash) names it exactly.
 *
 * Why not by epoch number alone: a validator that started before it had peers folded states from a branch of its
 * own; cached by epoch, those states then judged the real chain's seals, and the node refused that chain for good.
 */
import { bytesToHex } from 'viem';
import {
  type EpochBlock,
  type EpochState,
  genesisEpochState,
  nextEpochState,
  sourceEpochOf,
} from '../consensus/epoch.ts';
import { type ConsensusParams, firstSlotOfEpoch, slotOfTimestampSec } from '../consensus/params.ts';
import { decodeSeal } from '../consensus/seal.ts';
import { ChainError } from '../errors.ts';
import type { PovHeaderInfo } from '../exec/block-types.ts';
import type { ValidatorChain } from './ports.ts';

const MAX_STATES = 4096;
const MAX_BOUNDARIES = 1024;

export interface EpochStates {
  /** The block whose state fixes epoch `epoch`'s inputs on the branch ending at `tip` (see the file comment). */
  boundaryOf(epoch: bigint, tip: PovHeaderInfo): Promise<PovHeaderInfo>;
  /** Epoch `epoch`'s state on the branch ending at `tip`. */
  stateOf(epoch: bigint, tip: PovHeaderInfo): Promise<EpochState>;
}

export function createEpochStates(init: {
  chain: Pick<ValidatorChain, 'header' | 'block'>;
  params: ConsensusParams;
  genesis: PovHeaderInfo;
}): EpochStates {
  const { chain, params, genesis } = init;
  const genesisState = genesisEpochState(genesis.hash, params);
  const states = new Map<string, EpochState>();
  const boundaries = new Map<string, PovHeaderInfo>();
  const remember = <V>(map: Map<string, V>, key: string, value: V, max: number) => {
    if (map.size >= max) map.delete(map.keys().next().value as string);
    map.set(key, value);
  };
  // Header timestamps give the slot (checkSeal holds them equal to the seal's); genesis sits before slot 0.
  const slotOf = (h: PovHeaderInfo) =>
    h.number === 0n ? -1n : slotOfTimestampSec(h.timestampSec, genesis.timestampSec, params);

  /** Walks `from`'s ancestry down to the first block with a slot below `limitSlot`; `passed` gets those above. */
  async function below(from: PovHeaderInfo, limitSlot: bigint, passed?: PovHeaderInfo[]): Promise<PovHeaderInfo> {
    let cursor = from;
    while (cursor.number > 0n && slotOf(cursor) >= limitSlot) {
      passed?.push(cursor);
      const parent = await chain.header(cursor.parentHash);
      if (parent === undefined) {
        throw new ChainError('CHAIN_CONSENSUS_INPUT', 'a block of the branch is missing', {
          details: { hash: bytesToHex(cursor.parentHash) },
        });
      }
      cursor = parent;
    }
    return cursor;
  }

  /** Slots before this one fix epoch `epoch`'s state (≤ 0: only genesis does). */
  const fixedBefore = (epoch: bigint) => firstSlotOfEpoch(epoch - params.lookbackEpochs + 1n, params);

  async function boundaryOf(epoch: bigint, tip: PovHeaderInfo): Promise<PovHeaderInfo> {
    const key = `${epoch}:${bytesToHex(tip.hash)}`;
    const hit = boundaries.get(key);
    if (hit !== undefined) return hit;
    const boundary = await below(tip, fixedBefore(epoch));
    remember(boundaries, key, boundary, MAX_BOUNDARIES);
    return boundary;
  }

  async function epochBlocksOf(headers: readonly PovHeaderInfo[]): Promise<EpochBlock[]> {
    const out: EpochBlock[] = [];
    for (const h of headers) {
      const block = await chain.block(h.hash);
      if (block === undefined || block.seal.length === 0) continue;
      const seal = decodeSeal(block.seal);
      out.push({ slot: seal.slot, vrfOutput: seal.vrfOutput });
    }
    return out;
  }

  async function stateOf(epoch: bigint, tip: PovHeaderInfo): Promise<EpochState> {
    if (epoch <= 0n) return genesisState;
    // Back from the requested epoch to the nearest one cached for this branch, then fold forward.
    const pending: { key: string; blocks: EpochBlock[] }[] = [];
    let boundary = await boundaryOf(epoch, tip);
    let state: EpochState = genesisState;
    for (let e = epoch; e > 0n; e--) {
      const key = `${e}:${bytesToHex(boundary.hash)}`;
      const hit = states.get(key);
      if (hit !== undefined) {
        state = hit;
        break;
      }
      const source = sourceEpochOf(e, params);
      const passed: PovHeaderInfo[] = [];
      // Epoch e − 1's boundary lies below the source epoch's first slot; the blocks passed are the source epoch's.
      if (source !== null) boundary = await below(boundary, firstSlotOfEpoch(source, params), passed);
      pending.push({ key, blocks: await epochBlocksOf(passed) });
    }
    for (const { key, blocks } of pending.reverse()) {
      state = nextEpochState(state, blocks, params);
      remember(states, key, state, MAX_STATES);
    }
    return state;
  }

  return { boundaryOf, stateOf };
}
