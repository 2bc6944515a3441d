/**
 * Deploys AIC on the embedded chain with the `minimal` preset and the well-known dev accounts:
 * account 0 deploys and administers, 1–5 take the genesis buckets, 6 is the treasury, 7 allocates, 8–9 verify,
 * 10 arbitrates, 11 is a spare rater account (raters stake in the RewardsPool); accounts 12+ are users, each funded with AIC from the company bucket.
 */
import { aicToWei } from '@aic/core';
import { minimalPreset, type PovContractsPreset } from '@aic/core/params';
import {
  type Account,
  type Address,
  type Chain,
  type CustomTransport,
  createPublicClient,
  createWalletClient,
  custom,
  type EIP1193Provider,
  type Hash,
  type Hex,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { aicTokenAbi, computeMarketAbi } from '../artifacts/index.ts';
import { type DeployConfig, deployConfigSchema, type MarketParamsInput, PRESETS } from '../config.ts';
import { deployAic } from '../deploy.ts';
import { deployPovContracts, stakeValidators } from '../deploy-pov.ts';
import type { AicDeployment } from '../deployment.ts';
import { NO_PERMIT } from '../types.ts';

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
    /**
     * Verifier accounts get their stake's worth of AIC and stake it themselves (a node's `--verifier` role does at
     * start: the devnet). Otherwise (tests, benchmarks) the deployment stakes them, so verifiers are drawn at once.
     */
    verifiersStakeThemselves?: boolean;
    /**
     * The PoV chain's contracts too (`--chain pov`): AICIssuer as AICToken's sole minter with the preset's schedule,
     * and ValidatorStakes with each of `validators` staked the preset's minimum from the company bucket.
     */
    povChain?: PovChainOptions;
    /**
     * Sign every transaction here (eth_sendRawTransaction) with the dev accounts' keys instead of asking the chain
     * to sign for its unlocked accounts (eth_sendTransaction): a chain that holds no keys, e.g. the PoV chain.
     */
    localSigning?: LocalSigning;
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
      // Nobody: placement is checkable and preemption is the requester's (issue 15); no key allocates.
      allocators: [],
      verifiers: roles.verifiers,
      // The allocator account also arbitrates: on a devnet one coordinator node plays both protocol roles.
      arbiters: [roles.arbiter, roles.allocator],
    },
    params: { ...PRESETS.minimal, ...options.params },
  });
  const chain = options.localSigning?.chain ?? hardhat;
  // A chain with real block times (PoV: a block per 2 s slot) is polled for receipts faster than viem's 4 s default.
  const publicClient = createPublicClient({
    chain,
    transport: custom(provider, { retryCount: 0 }),
    ...(options.localSigning ? { pollingInterval: 250 } : {}),
  });
  const walletOf = devWalletFactory(provider, chain, options.localSigning);
  const walletClient = walletOf(roles.admin);
  const onStep = options.onStep ?? (() => {});
  const deployment = await deployAic({ publicClient, walletClient }, config, { onStep });

  const fund = aicToWei(options.fundAic ?? '1000000');
  const company = walletOf(roles.company);
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
  await stakeVerifiers(
    publicClient,
    walletOf,
    deployment,
    roles.verifiers,
    config.params.verifierMinStakeAic,
    company,
    {
      register: !options.verifiersStakeThemselves,
    },
  );
  onStep(`${options.verifiersStakeThemselves ? 'funded' : 'staked'} ${roles.verifiers.length} verifiers`);
  if (!options.povChain) return { deployment, config, roles };
  const pov = options.povChain;
  const params = { ...minimalPreset.povContracts, ...pov.params };
  const contracts = await deployPovContracts(
    { publicClient, walletClient },
    {
      committeeMaxSize: minimalPreset.pov.committeeMaxSize,
      ...pov,
      deployment,
      params,
      governor: roles.admin,
      treasury: roles.treasury,
      onStep,
    },
  );
  await stakeValidators(
    { publicClient, walletClient: company },
    contracts.ValidatorStakes,
    deployment.contracts.AICToken,
    pov.validators,
    params.validatorMinStakeAic,
  );
  onStep(`staked ${pov.validators.length} PoV validators`);
  return { deployment: { ...deployment, pov: contracts }, config, roles };
}

export interface PovChainOptions {
  /** Validator accounts (the devnet's GPU Vessels' node accounts) to stake. */
  validators: Address[];
  /** The consensus committee's size cap (default: the minimal preset's `pov.committeeMaxSize`, as the devnet's). */
  committeeMaxSize?: number;
  /** The PoV chain id the validators sign under (default: the chain deployed to). */
  povChainId?: bigint;
  params?: Partial<PovContractsPreset>;
}

/** How transactions are signed on a chain without unlocked accounts: the chain (its id) and each dev account's key. */
export interface LocalSigning {
  chain: Chain;
  keyOf(address: Address): Hex;
}

type DevWallet = WalletClient<CustomTransport, Chain, Account>;

/** A wallet client per dev account: the chain signs (JSON-RPC account), or, with `local`, this process does. */
function devWalletFactory(provider: EIP1193Provider, chain: Chain, local: LocalSigning | undefined) {
  return (address: Address): DevWallet =>
    createWalletClient({
      chain,
      transport: custom(provider, { retryCount: 0 }),
      account: local === undefined ? address : privateKeyToAccount(local.keyOf(address)),
    });
}

/** Gives each verifier `stake` AIC from the company bucket and, with `register`, stakes it as a verifier (without,
 * twice `stake`: the verifier node stakes itself and keeps the rest for top-ups). */
async function stakeVerifiers(
  publicClient: { waitForTransactionReceipt(args: { hash: Hash }): Promise<unknown> },
  walletOf: (address: Address) => DevWallet,
  deployment: AicDeployment,
  verifiers: Address[],
  stake: bigint,
  company: DevWallet,
  options: { register: boolean },
): Promise<void> {
  const { AICToken, ComputeMarket } = deployment.contracts;
  const wait = async (hash: Hash) => void (await publicClient.waitForTransactionReceipt({ hash }));
  for (const verifier of verifiers) {
    await wait(
      await company.writeContract({
        address: AICToken,
        abi: aicTokenAbi,
        functionName: 'transfer',
        // A verifier that stakes itself gets twice its stake: the margin tops a stake up after silence penalties.
        args: [verifier, options.register ? stake : 2n * stake],
      }),
    );
    if (!options.register) continue;
    // Dev accounts are signed for by the chain itself (or here, with local signing).
    const wallet = walletOf(verifier);
    await wait(
      await wallet.writeContract({
        address: AICToken,
        abi: aicTokenAbi,
        functionName: 'approve',
        args: [ComputeMarket, stake],
      }),
    );
    await wait(
      await wallet.writeContract({
        address: ComputeMarket,
        abi: computeMarketAbi,
        functionName: 'registerVerifier',
        args: [stake, NO_PERMIT],
      }),
    );
  }
}
