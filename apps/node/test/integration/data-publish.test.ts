import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDataset, type ImportedDataset, writeDatasetDir } from '@aic/data-vessel';
import type { LedgerClient } from '@aic/ledger';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/client.ts';
import type { NodeProcess } from '../../src/spawn.ts';
import { type ChainNodes, startChainNodes } from '../helpers/chain-nodes.ts';
import { eventually } from '../helpers/cluster.ts';

// Hardhat's well-known development mnemonic: the embedded chain funds accounts 12+ with AIC (deployDevnet).
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** A small tabular dataset in 3 shards, as `aic data import` writes it. */
function smallDataset(name: string, seed = 0): ImportedDataset {
  const rows = 60;
  return buildDataset(
    {
      rows,
      features: Float32Array.from({ length: rows * 4 }, (_, i) => ((i + seed) % 17) / 10),
      featureShape: [4],
      labels: Int32Array.from({ length: rows }, (_, i) => i % 3),
      labelShape: [],
    },
    {
      name,
      sourceKind: 'tabular-csv',
      task: 'classification',
      classes: ['a', 'b', 'c'],
      featureNames: ['w', 'x', 'y', 'z'],
      normalization: { kind: 'none' },
      preprocessing: {
        kind: 'tabular',
        labelColumn: 'c',
        numericColumns: ['w', 'x', 'y', 'z'],
        categoricalColumns: [],
      },
    },
    { license: 'CC-BY-4.0', pricePerUseWei: 10n ** 18n, rowsPerShard: 20 },
  );
}

// Two node processes on 127.0.0.1 and the embedded chain: the owner's node publishes a dataset dir through its API
// (sealed chunks + manifest in its Helia store, Dataset NFT minted, holdings gossiped); the other node resolves the
// NFT, finds the owner through the holdings book, fetches the manifest over the content protocol and checks it
// against the chain; its key request without a right is refused (DATA_KEY_UNPAID), with a use bought it downloads.
describe('datasets published from a node and fetched by another', () => {
  let root: string;
  let reader: LedgerClient;
  let nodes: NodeProcess[] = [];
  let net: ChainNodes | undefined;
  const [owner, _member] = [12, 13].map((i) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }));
  let ownerApi: ApiClient;
  let memberApi: ApiClient;

  beforeAll(async () => {
    net = await startChainNodes('aic-data-', [12, 13]);
    ({ root, reader, nodes } = net);
    [ownerApi, memberApi] = net.apis as [ApiClient, ApiClient];
  }, 240_000);

  afterAll(async () => {
    const codes = (await net?.close()) ?? [];
    expect(codes).toEqual(codes.map(() => 0));
  });

  it('refuses a folder that is not a dataset dir with a typed error', async () => {
    await expect(
      ownerApi.publishDataset({ body: { dir: join(root, 'missing'), pricePerUseAic: '1' } }),
    ).rejects.toMatchObject({ code: 'DATASET_DIR_INVALID', details: { code: 'DATA_SOURCE_UNREADABLE' } });
  });

  it('publishes, serves the manifest to another node, and releases the key only against a right', async () => {
    const dataset = smallDataset('small-tabular');
    const dir = join(root, 'dataset');
    await writeDatasetDir(dir, dataset);
    const published = await ownerApi.publishDataset({ body: { dir, pricePerUseAic: '1', license: 'download' } });
    expect(published).toMatchObject({ datasetRoot: dataset.manifest.datasetRoot, chunks: 3 });
    const asset = await reader.registry.read.assetOf([BigInt(published.datasetId)]);
    expect(asset.contentRoot).toBe(published.datasetRoot);
    expect(asset.manifestCid).toBe(published.manifestCid);
    expect(await reader.registry.read.ownerOf([BigInt(published.datasetId)])).toBe(owner!.address);
    const listed = await ownerApi.listDatasets();
    expect(listed.datasets.map((d) => d.datasetId)).toContain(published.datasetId);
    // The key is booked encrypted at rest, never in the clear.
    const book = await readFile(join(root, 'node-0', 'datasets.json'), 'utf8');
    expect(book).toContain('wrappedKey');

    // The member's node finds the holder through the holdings gossip and checks the manifest against the chain.
    const seen = await eventually('the manifest from the holder', async () => {
      const answer = await memberApi.datasetManifest({ query: { datasetId: published.datasetId } });
      return answer.holders.length > 0 ? answer : undefined;
    });
    expect(seen.manifestCid).toBe(published.manifestCid);
    expect(seen.datasetRoot).toBe(dataset.manifest.datasetRoot);
    expect(seen.holders[0]).toMatchObject({ peerId: nodes[0]!.ready.peerId, role: 'owner' });

    const out = join(root, 'download');
    await expect(memberApi.fetchDataset({ body: { datasetId: published.datasetId, dir: out } })).rejects.toMatchObject({
      code: 'DATASET_KEY_REFUSED',
      details: { code: 'DATA_KEY_UNPAID', httpStatus: 403 },
    });

    await memberApi.buyUses({ body: { assetId: published.datasetId, uses: 1, maxTotalAic: '1' } });
    const fetched = await memberApi.fetchDataset({ body: { datasetId: published.datasetId, dir: out } });
    expect(fetched.files).toHaveLength(3);
    expect(fetched.bytesFetched).toBe(dataset.shards.reduce((n, s) => n + s.length, 0));
    expect(fetched.holders).toEqual([nodes[0]!.ready.peerId]);
    for (const [i, file] of fetched.files.entries()) {
      expect(new Uint8Array(await readFile(file))).toEqual(dataset.shards[i]);
    }
    // Again: every shard is in the member's verified cache, nothing moves.
    const again = await memberApi.fetchDataset({ body: { datasetId: published.datasetId, dir: join(root, 'again') } });
    expect(again).toMatchObject({ bytesFetched: 0, fromCache: true });
  });

  it('keeps a job-only dataset inside jobs: a usage right alone does not release its key', async () => {
    const dir = join(root, 'job-only');
    await writeDatasetDir(dir, smallDataset('job-only-tabular', 5));
    const published = await ownerApi.publishDataset({ body: { dir, pricePerUseAic: '1' } });
    await memberApi.buyUses({ body: { assetId: published.datasetId, uses: 1, maxTotalAic: '1' } });
    await eventually('the job-only dataset announced', async () => {
      const answer = await memberApi.datasetManifest({ query: { datasetId: published.datasetId } });
      return answer.holders.length > 0 ? answer : undefined;
    });
    await expect(
      memberApi.fetchDataset({ body: { datasetId: published.datasetId, dir: join(root, 'job-only-out') } }),
    ).rejects.toMatchObject({ code: 'DATASET_KEY_REFUSED', details: { code: 'DATA_KEY_UNPAID' } });
  });
});
