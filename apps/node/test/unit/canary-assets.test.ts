import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDatasetDir } from '@aic/data-vessel';
import { irisTemplate } from '@aic/model-vessel';
import { afterAll, describe, expect, it } from 'vitest';
import { canaryAssetsOf } from '../../src/jobs/canary-assets.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the canaries’ assets', () => {
  it('are the iris examples and MLP, published once through the data role and reused after a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-canary-assets-'));
    dirs.push(dataDir);
    const published: string[] = [];
    const init = {
      dataDir,
      publishDataset: async (input: { dir: string; pricePerUseWei: bigint; license: string }) => {
        const dataset = await readDatasetDir(input.dir); // a valid dataset dir (shard roots checked)
        expect(dataset.manifest.split.trainRows).toBeGreaterThan(100);
        expect(input.pricePerUseWei).toBe(0n);
        published.push('dataset');
        return { datasetId: '7' };
      },
      publishModel: async (manifest: string) => {
        expect(JSON.parse(manifest)).toEqual(irisTemplate.manifest);
        published.push('model');
        return { modelId: '8' };
      },
    };
    const assets = canaryAssetsOf(init);
    const [first, second] = await Promise.all([assets(), assets()]);
    expect(first).toEqual({ datasetId: 7n, modelId: 8n });
    expect(second).toEqual(first);
    // A restarted coordinator reads the ids back instead of publishing again.
    expect(await canaryAssetsOf(init)()).toEqual(first);
    expect(published).toEqual(['dataset', 'model']);
  });

  it('tries again on the next canary when a publication failed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-canary-assets-'));
    dirs.push(dataDir);
    let fail = true;
    const assets = canaryAssetsOf({
      dataDir,
      publishDataset: async () => {
        if (fail) throw new Error('chain down');
        return { datasetId: '1' };
      },
      publishModel: async () => ({ modelId: '2' }),
    });
    await expect(assets()).rejects.toThrow('chain down');
    fail = false;
    expect(await assets()).toEqual({ datasetId: 1n, modelId: 2n });
  });
});
