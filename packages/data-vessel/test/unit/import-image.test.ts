import { describe, expect, it } from 'vitest';
import { decodeImage, importImages, parseDatasetManifest, readShard } from '../../src/index.ts';
import { jpegOf, mnistPngs, pngOf } from '../helpers/images.ts';

const publish = { license: 'CC-BY-SA-3.0', pricePerUseWei: 1n };

describe('image folder importer', () => {
  it('decodes PNG and JPEG, resizes to a fixed size and scales to [0, 1]', () => {
    const red = pngOf(20, 10, () => [255, 0, 0]);
    const blue = jpegOf(16, 16, () => [0, 0, 255]);
    const { manifest, shards } = importImages(
      [
        { label: 'red', name: 'r.png', bytes: red },
        { label: 'blue', name: 'b.jpg', bytes: blue },
      ],
      { name: 'colors', width: 4, height: 4, channels: 3, ...publish, testFraction: 0 },
    );
    expect(parseDatasetManifest(manifest)).toEqual(manifest);
    expect(manifest.classes).toEqual(['blue', 'red']);
    expect(manifest.features.shape).toEqual([4, 4, 3]);
    const { features, labels } = readShard(shards[0]!);
    for (let row = 0; row < 2; row++) {
      const pixel = Array.from(features.subarray(row * 48, row * 48 + 3));
      const expected = labels[row] === 0 ? [0, 0, 1] : [1, 0, 0];
      for (const [c, v] of pixel.entries()) expect(v).toBeCloseTo(expected[c] as number, 1);
    }
  });

  it('interpolates bilinearly and converts to grayscale', () => {
    const ramp = pngOf(2, 1, (x) => (x === 0 ? [0, 0, 0] : [255, 255, 255]));
    const { shards } = importImages([{ label: 'a', name: 'ramp.png', bytes: ramp }], {
      name: 'ramp',
      width: 4,
      height: 1,
      channels: 1,
      ...publish,
      testFraction: 0,
    });
    expect(Array.from(readShard(shards[0]!).features)).toEqual([0, 0.25, 0.75, 1]);
  });

  it('digitizes a real MNIST subset written as PNG folders', () => {
    const files = mnistPngs(5);
    const { manifest, shards } = importImages(files, {
      name: 'mnist-50',
      width: 28,
      height: 28,
      channels: 1,
      ...publish,
    });
    expect(manifest.rows).toBe(50);
    expect(manifest.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const { features } = readShard(shards[0]!);
    expect(Math.max(...features)).toBeLessThanOrEqual(1);
    expect(features.filter((v) => v > 0.5).length).toBeGreaterThan(50 * 40); // strokes survived
  });

  it('rejects unknown and corrupt files with typed errors naming the file', () => {
    const opts = { name: 'x', width: 2, height: 2, channels: 1 as const, ...publish };
    const gif = new TextEncoder().encode('GIF89a....');
    expect(() => importImages([{ label: 'a', name: 'x.gif', bytes: gif }], opts)).toThrow(
      expect.objectContaining({ code: 'DATA_IMAGE_UNSUPPORTED', details: { name: 'a/x.gif' } }),
    );
    const truncated = pngOf(8, 8, () => [1, 2, 3]).slice(0, 40);
    expect(() => decodeImage(truncated)).toThrow(expect.objectContaining({ code: 'DATA_IMAGE_INVALID' }));
    const badJpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]);
    expect(() => decodeImage(badJpeg)).toThrow(expect.objectContaining({ code: 'DATA_IMAGE_INVALID' }));
    const huge = pngOf(1, 1, () => [0, 0, 0]);
    new DataView(huge.buffer).setUint32(16, 100_000); // claims 100,000 × 1 … then 100,000 × 100,000
    new DataView(huge.buffer).setUint32(20, 100_000);
    expect(() => decodeImage(huge)).toThrow(expect.objectContaining({ code: 'DATA_IMAGE_INVALID' }));
    expect(() => importImages([], opts)).toThrow(expect.objectContaining({ code: 'DATA_IMPORT_EMPTY' }));
  });
});
