/** The provider's cached-dataset list behind its offers' locality fields: bounded LRU, on disk, fed by materialize. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CachedDatasets, recordingMaterialized } from '../../src/agent/cached-datasets.ts';
import type { JobAssetPort, JobDatasetManifest } from '../../src/jobs/asset-port.ts';

const root = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as `0x${string}`;
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('cached datasets', () => {
  it('keeps the most recently used up to its bound and lists them as offer fields', async () => {
    const list = await CachedDatasets.open({ max: 2 });
    await list.record({ datasetId: '1', datasetRoot: root(1) });
    await list.record({ datasetId: '2', datasetRoot: root(2) });
    await list.record({ datasetId: '1', datasetRoot: root(1) }); // used again: now the newest
    await list.record({ datasetId: '3', datasetRoot: root(3) }); // evicts 2
    expect(list.offerFields()).toEqual({ cachedDatasetIds: ['1', '3'], cachedDatasetRoots: [root(1), root(3)] });
  });

  it('survives a restart through its file; a corrupt file starts empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aic-cached-'));
    dirs.push(dir);
    const file = join(dir, 'provider', 'cached-datasets.json');
    const first = await CachedDatasets.open({ file });
    await first.record({ datasetId: '9', datasetRoot: root(9) });
    expect((await CachedDatasets.open({ file })).list()).toEqual([{ datasetId: '9', datasetRoot: root(9) }]);
    await writeFile(file, '{not json');
    expect((await CachedDatasets.open({ file })).list()).toEqual([]);
  });

  it('lists only what the worker cache still holds', async () => {
    const held = new Set([root(2)]);
    const list = await CachedDatasets.open({ stillCached: (d) => held.has(d.datasetRoot) });
    await list.record({ datasetId: '1', datasetRoot: root(1) });
    await list.record({ datasetId: '2', datasetRoot: root(2) });
    expect(list.offerFields().cachedDatasetRoots).toEqual([root(2)]);
  });

  it('records every dataset the asset port materializes, with the manifest root', async () => {
    const list = await CachedDatasets.open();
    const port = {
      datasetManifest: async () =>
        ({ datasetRoot: root(0xab), shards: [{ root: root(1) }, { root: root(2) }] }) as unknown as JobDatasetManifest,
      materializeDataset: async () => ({ files: [], trainRows: 1, bytesFetched: 10, fromCache: false, holders: [] }),
      modelManifest: async () => new Uint8Array(),
    } satisfies JobAssetPort;
    const wrapped = recordingMaterialized(port, list);
    await wrapped.materializeDataset({ datasetId: '5', jobId: 1n, dir: '/tmp/x' });
    expect(list.list()).toEqual([{ datasetId: '5', datasetRoot: root(0xab), shardRoots: [root(1), root(2)] }]);
  });
});
