/**
 * Contract-test fixture: the embedded EVM with AIC deployed once per test worker (minimal preset), and a snapshot
 * that every test reverts to, so tests are isolated and fast.
 */
import type { Address, PublicClient, TestClient } from 'viem';
import type { LedgerClient } from '../../src/client.ts';
import { createDevClients } from '../../src/devchain/dev-clients.ts';
import { type DevDeployment, deployDevnet } from '../../src/devchain/dev-deploy.ts';
import { type EmbeddedChain, startEmbeddedChain } from '../../src/devchain/embedded-chain.ts';

export interface Fixture extends DevDeployment {
  chain: EmbeddedChain;
  publicClient: PublicClient;
  testClient: TestClient;
  /** A typed ledger client signing as `account`. */
  as(account: Address): LedgerClient;
  /** Reverts the chain to the freshly deployed state (call in beforeEach). */
  reset(): Promise<void>;
}

let cached: Promise<Fixture> | undefined;

export function loadFixture(): Promise<Fixture> {
  cached ??= build();
  return cached;
}

async function build(): Promise<Fixture> {
  const chain = await startEmbeddedChain();
  const dev = await deployDevnet(chain.provider, chain.accounts);
  const { publicClient, testClient, as } = createDevClients(chain, dev.deployment);
  let snapshot = await testClient.snapshot();
  return {
    ...dev,
    chain,
    publicClient,
    testClient,
    as,
    async reset() {
      await testClient.revert({ id: snapshot });
      snapshot = await testClient.snapshot(); // a snapshot can be reverted to only once
    },
  };
}
