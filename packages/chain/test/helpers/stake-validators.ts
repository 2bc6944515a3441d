/**
 * The staking half of the PoV tests' ValidatorStakes set-up: one approval of the whole amount, then `stakeFor` each
 * validator, with explicit nonces and gas so every transaction enters the pool at once (one block, not one per step).
 */
import { artifacts, NO_PERMIT, validatorStakesAbi } from '@aic/ledger';
import type { Abi, Account, Address, Chain, Hex, Transport, WalletClient } from 'viem';

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
