/**
 * `aic model publish | call` and `aic plaza buy-uses` against real node processes on 127.0.0.1 and the embedded
 * chain: the CLI (in-process, its own API client) publishes a member's manifest through one node, buys a use with
 * the other node's account and calls the model through that node.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeystore } from '@aic/core/keystore';
import { deploymentToJson } from '@aic/ledger';
import { deployDevnet, type EmbeddedChain, startEmbeddedChain } from '@aic/ledger/devchain';
import { irisTemplate } from '@aic/model-vessel';
import { createApiClient } from '@aic/node/api';
import { keystoreDir, saveKeystore } from '@aic/node/identity';
import { type NodeProcess, spawnNodeProcess } from '@aic/node/spawn';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/program.ts';
import { captureIo } from '../helpers/capture-io.ts';

const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const PASSWORD = 'cli-model-test-password';

describe('aic model publish | call and aic plaza buy-uses through nodes', () => {
  let root: string;
  let chain: EmbeddedChain;
  const nodes: NodeProcess[] = [];
  const dirs: string[] = [];

  const aic = async (node: number, argv: string[]) => {
    const { io, out, err } = captureIo({});
    const api = ['--api', nodes[node]!.ready.apiUrl, '--data-dir', dirs[node]!];
    const code = await runCli(['--json', ...api, ...argv], io);
    if (code !== 0) return { code, error: err() };
    return { code, value: JSON.parse(out()) };
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-cli-models-'));
    chain = await startEmbeddedChain();
    const dev = await deployDevnet(chain.provider, chain.accounts);
    const rpcUrl = await chain.serve();
    const deploymentFile = join(root, 'deployment.json');
    await writeFile(deploymentFile, deploymentToJson(dev.deployment));
    for (const [i, index] of [12, 13].entries()) {
      const dir = join(root, `node-${i}`);
      dirs.push(dir);
      const key = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }).getHdKey().privateKey!;
      await saveKeystore(keystoreDir(dir), await encryptKeystore(key, PASSWORD, { scryptN: 1024 }));
      const bootstrap = nodes[0]?.ready.multiaddrs.flatMap((m) => ['--bootstrap', m]) ?? [];
      const args = ['--data-dir', dir, '--listen', '/ip4/127.0.0.1/tcp/0', '--api-port', '0', '--preset', 'minimal'];
      nodes.push(
        await spawnNodeProcess({
          args: [...args, ...bootstrap, '--rpc-url', rpcUrl, '--deployment', deploymentFile],
          env: { AIC_PASSWORD: PASSWORD },
        }),
      );
    }
    const caller = createApiClient(nodes[1]!.ready.apiUrl);
    // the caller's node must know the publisher's peer (the model's owner on chain) to reach it: bounded poll
    const deadline = Date.now() + 60_000;
    while ((await caller.status()).connectedPeers < 1) {
      if (Date.now() > deadline) throw new Error('the two nodes did not connect');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await chain?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('publishes, buys a use and calls; the next call is refused', async () => {
    const manifestPath = join(root, 'model.json');
    await writeFile(manifestPath, JSON.stringify({ ...irisTemplate.manifest, name: 'cli-mlp' }, null, 2));
    const published = await aic(0, ['model', 'publish', manifestPath, '--price', '1.5']);
    expect(published.value).toMatchObject({ pricePerUseWei: String(15n * 10n ** 17n) });
    const modelId: string = published.value.modelId;

    const bought = await aic(1, ['plaza', 'buy-uses', modelId, '--uses', '1', '--yes']);
    expect(bought.value).toMatchObject({ uses: 1, paid: '1.5', usesLeft: '1' });
    const inputPath = join(root, 'input.json');
    await writeFile(inputPath, '[0.1, -0.3, 1.2, 0.8]');
    const called = await aic(1, ['model', 'call', modelId, '--input', inputPath]);
    expect(called.value.outputs[0]).toHaveLength(3);
    expect(called.value.predictions).toHaveLength(1);
    expect(called.value.usesLeft).toBe('0');
    const refused = await aic(1, ['model', 'call', modelId, '--input', '[0.1, -0.3, 1.2, 0.8]']);
    expect(refused.code).toBe(1);
    expect(refused.error).toMatch(/^MODEL_CALL_UNPAID: /);
  });
});
