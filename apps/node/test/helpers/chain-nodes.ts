/**
 * An embedded chain with the AIC contracts served over JSON-RPC and one real node process per dev account, each
 * joined to the first: what the node's integration tests of paid features (data, models) start from.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeystore } from '@aic/core/keystore';
import { connectLedger, deploymentToJson, type LedgerClient } from '@aic/ledger';
import { type DevDeployment, deployDevnet, type EmbeddedChain, startEmbeddedChain } from '@aic/ledger/devchain';
import { type HDAccount, mnemonicToAccount } from 'viem/accounts';
import { readApiToken } from '../../src/api/api-token.ts';
import { type ApiClient, createApiClient } from '../../src/api/client.ts';
import { keystoreDir, saveKeystore } from '../../src/identity/keystore-files.ts';
import type { NodeProcess } from '../../src/spawn.ts';
import { startTestNode, TEST_PASSWORD, waitForPeers } from './cluster.ts';

export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

export interface ChainNodes {
  root: string;
  chain: EmbeddedChain;
  dev: DevDeployment;
  /** A read-only ledger client (no key). */
  reader: LedgerClient;
  accounts: HDAccount[];
  nodes: NodeProcess[];
  /** Each node's API client with its token. */
  apis: ApiClient[];
  /** Stops the nodes and the chain, removes the files; the nodes' exit codes. */
  close(): Promise<(number | null)[]>;
}

export async function startChainNodes(prefix: string, accountIndexes: readonly number[]): Promise<ChainNodes> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const chain = await startEmbeddedChain();
  const dev = await deployDevnet(chain.provider, chain.accounts);
  const rpcUrl = await chain.serve();
  const deploymentFile = join(root, 'deployment.json');
  await writeFile(deploymentFile, deploymentToJson(dev.deployment));
  const reader = await connectLedger({ rpcUrl, deploymentFile });
  const chainFlags = ['--rpc-url', rpcUrl, '--deployment', deploymentFile];
  const accounts = accountIndexes.map((i) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }));
  const nodes: NodeProcess[] = [];
  for (const [i, account] of accounts.entries()) {
    const dir = join(root, `node-${i}`);
    const key = account.getHdKey().privateKey!;
    await saveKeystore(keystoreDir(dir), await encryptKeystore(key, TEST_PASSWORD, { scryptN: 1024 }));
    nodes.push(await startTestNode(dir, nodes[0]?.ready.multiaddrs ?? [], chainFlags));
  }
  if (nodes.length > 1) await waitForPeers(nodes[nodes.length - 1]!.ready.apiUrl, 1);
  const apis = nodes.map((n, i) => createApiClient(n.ready.apiUrl, { token: readApiToken(join(root, `node-${i}`)) }));
  return {
    root,
    chain,
    dev,
    reader,
    accounts,
    nodes,
    apis,
    async close() {
      const codes = await Promise.all(nodes.map((n) => n.stop()));
      await chain.close();
      await rm(root, { recursive: true, force: true });
      return codes;
    },
  };
}
