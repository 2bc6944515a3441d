/**
 * The validator set of an epoch, read from the ValidatorStakes deployed on this chain (the genesis file's
 * `validatorStakes`) at the epoch's boundary state (epoch-states.ts `boundaryOf`: final before the epoch starts, the
 * same on every node holding the branch):
 *
 *   members = active stakers (stake ≥ minStake, not exiting)  ∪  genesis validators that never staked
 *
 * so a node that stakes joins at the next epoch whose boundary follows its stake, and a validator slashed below the
 * minimum, or leaving, is out from the epoch after. Genesis validators keep their seat until they stake (a devnet
 * stakes them one by one after the contracts deploy: the set never shrinks meanwhile); one that stakes and later
 * withdraws everything reads as never staked and gets its genesis seat back (known gap: ValidatorStakes keeps no
 * record of past validators). Before the contract exists, or when no member is left, the set is the genesis set.
 *
 * Every member may draw bootstrap tickets (`genesis: true` in work.ts terms: its stake is its Sybil cost); committee
 * sampling weighs members by stake, an unstaked genesis validator as the minimum stake.
 */
import { validatorStakesAbi } from '@aic/ledger';
import { type Address, bytesToHex, getAddress, type Hex } from 'viem';
import type { ValidatorEntry } from '../consensus/work.ts';
import type { PovHeaderInfo } from '../exec/block-types.ts';
import type { ChainExecutor } from '../exec/executor.ts';
import { openCaller } from '../exec/state-reader.ts';
import { callContractAt } from './contract-call.ts';
import { blockHashesOf } from './work-reader.ts';

const MAX_CACHED = 512;

/** The validators of the epoch whose boundary block is `boundary`. */
export type ValidatorSetSource = (boundary: PovHeaderInfo) => Promise<readonly ValidatorEntry[]>;

/** The genesis set as entries (no ValidatorStakes, or before it exists). */
export function genesisValidatorSet(genesisValidators: readonly Address[]): ValidatorEntry[] {
  return genesisValidators.map((address) => ({ address: getAddress(address), genesis: true }));
}

export function createValidatorSetReader(init: {
  executor: ChainExecutor;
  validatorStakes: Hex;
  genesisValidators: readonly Address[];
}): ValidatorSetSource {
  const { executor } = init;
  const stakes = getAddress(init.validatorStakes);
  const genesisSet = genesisValidatorSet(init.genesisValidators);
  const answers = new Map<string, Promise<readonly ValidatorEntry[]>>();

  async function read(boundary: PovHeaderInfo): Promise<readonly ValidatorEntry[]> {
    const header = await executor.headerByHash(boundary.hash);
    if (header === undefined) return genesisSet;
    const call = await openCaller(executor.store.trieDb, executor.common, header.header, blockHashesOf(executor));
    // No contract there yet (an empty answer), or a revert: undefined, and the set falls back to the genesis set.
    const view = (functionName: 'activeValidators' | 'terms' | 'validatorOf', args: readonly unknown[] = []) =>
      callContractAt(call, { abi: validatorStakesAbi, to: stakes, functionName, args, gasLimit: 5_000_000n });
    const active = (await view('activeValidators')) as readonly Address[] | undefined;
    const terms = (await view('terms')) as { minStake: bigint } | undefined;
    if (active === undefined || terms === undefined) return genesisSet;
    const stakers: { address: Address; stake: bigint }[] = [];
    for (const address of active) {
      const v = (await view('validatorOf', [address])) as { stake: bigint } | undefined;
      stakers.push({ address, stake: v?.stake ?? terms.minStake });
    }
    const genesis: { address: Address; listed: boolean }[] = [];
    for (const g of genesisSet) {
      const v = (await view('validatorOf', [g.address])) as { listed: boolean } | undefined;
      genesis.push({ address: g.address, listed: v?.listed ?? true });
    }
    return validatorSetOf({ active: stakers, genesis, minStake: terms.minStake });
  }

  return (boundary) => {
    const key = bytesToHex(boundary.hash);
    const cached = answers.get(key);
    if (cached !== undefined) return cached;
    const answer = read(boundary);
    if (answers.size >= MAX_CACHED) answers.delete(answers.keys().next().value as string);
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
    return answer;
  };
}

/**
 * The membership rule (file comment) over what ValidatorStakes says: active stakers by stake, genesis validators
 * with whether they were ever listed there. Sorted by address; the genesis set when nobody is left.
 * @example validatorSetOf({ active: [{ address: a, stake: 10n }], genesis: [{ address: g, listed: false }], minStake: 1n })
 * // [{ address: a, genesis: true, stake: 10n }, { address: g, genesis: true, stake: 1n }] (in address order)
 */
export function validatorSetOf(input: {
  active: readonly { address: Address; stake: bigint }[];
  genesis: readonly { address: Address; listed: boolean }[];
  minStake: bigint;
}): ValidatorEntry[] {
  const members = new Map<Address, ValidatorEntry>();
  for (const v of input.active) {
    const address = getAddress(v.address);
    members.set(address, { address, genesis: true, stake: v.stake });
  }
  for (const g of input.genesis) {
    const address = getAddress(g.address);
    if (!g.listed && !members.has(address)) members.set(address, { address, genesis: true, stake: input.minStake });
  }
  // Nobody left (every member slashed or gone): the genesis set rather than a chain that can never move again.
  if (members.size === 0) return genesisValidatorSet(input.genesis.map((g) => g.address));
  // Sorted: every node lists the same members in the same order (committee.ts sorts again; this keeps logs stable).
  return [...members.values()].sort((a, b) => (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1));
}
