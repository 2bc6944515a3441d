import { isAicError } from '@aic/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeImage, importTextJsonl, parseCsv, parseDatasetManifest, parseWav, readShard } from '../../src/index.ts';
import { jpegOf, pngOf } from '../helpers/images.ts';
import { tinyDataset } from '../helpers/tiny-dataset.ts';
import { tone, wavOf } from '../helpers/wav.ts';

/** Runs `parse` and accepts a result or an AicError; anything else (TypeError, RangeError, a hang) fails. */
function onlyTypedErrors(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    if (isAicError(error)) return true;
    throw error;
  }
}

/** Valid bytes with a few random bytes overwritten and a random truncation: near-misses are the hard cases. */
const mutated = (valid: Uint8Array) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.nat(valid.length),
    )
    .map(([edits, cut]) => {
      const bytes = valid.slice(0, Math.max(1, cut));
      for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
      return bytes;
    });

const runs = { numRuns: 150 };

describe('hostile input gives typed errors, never a crash', () => {
  it('images', () => {
    const png = pngOf(6, 5, (x, y) => [x * 40, y * 40, 90]);
    const jpg = jpegOf(8, 8, (x) => [x * 30, 20, 200]);
    fc.assert(
      fc.property(mutated(png), (b) => onlyTypedErrors(() => decodeImage(b))),
      runs,
    );
    fc.assert(
      fc.property(mutated(jpg), (b) => onlyTypedErrors(() => decodeImage(b))),
      runs,
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyTypedErrors(() => decodeImage(b))),
      runs,
    );
  });

  it('WAV files', () => {
    const wav = wavOf([tone(300, 0.005, 8000)], 8000);
    fc.assert(
      fc.property(mutated(wav), (b) => onlyTypedErrors(() => parseWav(b))),
      runs,
    );
  });

  it('shards and manifests', () => {
    const { manifest, shards } = tinyDataset(6, 6);
    fc.assert(
      fc.property(mutated(shards[0]!), (b) => onlyTypedErrors(() => readShard(b))),
      runs,
    );
    const text = JSON.stringify(manifest);
    fc.assert(
      fc.property(fc.nat(text.length), fc.string({ maxLength: 5 }), (at, junk) =>
        onlyTypedErrors(() => parseDatasetManifest(text.slice(0, at) + junk + text.slice(at + junk.length))),
      ),
      runs,
    );
    expect(onlyTypedErrors(() => parseDatasetManifest({ ...manifest, shards: 'x' }))).toBe(true);
  });

  it('CSV and JSONL text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => onlyTypedErrors(() => parseCsv(s))),
      runs,
    );
    const opts = { name: 'x', license: 'x', pricePerUseWei: 0n };
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => onlyTypedErrors(() => importTextJsonl(s, opts, true))),
      runs,
    );
  });
});
