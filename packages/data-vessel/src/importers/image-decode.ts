import { AicError } from '@aic/core';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';

/** A decoded image: 8-bit RGBA pixels, row-major. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** Largest decoded image accepted, in megapixels (a hostile file cannot make the decoder allocate gigabytes). */
export const MAX_IMAGE_MEGAPIXELS = 40;

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;

function checkSize(width: number, height: number, name: string): void {
  if (width * height > MAX_IMAGE_MEGAPIXELS * 1_000_000 || width < 1 || height < 1) {
    throw new AicError('DATA_IMAGE_INVALID', `${name}: ${width}×${height} is empty or larger than the limit`, {
      details: { name, width, height },
    });
  }
}

function pngDimensions(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24) return { width: 0, height: 0 };
  const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Decodes a PNG or JPEG (recognized by its magic bytes, not its name) with pure-JS decoders.
 * Throws DATA_IMAGE_UNSUPPORTED for other formats and DATA_IMAGE_INVALID for corrupt or oversized files.
 */
export function decodeImage(bytes: Uint8Array, name = 'image'): RgbaImage {
  try {
    if (isPng(bytes)) {
      const { width, height } = pngDimensions(bytes);
      checkSize(width, height, name);
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return {
        width: png.width,
        height: png.height,
        rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length),
      };
    }
    if (isJpeg(bytes)) {
      const image = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_IMAGE_MEGAPIXELS,
        maxMemoryUsageInMB: 512,
      });
      checkSize(image.width, image.height, name);
      return { width: image.width, height: image.height, rgba: image.data };
    }
  } catch (cause) {
    if (cause instanceof AicError) throw cause;
    throw new AicError('DATA_IMAGE_INVALID', `${name}: cannot be decoded`, { cause, details: { name } });
  }
  throw new AicError('DATA_IMAGE_UNSUPPORTED', `${name}: not a PNG or JPEG file`, { details: { name } });
}

/**
 * Resizes bilinearly (pixel centers aligned, as TensorFlow's `resizeBilinear` with halfPixelCenters) and writes
 * `channels` values per pixel scaled to [0, 1] into `out` at `offset`. Grayscale uses ITU-R BT.601 luma weights.
 */
export function resizeToUnitFloats(
  image: RgbaImage,
  width: number,
  height: number,
  channels: 1 | 3,
  out: Float32Array,
  offset: number,
): void {
  const { rgba } = image;
  const sample = (x: number, y: number, c: number) => rgba[(y * image.width + x) * 4 + c] as number;
  const pixel = (x: number, y: number, c: number) =>
    channels === 3 ? sample(x, y, c) : 0.299 * sample(x, y, 0) + 0.587 * sample(x, y, 1) + 0.114 * sample(x, y, 2);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, ((y + 0.5) * image.height) / height - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(image.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, ((x + 0.5) * image.width) / width - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(image.width - 1, x0 + 1);
      const fx = sx - x0;
      for (let c = 0; c < channels; c++) {
        const top = pixel(x0, y0, c) * (1 - fx) + pixel(x1, y0, c) * fx;
        const bottom = pixel(x0, y1, c) * (1 - fx) + pixel(x1, y1, c) * fx;
        out[offset + (y * width + x) * channels + c] = (top * (1 - fy) + bottom * fy) / 255;
      }
    }
  }
}
