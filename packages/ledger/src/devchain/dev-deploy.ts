/**
 * Deploys AIC on the embedded chain with the `minimal` preset and the well-known dev accounts:
 * account 0 deploys and administers, 1–5 take the genesis buckets, 6 is the treasury, 7 allocates, 8–9 verify,
 * 10 arbitrates, 11 rates; accounts 12+ are users, each funded with AIC from the company bucket.
 */
import { aicToWei } from '@aic/core';
import { type Address, createPublicClient, createWalletClient, custom, type EIP1193Provider } from 'viem';
import { hardhat } from 'viem/chains';
import { aicTokenAbi } from '../artifacts/index.ts';
import { type DeployConfig, deployConfigSchema, type MarketParamsInput, PRESETS } from '../config.ts';
import { deployAic } from '../deploy.ts';
import type { AicDeployment } from '../deployment.ts';

export interface DevDeployment {
  deployment: AicDeployment;
  config: DeployConfig;
  /** Named dev accounts. */
  roles: {
    admin: Address;
    treasury: Address;
    allocator: Address;
    verifiers: Address[];
    arbiter: Address;
    rater: Address;
    company: Address;
    users: Address[];
  };
}

/** Deploys to an embedded chain and funds the user accounts with `fundAic` AIC each. */
export async function deployDevnet(
  provider: EIP1193Provider,
  accounts: Address[],
  options: {
    fundAic?: string;
    onStep?: (line: string) => void;
    /** Contract parameters over the minimal preset's, e.g. the devnet preset's (`PRESETS.devnet`) for a live devnet. */
    params?: Partial<MarketParamsInput>;
    /**
     * The allocator account also verifies and is funded: the devnet's coordinator node issues canary jobs (it pays
     * and stakes for them) and challenges results a lazy verifier passed (VERIFIER_ROLE).
     */
    coordinatorCanaries?: boolean;
  } = {},
): Promise<DevDeployment> {
  const at = (i: number): Address => {
    const a = accounts[i];
    if (!a) throw new RangeError(`dev account ${i} missing (need at least 13)`);
    return a;
  };
  const roles = {
    admin: at(0),
    treasury: at(6),
    allocator: at(7),
    verifiers: options.coordinatorCanaries ? [at(8), at(9), at(7)] : [at(8), at(9)],
    arbiter: at(10),
    rater: at(11),
    company: at(5),
    users: accounts.slice(12),
  };
  const config = deployConfigSchema.parse({
    admin: roles.admin,
    treasury: roles.treasury,
    allocation: { investors: at(1), team: at(2), marketing: at(3), advisors: at(4), company: roles.company },
    roles: {
      allocators: [roles.allocator],
      verifiers: roles.verifiers,
      // The allocator account also arbitrates: on a devnet one coordinator node plays both protocol roles.
      arbiters: [roles.arbiter, roles.allocator],
      raters: [roles.rater],
    },
    params: { ...PRESETS.minimal, ...options.params },
  });
  const publicClient = createPublicClient({ chain: hardhat, transport: custom(provider, { retryCount: 0 }) });
  const walletClient = createWalletClient({
    chain: hardhat,
    transport: custom(provider, { retryCount: 0 }),
    account: roles.admin,
  });
  const onStep = options.onStep ?? (() => {});
  const deployment = await deployAic({ publicClient, walletClient }, config, { onStep });

  const fund = aicToWei(options.fundAic ?? '1000000');
  const company = createWalletClient({
    chain: hardhat,
    transport: custom(provider, { retryCount: 0 }),
    account: roles.company,
  });
  for (const user of options.coordinatorCanaries ? [...roles.users, roles.allocator] : roles.users) {
    const hash = await company.writeContract({
      address: deployment.contracts.AICToken,
      abi: aicTokenAbi,
      functionName: 'transfer',
      args: [user, fund],
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
  onStep(`funded ${roles.users.length} user accounts with ${options.fundAic ?? '1000000'} AIC each`);
  return { deployment, config, roles };
}
