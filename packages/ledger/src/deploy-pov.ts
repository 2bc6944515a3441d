/**
 * The PoV chain's contracts on top of a deployment (`deployAic`): AICIssuer, named AICToken's sole minter and given
 * the preset's schedule, and ValidatorStakes, with the validators' stakes funded by a funder account. Only deployments
 * that ask for it get these (the devnet's `povChain` option); the default deployment keeps AIC's supply fixed.
 */
import { AicError, aicToWei } from '@aic/core';
import type { PovContractsPreset } from '@aic/core/params';
import { type Abi, type Address, getAddress, type Hash } from 'viem';
import { aicIssuerAbi, aicTokenAbi, artifacts, validatorStakesAbi } from './artifacts/index.ts';
import type { DeployClients } from './deploy.ts';
import type { AicDeployment } from './deployment.ts';
import { NO_PERMIT } from './types.ts';

export interface PovDeployInput {
  /** The deployment to extend; its deployer must be the wallet here (only it may name the token's minter). */
  deployment: AicDeployment;
  params: PovContractsPreset;
  /** Holds GOVERNOR_ROLE on the issuer; the schedule is published (and switched on) only when it is the deployer. */
  governor: Address;
  /** Receives the treasury's share of validator slashes. */
  treasury: Address;
  /** Committee size cap of the PoV consensus (invalid-block evidence needs 2/3 of min(n − 1, this)). */
  committeeMaxSize: number;
  /** The PoV chain id in the validators' signature domain (default: the chain deployed to). */
  povChainId?: bigint;
  onStep?: (line: string) => void;
}

export interface PovContracts {
  AICIssuer: Address;
  ValidatorStakes: Address;
}

/** Deploys AICIssuer and ValidatorStakes and makes the issuer AICToken's one minter. */
export async function deployPovContracts(clients: DeployClients, input: PovDeployInput): Promise<PovContracts> {
  const { publicClient, walletClient } = clients;
  const deployer = walletClient.account.address;
  const step = input.onStep ?? (() => {});
  const p = input.params;
  const { AICToken, RewardsPool } = input.deployment.contracts;
  const mined = async (what: string, hash: Hash) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') {
      throw new AicError('LEDGER_DEPLOY_FAILED', `${what} failed during PoV set-up`, { details: { hash } });
    }
    return receipt;
  };
  const deploy = async (name: 'AICIssuer' | 'ValidatorStakes', args: readonly unknown[]): Promise<Address> => {
    const { abi, bytecode } = artifacts[name];
    const hash = await walletClient.deployContract({
      abi: abi as Abi,
      bytecode,
      args,
      chain: walletClient.chain ?? null,
    });
    const address = (await mined(`deploying ${name}`, hash)).contractAddress;
    if (!address) throw new AicError('LEDGER_DEPLOY_FAILED', `deploying ${name} returned no address`);
    step(`${name} deployed at ${getAddress(address)}`);
    return getAddress(address);
  };
  const write = async (address: Address, abi: Abi, functionName: string, args: readonly unknown[]) =>
    mined(
      functionName,
      await walletClient.writeContract({ address, abi, functionName, args, chain: walletClient.chain ?? null }),
    );

  const issuer = await deploy('AICIssuer', [AICToken, RewardsPool, input.governor]);
  const stakes = await deploy('ValidatorStakes', [
    AICToken,
    input.treasury,
    input.povChainId ?? BigInt(await publicClient.getChainId()),
    {
      minStake: aicToWei(p.validatorMinStakeAic),
      equivocationSlashBps: p.equivocationSlashBps,
      invalidBlockSlashBps: p.invalidBlockSlashBps,
      reporterShareBps: p.reporterShareBps,
      unbondingSec: p.validatorUnbondingSec,
      committeeMaxSize: input.committeeMaxSize,
    },
  ]);
  // From here on the issuer is the only address that can ever mint AIC.
  await write(AICToken, aicTokenAbi as Abi, 'setMinter', [issuer]);
  step(`AICIssuer is AICToken's sole minter`);
  if (input.governor.toLowerCase() === deployer.toLowerCase()) {
    const schedule = {
      startEpoch: 0n,
      epochsPerStep: p.issueEpochsPerStep,
      weiPerScore: BigInt(p.issueWeiPerScore),
      stepCaps: p.issueStepCapsAic.map((cap) => aicToWei(cap)),
    };
    await write(issuer, aicIssuerAbi as Abi, 'publishSchedule', [schedule]);
    if (p.issueOnAtDeploy) await write(issuer, aicIssuerAbi as Abi, 'setIssuing', [true]);
    step(`issuance schedule published (${p.issueStepCapsAic.length} steps), ${p.issueOnAtDeploy ? 'on' : 'off'}`);
  }
  return { AICIssuer: issuer, ValidatorStakes: stakes };
}

/**
 * Stakes `stakeAic` for each validator from `clients`' account (a funder holding AIC, e.g. the company bucket): the
 * stakes belong to the validators (ValidatorStakes.stakeFor), so they need no AIC or transaction of their own.
 */
export async function stakeValidators(
  clients: DeployClients,
  stakes: Address,
  token: Address,
  validators: readonly Address[],
  stakeAic: string,
): Promise<void> {
  const { publicClient, walletClient } = clients;
  const amount = aicToWei(stakeAic);
  const chain = walletClient.chain ?? null;
  const wait = async (hash: Hash) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') {
      throw new AicError('LEDGER_DEPLOY_FAILED', 'staking a validator failed', { details: { hash } });
    }
  };
  const total = amount * BigInt(validators.length);
  await wait(
    await walletClient.writeContract({
      address: token,
      abi: aicTokenAbi,
      functionName: 'approve',
      args: [stakes, total],
      chain,
    }),
  );
  for (const validator of validators) {
    await wait(
      await walletClient.writeContract({
        address: stakes,
        abi: validatorStakesAbi,
        functionName: 'stakeFor',
        args: [validator, amount, NO_PERMIT],
        chain,
      }),
    );
  }
}
