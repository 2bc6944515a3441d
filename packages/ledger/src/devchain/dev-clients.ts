/**
 * viem clients for the embedded chain: a public client, a test client (mine, time travel, snapshots) and a typed
 * ledger client signing as any of the chain's dev accounts. No retries: a revert is final, and viem would otherwise
 * retry Hardhat's "unrecognized custom error" replies with backoff.
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
import { mnemonicToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { createLedgerClient, type LedgerClient } from '../client.ts';
import type { AicDeployment } from '../deployment.ts';
import type { EmbeddedChain } from './embedded-chain.ts';

export interface DevClients {
  publicClient: PublicClient;
  testClient: TestClient;
  /** A typed ledger client signing as `account` (cached per account). */
  as(account: Address): LedgerClient;
}

export function createDevClients(chain: Pick<EmbeddedChain, 'provider'>, deployment: AicDeployment): DevClients {
  const transport = custom(chain.provider, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 10 }) as PublicClient;
  const testClient = createTestClient({ chain: hardhat, mode: 'hardhat', transport });
  const clients = new Map<Address, LedgerClient>();
  return {
    publicClient,
    testClient,
    as(account) {
      let client = clients.get(account);
      if (!client) {
        client = createLedgerClient({
          publicClient,
          walletClient: createWalletClient({ chain: hardhat, transport, account }),
          deployment,
        });
        clients.set(account, client);
      }
      return client;
    },
  };
}

/** Hardhat's well-known development mnemonic, whose accounts the embedded chain funds (public: devnets and tests only). */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** The raw private key of development account `index` (for nodes and keystores on a devnet; never for real value). */
export function devAccountKey(index: number): Uint8Array {
  const key = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (key === null) throw new RangeError(`no key for dev account ${index}`);
  return key;
}
