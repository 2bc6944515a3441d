/**
 * Deploys the AIC contracts to any EVM chain through viem, in a fixed order so the RewardsPool address can be
 * predicted and receive the ecosystem allocation at token genesis, then grants the configured roles.
 */
import { AicError } from '@aic/core';
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  getAddress,
  getContractAddress,
  type Hex,
  keccak256,
  type PublicClient,
  type Transport,
  toHex,
  type WalletClient,
} from 'viem';
import { artifacts, type ContractName } from './artifacts/index.ts';
import type { DeployConfig } from './config.ts';
import type { AicDeployment } from './deployment.ts';

export interface DeployClients {
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
}

export interface DeployOptions {
  /** Called with a short line per step (for progress output). */
  onStep?: (line: string) => void;
}

/**
 * Deploys every contract and returns their addresses.
 *
 * @example
 * const deployment = await deployAic({ publicClient, walletClient }, deployConfigSchema.parse(json));
 */
export async function deployAic(
  clients: DeployClients,
  config: DeployConfig,
  options: DeployOptions = {},
): Promise<AicDeployment> {
  const { publicClient, walletClient } = clients;
  const deployer = walletClient.account.address;
  const step = options.onStep ?? (() => {});
  const firstNonce = await publicClient.getTransactionCount({ address: deployer, blockTag: 'pending' });
  const predictedPool = getContractAddress({ from: deployer, nonce: BigInt(firstNonce + 1) });
  const p = config.params;

  const deploy = async (name: ContractName, args: readonly unknown[]): Promise<Address> => {
    const { abi, bytecode } = artifacts[name];
    const hash = await walletClient.deployContract({
      abi: abi as Abi,
      bytecode,
      args,
      chain: walletClient.chain ?? null,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success' || !receipt.contractAddress) {
      throw new AicError('LEDGER_DEPLOY_FAILED', `deploying ${name} failed`, { details: { hash } });
    }
    const address = getAddress(receipt.contractAddress);
    step(`${name} deployed at ${address}`);
    return address;
  };

  const token = await deploy('AICToken', [{ ...config.allocation, ecosystem: predictedPool }]);
  const pool = await deploy('RewardsPool', [
    token,
    config.admin,
    p.epochDurationSec,
    p.emissionPerEpochAic,
    p.maxRewardWeiPerScore,
    { minRaterStake: p.raterMinStakeAic, challengeWindowSec: p.scoreChallengeWindowSec, slashBps: p.raterSlashBps },
  ]);
  if (pool.toLowerCase() !== predictedPool.toLowerCase()) {
    // Another transaction from the deployer slipped in between; the ecosystem allocation went elsewhere.
    throw new AicError('LEDGER_DEPLOY_FAILED', 'RewardsPool address differs from the predicted one', {
      details: { predictedPool, pool },
    });
  }
  const registry = await deploy('AssetRegistry', [config.admin]);
  const payroll = await deploy('Payroll', [token, registry]);
  const plaza = await deploy('Plaza', [token, registry, payroll, config.admin, config.treasury, p.plazaFeeBps]);
  const market = await deploy('ComputeMarket', [
    token,
    registry,
    payroll,
    deployer, // admin during set-up; handed to config.admin below
    config.treasury,
    {
      protocolFeeBps: p.protocolFeeBps,
      challengeWindowSec: p.challengeWindowSec,
      slashBps: p.slashBps,
      slashToVerifierBps: p.slashToVerifierBps,
      verifyWindowSec: p.verifyWindowSec,
      assignWindowSec: p.assignWindowSec,
      shortlistSize: p.assignShortlistSize,
    },
    {
      minStake: p.verifierMinStakeAic,
      silencePenalty: p.verifierSilencePenaltyAic,
      slashBps: p.verifierSlashBps,
      unbondingSec: p.verifierUnbondingSec,
    },
  ]);
  // The court hears the market's disputes: deployed after it, seated once (ComputeMarket.setCourt, below).
  const court = await deploy('DisputeCourt', [
    token,
    market,
    config.admin,
    {
      committeeSize: p.courtCommitteeSize,
      voteWindowSec: p.courtVoteWindowSec,
      appealWindowSec: p.courtAppealWindowSec,
      appealBond: p.courtAppealBondAic,
    },
  ]);

  const storage = await deploy('StorageMarket', [
    token,
    config.admin,
    p.storageEpochSec,
    p.storageResponseWindowBlocks,
    p.storageChallengerShareBps,
  ]);
  const dataRequests = await deploy('DataRequests', [token, registry]);

  const send = async (address: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<void> => {
    const hash = await walletClient.writeContract({
      address,
      abi,
      functionName,
      args,
      chain: walletClient.chain ?? null,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') {
      throw new AicError('LEDGER_DEPLOY_FAILED', `${functionName} failed during set-up`, { details: { hash } });
    }
  };
  const marketAbi = artifacts.ComputeMarket.abi as Abi;
  await send(market, marketAbi, 'setCourt', [court]);
  for (const [hwClass, minStake] of p.minStakeByClassAic.entries()) {
    await send(market, marketAbi, 'setMinStake', [hwClass, minStake]);
  }
  const grants: Array<[string, Address[]]> = [
    ['ALLOCATOR_ROLE', config.roles.allocators],
    ['VERIFIER_ROLE', config.roles.verifiers],
    ['ARBITER_ROLE', config.roles.arbiters],
  ];
  for (const [role, members] of grants) {
    for (const member of members) await send(market, marketAbi, 'grantRole', [roleId(role), member]);
  }
  if (config.admin.toLowerCase() !== deployer.toLowerCase()) {
    await send(market, marketAbi, 'grantRole', [ZERO_ROLE, config.admin]);
    await send(market, marketAbi, 'renounceRole', [ZERO_ROLE, deployer]);
  }
  step(`roles granted (${config.roles.allocators.length} allocators, ${config.roles.verifiers.length} verifiers)`);
  await grantAdminRoles({ clients, config, registry, market, send });

  const blockNumber = await publicClient.getBlockNumber();
  const chainId = await publicClient.getChainId();
  return {
    chainId,
    blockNumber,
    deployer,
    contracts: {
      AICToken: token,
      RewardsPool: pool,
      AssetRegistry: registry,
      Payroll: payroll,
      Plaza: plaza,
      ComputeMarket: market,
      StorageMarket: storage,
      DataRequests: dataRequests,
    },
  };
}

const ZERO_ROLE: Hex = `0x${'00'.repeat(32)}`;

/** keccak256 of a role name, as the contracts compute it. */
export function roleId(name: string): Hex {
  return keccak256(toHex(name));
}

/**
 * Registry MINTER_ROLE for the ComputeMarket (it mints TrainedAI assets) needs the registry's admin; it is granted
 * only when the deployer is that admin, otherwise the admin does it. No role rates: raters stake in the RewardsPool.
 */
async function grantAdminRoles(input: {
  clients: DeployClients;
  config: DeployConfig;
  registry: Address;
  market: Address;
  send: (address: Address, abi: Abi, fn: string, args: readonly unknown[]) => Promise<void>;
}): Promise<void> {
  const { clients, config, registry, market, send } = input;
  if (config.admin.toLowerCase() !== clients.walletClient.account.address.toLowerCase()) return;
  await send(registry, artifacts.AssetRegistry.abi as Abi, 'grantRole', [roleId('MINTER_ROLE'), market]);
}
