import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeystore } from '@aic/core/keystore';
import { deploymentToJson } from '@aic/ledger';
import { deployDevnet, type EmbeddedChain, startEmbeddedChain } from '@aic/ledger/devchain';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client.ts';
import { keystoreDir, saveKeystore } from '../../src/identity/keystore-files.ts';
import type { NodeProcess } from '../../src/spawn.ts';
import { startTestNode, TEST_PASSWORD } from '../helpers/cluster.ts';

// Hardhat's well-known development mnemonic: the embedded chain funds accounts 12+ with AIC (deployDevnet).
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

describe('a node reading the ledger over JSON-RPC', () => {
  let root: string;
  let chain: EmbeddedChain;
  let node: NodeProcess;
  const user = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 12 });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-ledger-'));
    chain = await startEmbeddedChain();
    const dev = await deployDevnet(chain.provider, chain.accounts, { fundAic: '1234.5' });
    expect(dev.roles.users[0]).toBe(user.address);
    const rpcUrl = await chain.serve();
    const deploymentFile = join(root, 'deployment.json');
    await writeFile(deploymentFile, deploymentToJson(dev.deployment));
    const privateKey = user.getHdKey().privateKey!;
    await saveKeystore(
      keystoreDir(join(root, 'node')),
      await encryptKeystore(privateKey, TEST_PASSWORD, { scryptN: 1024 }),
    );
    node = await startTestNode(join(root, 'node'), [], ['--rpc-url', rpcUrl, '--deployment', deploymentFile]);
  });

  afterAll(async () => {
    expect(await node?.stop()).toBe(0);
    await chain?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('reports the AIC balance of the address its key controls', async () => {
    const balance = await createApiClient(node.ready.apiUrl).balance();
    expect(balance.address).toBe(user.address);
    expect(balance.aic).toBe('1234.5');
    expect(balance.chainId).toBe(chain.chainId);
    expect(BigInt(balance.nativeWei)).toBeGreaterThan(0n);
  });
});
