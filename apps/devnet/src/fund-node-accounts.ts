import { bytesToHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { DevnetChain } from './chain.ts';
import { FAUCET_AIC } from './faucet.ts';
import { devAccountKey } from './nodes.ts';

/**
 * Gives AIC and gas (one faucet grant each, mined before it returns) to the node accounts past the dev accounts the
 * embedded chain creates funded (Hardhat's `accounts.count`, 32). Without it `--nodes 30` ran seven nodes on dev
 * accounts 32–38, which hold no gas to stake or send a transaction with, and those nodes stopped. Sequential: one
 * sender (the company account), so concurrent grants would race for its nonce. Returns how many were funded.
 */
export async function fundNodeAccountsPastDevAccounts(
  devchain: Pick<DevnetChain, 'chain' | 'faucet'>,
  keyIndices: readonly number[],
  log: (line: string) => void,
): Promise<number> {
  const fundedByChain = devchain.chain.accounts.length;
  const extra = keyIndices.filter((index) => index >= fundedByChain);
  for (const index of extra) {
    await devchain.faucet.grant(privateKeyToAccount(bytesToHex(devAccountKey(index))).address);
  }
  if (extra.length > 0) {
    log(
      `funded ${extra.length} node accounts past the chain's ${fundedByChain} dev accounts from the faucet (${FAUCET_AIC} AIC and gas each)`,
    );
  }
  return extra.length;
}
