/**
 * The PoV tests' ValidatorStakes set-up: AICToken and ValidatorStakes deployed from the wallet's first two nonces,
 * then one approval of the whole amount and `stakeFor` each validator, with explicit nonces and gas so every
 * transaction enters the pool at once (one block, not one per step).
 */
import { aicToWei } from '@aic/core';
import { artifacts, NO_PERMIT, validatorStakesAbi } from '@aic/ledger';
import type { Abi, Account, Address, Chain, Hex, Transport, WalletClient } from 'viem';

/** The terms the tests stake under: slashing at full strength, a short unbonding, committees of up to 7. */
export const TEST_STAKING_TERMS = {
  minStake: aicToWei('1'),
  equivocationSlashBps: 5_000,
  invalidBlockSlashBps: 10_000,
  reporterShareBps: 5_000,
  unbondingSec: 60,
  committeeMaxSize: 7,
};

/**
 * Deploys AICToken (every allocation to the wallet's account) at nonce 0 and ValidatorStakes over it at nonce 1
 * (`token` is the address nonce 0 creates); returns the two hashes, not waited for.
 */
export async function deployTokenAndStakes(
  wallet: WalletClient<Transport, Chain, Account>,
  init: { token: Address; chainId: bigint },
): Promise<Hex[]> {
  const all = wallet.account.address;
  const gas = 6_000_000n;
  return [
    await wallet.deployContract({
      abi: artifacts.AICToken.abi as Abi,
      bytecode: artifacts.AICToken.bytecode,
      args: [{ investors: all, team: all, ecosystem: all, marketing: all, advisors: all, company: all }],
      nonce: 0,
      gas,
    }),
    await wallet.deployContract({
      abi: artifacts.ValidatorStakes.abi as Abi,
      bytecode: artifacts.ValidatorStakes.bytecode,
      args: [init.token, all, init.chainId, TEST_STAKING_TERMS],
      nonce: 1,
      gas,
    }),
  ];
}

export interface StakeValidatorsInit {
  token: Address;
  stakes: Address;
  validators: readonly Address[];
  /** Staked for each validator. */
  stake: bigint;
  /** The wallet's nonce for the approval; the stakes follow it. */
  firstNonce: number;
}

/** Sends the approval and the stakes (not waited for); returns their hashes in nonce order. */
export async function stakeValidators(
  wallet: WalletClient<Transport, Chain, Account>,
  init: StakeValidatorsInit,
): Promise<Hex[]> {
  const hashes: Hex[] = [
    await wallet.writeContract({
      address: init.token,
      abi: artifacts.AICToken.abi as Abi,
      functionName: 'approve',
      args: [init.stakes, init.stake * BigInt(init.validators.length)],
      nonce: init.firstNonce,
      gas: 100_000n,
    }),
  ];
  for (const [i, validator] of init.validators.entries()) {
    hashes.push(
      await wallet.writeContract({
        address: init.stakes,
        abi: validatorStakesAbi,
        functionName: 'stakeFor',
        args: [validator, init.stake, NO_PERMIT],
        nonce: init.firstNonce + 1 + i,
        gas: 300_000n,
      }),
    );
  }
  return hashes;
}
