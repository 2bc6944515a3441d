/**
 * `aic data publish | list` through a real node process on 127.0.0.1 and the embedded chain: the CLI (in-process,
 * its own API client with the node's token) has the node encrypt, store and mint a folder made by `aic data import`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeystore } from '@aic/core/keystore';
import { buildDataset, writeDatasetDir } from '@aic/data-vessel';
import { connectLedger, deploymentToJson, type LedgerClient } from '@aic/ledger';
import { deployDevnet, type EmbeddedChain, startEmbeddedChain } from '@aic/ledger/devchain';
import { keystoreDir, saveKeystore } from '@aic/node/identity';
import { type NodeProcess, spawnNodeProcess } from '@aic/node/spawn';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/program.ts';
import { captureIo } from '../helpers/capture-io.ts';

const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const PASSWORD = 'cli-data-test-password';

describe('aic data publish | list through a node', () => {
  let root: string;
  let chain: EmbeddedChain;
  let reader: LedgerClient;
  let node: NodeProcess;
  const dir = () => join(root, 'node');

  const aic = async (argv: string[]) => {
    const { io, out, err } = captureIo({});
    const code = await runCli(['--json', '--api', node.ready.apiUrl, '--data-dir', dir(), ...argv], io);
    return code === 0 ? { code, value: JSON.parse(out()) } : { code, error: err() };
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-cli-data-'));
    chain = await startEmbeddedChain();
    const dev = await deployDevnet(chain.provider, chain.accounts);
    const rpcUrl = await chain.serve();
    const deploymentFile = join(root, 'deployment.json');
    await writeFile(deploymentFile, deploymentToJson(dev.deployment));
    reader = await connectLedger({ rpcUrl, deploymentFile });
    const key = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 14 }).getHdKey().privateKey!;
    await saveKeystore(keystoreDir(dir()), await encryptKeystore(key, PASSWORD, { scryptN: 1024 }));
    const args = ['--data-dir', dir(), '--listen', '/ip4/127.0.0.1/tcp/0', '--api-port', '0', '--preset', 'minimal'];
    node = await spawnNodeProcess({
      args: [...args, '--rpc-url', rpcUrl, '--deployment', deploymentFile],
      env: { AIC_PASSWORD: PASSWORD },
    });
  }, 240_000);

  afterAll(async () => {
    await node?.stop();
    await chain?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('publishes a dataset folder at the manifest price and lists it', async () => {
    const rows = 30;
    const dataset = buildDataset(
      {
        rows,
        features: Float32Array.from({ length: rows * 2 }, (_, i) => i / 7),
        featureShape: [2],
        labels: Int32Array.from({ length: rows }, (_, i) => i % 2),
        labelShape: [],
      },
      {
        name: 'cli-pairs',
        sourceKind: 'tabular-csv',
        task: 'classification',
        classes: ['no', 'yes'],
        featureNames: ['a', 'b'],
        normalization: { kind: 'none' },
        preprocessing: { kind: 'tabular', labelColumn: 'y', numericColumns: ['a', 'b'], categoricalColumns: [] },
      },
      { license: 'CC0-1.0', pricePerUseWei: 3n * 10n ** 17n },
    );
    const folder = join(root, 'dataset');
    await writeDatasetDir(folder, dataset);
    const published = await aic(['data', 'publish', folder, '--license', 'download']);
    expect(published.value).toMatchObject({ datasetRoot: dataset.manifest.datasetRoot, chunks: 1 });
    const asset = await reader.registry.read.assetOf([BigInt(published.value.datasetId)]);
    expect(asset.pricePerUse).toBe(3n * 10n ** 17n); // the manifest's price: no --price given
    expect(asset.licenseId).toBe(1);
    const listed = await aic(['data', 'list']);
    expect(listed.value.datasets).toEqual([
      expect.objectContaining({ datasetId: published.value.datasetId, name: 'cli-pairs', license: 'download' }),
    ]);
    const missing = await aic(['data', 'publish', join(root, 'nothing-here')]);
    expect(missing.code).toBe(1);
    expect(missing.error).toMatch(/^CLI_FILE_NOT_FOUND: /);
  });
});
