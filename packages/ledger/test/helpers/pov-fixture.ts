/**
 * Contract-test fixture for the PoV chain's contracts: the embedded EVM with AIC deployed with `povChain` (AICIssuer
 * as AICToken's sole minter, ValidatorStakes with four dev validators staked), a snapshot to revert to, and the
 * validators' local viem accounts, which sign the consensus's EIP-712 Proposal/Attestation digests.
 */
import type { PovContractsPreset } from '@aic/core/params';
import { type Address, getContract, type PrivateKeyAccount, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { aicIssuerAbi, validatorStakesAbi } from '../../src/artifacts/index.ts';
import type { LedgerWallet } from '../../src/client.ts';
import { createDevClients, devAccountKey } from '../../src/devchain/dev-clients.ts';
import { deployDevnet } from '../../src/devchain/dev-deploy.ts';
import { startEmbeddedChain } from '../../src/devchain/embedded-chain.ts';
import type { Fixture } from './fixture.ts';

/** Dev accounts 16–19 validate (users 12–15 stay free for other roles). */
export const VALIDATOR_INDEXES = [16, 17, 18, 19] as const;
export const COMMITTEE_MAX_SIZE = 7;

export interface PovFixture extends Fixture {
  pov: { AICIssuer: Address; ValidatorStakes: Address };
  validators: PrivateKeyAccount[];
  /** The issuer and the stakes contract as `account` signs (viem contract instances). */
  issuer(account: Address): ReturnType<typeof issuerAt>;
  stakes(account: Address): ReturnType<typeof stakesAt>;
}

function issuerAt(f: Fixture, address: Address, account: Address) {
  const wallet = f.as(account).walletClient as LedgerWallet;
  return getContract({ address, abi: aicIssuerAbi, client: { public: f.publicClient, wallet } });
}

function stakesAt(f: Fixture, address: Address, account: Address) {
  const wallet = f.as(account).walletClient as LedgerWallet;
  return getContract({ address, abi: validatorStakesAbi, client: { public: f.publicClient, wallet } });
}

export async function buildPovFixture(params: Partial<PovContractsPreset> = {}): Promise<PovFixture> {
  const chain = await startEmbeddedChain();
  const validators = VALIDATOR_INDEXES.map((i) => privateKeyToAccount(toHex(devAccountKey(i))));
  const dev = await deployDevnet(chain.provider, chain.accounts, {
    povChain: { validators: validators.map((v) => v.address), committeeMaxSize: COMMITTEE_MAX_SIZE, params },
  });
  const pov = dev.deployment.pov;
  if (!pov) throw new Error('deployDevnet({ povChain }) returned no PoV contracts');
  const { publicClient, testClient, as } = createDevClients(chain, dev.deployment);
  let snapshot = await testClient.snapshot();
  const f: PovFixture = {
    ...dev,
    chain,
    publicClient,
    testClient,
    as,
    pov,
    validators,
    issuer: (account) => issuerAt(f, pov.AICIssuer, account),
    stakes: (account) => stakesAt(f, pov.ValidatorStakes, account),
    async reset() {
      await testClient.revert({ id: snapshot });
      snapshot = await testClient.snapshot();
    },
  };
  return f;
}
