import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  datasetPublication,
  IMAGE_EXTENSIONS,
  importImages,
  rawCid,
  readClassFolder,
  readDatasetDir,
  writeDatasetDir,
} from '../../src/index.ts';
import { pngOf } from '../helpers/images.ts';
import { tinyDataset } from '../helpers/tiny-dataset.ts';

describe('file adapters', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-data-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads a class-per-folder tree in a stable order, skipping other files', async () => {
    for (const [label, shade] of [
      ['dark', 20],
      ['light', 230],
    ] as const) {
      await mkdir(join(dir, 'src', label), { recursive: true });
      await writeFile(
        join(dir, 'src', label, 'b.PNG'),
        pngOf(3, 3, () => [shade, shade, shade]),
      );
      await writeFile(
        join(dir, 'src', label, 'a.png'),
        pngOf(3, 3, () => [shade, shade, shade]),
      );
      await writeFile(join(dir, 'src', label, 'notes.txt'), 'not an image');
    }
    const files = await readClassFolder(join(dir, 'src'), IMAGE_EXTENSIONS);
    expect(files.map((f) => `${f.label}/${f.name}`)).toEqual([
      'dark/a.png',
      'dark/b.PNG',
      'light/a.png',
      'light/b.PNG',
    ]);
    const { manifest } = importImages(files, {
      name: 'shades',
      width: 2,
      height: 2,
      channels: 1,
      license: 'x',
      pricePerUseWei: 0n,
    });
    expect(manifest.rows).toBe(4);
    await expect(readClassFolder(join(dir, 'missing'), IMAGE_EXTENSIONS)).rejects.toMatchObject({
      code: 'DATA_SOURCE_UNREADABLE',
    });
  });

  it('writes a dataset folder and reads it back, refusing a shard that does not match its root', async () => {
    const dataset = tinyDataset();
    await writeDatasetDir(join(dir, 'out'), dataset);
    const back = await readDatasetDir(join(dir, 'out'));
    const publication = datasetPublication(dataset.manifest);
    expect(rawCid(await readFile(join(dir, 'out', 'manifest.json')))).toBe(publication.manifestCid);
    expect(publication.manifestCid).toMatch(/^bafkrei[a-z2-7]+$/);
    expect(publication.contentRoot).toBe(dataset.manifest.datasetRoot);
    expect(publication.pricePerUseWei).toBe(5n);
    const pricey = { ...dataset.manifest, pricePerUseWei: (1n << 96n).toString() };
    expect(() => datasetPublication(pricey)).toThrow(expect.objectContaining({ code: 'DATA_PRICE_TOO_LARGE' }));
    expect(back.manifest).toEqual(dataset.manifest);
    expect(back.shards.map((s) => Buffer.from(s).toString('hex'))).toEqual(
      dataset.shards.map((s) => Buffer.from(s).toString('hex')),
    );
    const edited = dataset.shards[1]!.slice();
    edited[edited.length - 1] = (edited[edited.length - 1] as number) ^ 0xff;
    await writeFile(join(dir, 'out', 'shard-00001.safetensors'), edited);
    await expect(readDatasetDir(join(dir, 'out'))).rejects.toMatchObject({ code: 'DATA_SHARD_ROOT_MISMATCH' });
    await expect(readDatasetDir(join(dir, 'nothing'))).rejects.toMatchObject({ code: 'DATA_SOURCE_UNREADABLE' });
  });
});
