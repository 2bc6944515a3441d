/**
 * The node's dataset preview (`GET /v1/datasets/preview`, src/data/preview.ts) over a fake data role and chain: the
 * owner's node decrypts its sealed shards and serves a preview the Data Vessel's verifier accepts against the root and
 * the seed block's hash; a replica holder, an unknown dataset, a root that differs on chain and a seed block not mined
 * yet are typed refusals; a refusal is not cached.
 */
import { buildDataset, encryptShard, generateDatasetKey, previewFromJson, verifyPreview } from '@aic/data-vessel';
import { describe, expect, it } from 'vitest';
import type { DatasetEntry } from '../../src/data/dataset-book.ts';
import { createDatasetPreviews } from '../../src/data/preview.ts';
import type { NodeLedger } from '../../src/ledger-port.ts';
import type { DatasetAnchor } from '../../src/web/plaza-assets.ts';

const blockHash = `0x${'5a'.repeat(32)}` as const;

function fixture(role: 'owner' | 'replica' = 'owner') {
  const rows = 40;
  const dataset = buildDataset(
    {
      rows,
      features: Float32Array.from({ length: rows * 3 }, (_, i) => i / 10),
      featureShape: [3],
      labels: Int32Array.from({ length: rows }, (_, r) => r % 2),
      labelShape: [],
    },
    {
      name: 'tiny',
      sourceKind: 'tabular-csv',
      task: 'classification',
      classes: ['a', 'b'],
      normalization: { kind: 'none' },
      preprocessing: { kind: 'tabular', labelColumn: 'y', numericColumns: [], categoricalColumns: [] },
    },
    { license: 'CC0-1.0', pricePerUseWei: 0n, rowsPerShard: 15 },
  );
  const root = dataset.manifest.datasetRoot as `0x${string}`;
  const key = generateDatasetKey();
  const blocks = new Map<string, Uint8Array>();
  blocks.set('manifest', new TextEncoder().encode(JSON.stringify(dataset.manifest)));
  const chunkCids = dataset.shards.map((shard, s) =>
    encryptShard(key, root, s, shard).map((sealed, c) => {
      blocks.set(`chunk-${s}-${c}`, sealed);
      return `chunk-${s}-${c}`;
    }),
  );
  const entry = { datasetId: '7', datasetRoot: root, manifestCid: 'manifest', chunkCids, role } as DatasetEntry;
  const data = {
    datasets: () => [entry],
    datasetKey: () => ({ datasetRoot: root, key }),
    store: { get: async (cid: string) => blocks.get(cid) },
  } as unknown as Parameters<typeof createDatasetPreviews>[0];
  let anchor: DatasetAnchor | undefined = {
    kind: 'Dataset',
    contentRoot: root,
    mintBlock: 10n,
    seedBlock: 11n,
    blockHash,
  };
  const ledger = { datasetAnchor: async () => anchor } as unknown as NodeLedger;
  return { dataset, root, data, ledger, setAnchor: (a: DatasetAnchor | undefined) => (anchor = a) };
}

describe('the dataset preview route', () => {
  it("serves the owner's preview: the Data Vessel's verifier accepts it against the root and the seed block", async () => {
    const { root, data, ledger } = fixture();
    const served = await createDatasetPreviews(data, ledger).preview('7');
    expect(served).toMatchObject({ datasetId: '7', mintBlock: '10', seedBlock: '11', blockHash, k: 8 });
    expect(served.classes).toEqual(['a', 'b']);
    const { datasetRoot, blockHash: hash, shards, rows: previewRows } = served;
    const rows = verifyPreview(
      previewFromJson({ datasetRoot, blockHash: hash, shards, rows: previewRows }),
      root,
      blockHash,
      served.k,
    );
    expect(rows).toHaveLength(8);
  });

  it('refuses a replica holder, an unknown dataset, another on-chain root and a seed block not mined yet', async () => {
    const replica = fixture('replica');
    await expect(createDatasetPreviews(replica.data, replica.ledger).preview('7')).rejects.toMatchObject({
      code: 'DATASET_PREVIEW_NOT_HELD',
    });
    const owner = fixture();
    const previews = createDatasetPreviews(owner.data, owner.ledger);
    await expect(previews.preview('8')).rejects.toMatchObject({ code: 'DATASET_PREVIEW_NOT_HELD' });
    owner.setAnchor({
      kind: 'Dataset',
      contentRoot: `0x${'ab'.repeat(32)}`,
      mintBlock: 10n,
      seedBlock: 11n,
      blockHash,
    });
    await expect(previews.preview('7')).rejects.toMatchObject({ code: 'DATASET_ROOT_MISMATCH' });
    owner.setAnchor({ kind: 'Dataset', contentRoot: owner.root, mintBlock: 10n, seedBlock: 11n, blockHash: undefined });
    await expect(previews.preview('7')).rejects.toMatchObject({ code: 'DATASET_PREVIEW_NOT_READY' });
    // Refusals are not cached: once the block is mined the same handler serves the preview.
    owner.setAnchor({ kind: 'Dataset', contentRoot: owner.root, mintBlock: 10n, seedBlock: 11n, blockHash });
    expect((await previews.preview('7')).rows).toHaveLength(8);
  });
});
