/**
 * Contract-test fixture: the embedded EVM with AIC deployed once per test worker (minimal preset), and a snapshot
 * that every test reverts to, so tests are isolated and fast.
 */
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  custom,
  type PublicClient,
  type TestClient,
} from 'viem';
import { hardhat } from 'viem/chains';
import { createLedgerClient, type LedgerClient } from '../../src/client.ts';
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
  // No retries: a revert is final, and viem would otherwise retry Hardhat's unrecognized-error replies with backoff.
  const transport = custom(chain.provider, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 10 }) as PublicClient;
  const testClient = createTestClient({ chain: hardhat, mode: 'hardhat', transport });
  let snapshot = await testClient.snapshot();
  const clients = new Map<Address, LedgerClient>();
  return {
    ...dev,
    chain,
    publicClient,
    testClient,
    as(account) {
      let client = clients.get(account);
      if (!client) {
        const walletClient = createWalletClient({ chain: hardhat, transport, account });
        client = createLedgerClient({ publicClient, walletClient, deployment: dev.deployment });
        clients.set(account, client);
      }
      return client;
    },
    async reset() {
      await testClient.revert({ id: snapshot });
      snapshot = await testClient.snapshot(); // a snapshot can be reverted to only once
    },
  };
}
