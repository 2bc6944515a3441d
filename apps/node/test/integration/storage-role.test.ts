/**
 * The Storage Vessel role in a node (issue 12, DW4 in spirit): a data owner holding a dataset's sealed chunks in its
 * content store places one replica on a `--storage` node process (a StorageMarket deal on the embedded chain; the
 * storage node fetches the ciphertext from the owner, never the key); the storage node answers a challenge on time
 * and is paid for an epoch; then the owner goes offline and a third node fetches and opens the whole dataset from the
 * replica alone. A dataset published from a node is replicated with its key wrapped to the storage node, which
 * releases it under the owner's on-chain rule once the owner node is offline (a bought use on a 'download' dataset).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeystore } from '@aic/core/keystore';
import { presetOf } from '@aic/core/params';
import {
  buildDataset,
  type ContentStore,
  createShardCache,
  DealState,
  fetchDataset,
  generateDatasetKey,
  heldChunkIndex,
  type ImportedDataset,
  manifestFileBytes,
  openContentStore,
  proposeStorageDeal,
  replicaCommitmentOf,
  requestDatasetKey,
  serveDataset,
  storageDealProtocol,
  storageQuoteProtocol,
  storeDataset,
  writeDatasetDir,
} from '@aic/data-vessel';
import { createSerialQueue } from '@aic/gpu-vessel';
import { AssetKind, createLedgerClient, deploymentToJson, type LedgerClient } from '@aic/ledger';
import { deployDevnet, type EmbeddedChain, startEmbeddedChain } from '@aic/ledger/devchain';
import { type AicNetwork, createAicNetwork } from '@aic/network';
import pino from 'pino';
import { type Address, createPublicClient, createWalletClient, custom, type PublicClient } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApiToken } from '../../src/api/api-token.ts';
import { createApiClient } from '../../src/api/client.ts';
import { keystoreDir, saveKeystore } from '../../src/identity/keystore-files.ts';
import type { NodeProcess } from '../../src/spawn.ts';
import { heldDatasetFromContent } from '../../src/storage/held-dataset.ts';
import { loadPlacementBook } from '../../src/storage/placements.ts';
import { createReplicator } from '../../src/storage/replicator.ts';
import { eventually, startTestNode, TEST_PASSWORD } from '../helpers/cluster.ts';

// Hardhat's development mnemonic: the embedded chain funds accounts 12+ with AIC (deployDevnet).
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** ~3,000 rows of 3 features in shards of 1,000 rows: three shards, each one sealed chunk. */
function ruleDataset(): ImportedDataset {
  const rows = 3000;
  const features = Float32Array.from({ length: rows * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
  const labels = Int32Array.from({ length: rows }, (_, r) => ((features[r * 3] ?? 0) > 0.5 ? 1 : 0));
  return buildDataset(
    { rows, features, featureShape: [3], labels, labelShape: [] },
    {
      name: 'storage-rule',
      sourceKind: 'tabular-csv',
      task: 'classification',
      classes: ['low', 'high'],
      featureNames: ['x', 'y', 'z'],
      normalization: { kind: 'none' },
      preprocessing: { kind: 'tabular', labelColumn: 'c', numericColumns: ['x', 'y', 'z'], categoricalColumns: [] },
    },
    { license: 'CC0-1.0', pricePerUseWei: 0n, rowsPerShard: 1000 },
  );
}

async function startNetwork(privateKey: Uint8Array = new Uint8Array(randomBytes(32))): Promise<AicNetwork> {
  const net = await createAicNetwork({
    privateKey,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    targetPeers: 0,
  });
  await net.start();
  return net;
}

/** The PeerId object of a connected peer, from its multiaddr (what the chunk fetch dials). */
async function connectedPeer(net: AicNetwork, multiaddr: string) {
  await net.connect(multiaddr);
  const id = multiaddr.split('/p2p/')[1];
  const peer = net.libp2p.getPeers().find((p) => p.toString() === id);
  if (!peer) throw new Error(`not connected to ${multiaddr}`);
  return peer;
}

describe('a --storage node keeps a replica that outlives its owner', () => {
  let root: string;
  let chain: EmbeddedChain;
  let storageNode: NodeProcess | undefined;
  let ownerNet: AicNetwork | undefined;
  let readerNet: AicNetwork | undefined;
  let buyerNet: AicNetwork | undefined;
  let strangerNet: AicNetwork | undefined;
  let content: ContentStore | undefined;
  let spareNode: NodeProcess | undefined;
  let ownerNode: NodeProcess | undefined;
  let rpcUrl: string;
  let deploymentFile: string;
  /** What the first case leaves for the repair case: the dataset as the owner holds it, and the replica's deal. */
  let placedDeal: { datasetId: bigint; dealId: bigint; held: ReturnType<typeof heldChunkIndex> } | undefined;
  let stored: Awaited<ReturnType<typeof storeDataset>>;
  let ledgerAs: (account: Address) => LedgerClient;
  let users: Address[];
  const storageAccount = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 14 });
  const spareAccount = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 15 });
  const ownerAccount = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 16 });
  const buyerAccount = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 17 });
  const mine = (blocks: number) =>
    chain.provider.request({ method: 'hardhat_mine', params: [`0x${blocks.toString(16)}`] } as never);

  async function startChainNode(
    name: string,
    account: typeof storageAccount,
    flags: string[],
    bootstrap: string[] = [],
  ) {
    const dir = join(root, name);
    await saveKeystore(
      keystoreDir(dir),
      await encryptKeystore(account.getHdKey().privateKey!, TEST_PASSWORD, { scryptN: 1024 }),
    );
    return startTestNode(dir, bootstrap, ['--rpc-url', rpcUrl, '--deployment', deploymentFile, ...flags]);
  }
  const startStorageNode = (name: string, account: typeof storageAccount) =>
    startChainNode(name, account, ['--storage']);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-storage-role-'));
    chain = await startEmbeddedChain();
    const dev = await deployDevnet(chain.provider, chain.accounts, { fundAic: '1000' });
    users = dev.roles.users;
    expect(users[2]).toBe(storageAccount.address);
    const transport = custom(chain.provider, { retryCount: 0 });
    const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 10 }) as PublicClient;
    ledgerAs = (account) =>
      createLedgerClient({
        publicClient,
        walletClient: createWalletClient({ chain: hardhat, transport, account }),
        deployment: dev.deployment,
      });
    rpcUrl = await chain.serve();
    deploymentFile = join(root, 'deployment.json');
    await writeFile(deploymentFile, deploymentToJson(dev.deployment));
    storageNode = await startStorageNode('storage-node', storageAccount);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([ownerNet?.stop(), readerNet?.stop(), buyerNet?.stop(), strangerNet?.stop()]);
    await content?.stop();
    for (const node of [storageNode, spareNode, ownerNode]) if (node) expect(await node.stop()).toBe(0);
    await chain?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('places a replica, is challenged and paid, and serves the dataset once the owner is offline', async () => {
    const [ownerAddr, challengerAddr] = users as [Address, Address];
    const owner = ledgerAs(ownerAddr);
    const storageApi = createApiClient(storageNode!.ready.apiUrl);
    const storageAt = storageNode!.ready.multiaddrs[0] as string;

    // the owner holds the dataset as sealed chunks in its content store, serves them, and mints the Dataset NFT
    const dataset = ruleDataset();
    const key = generateDatasetKey();
    content = await openContentStore(join(root, 'owner-content'));
    stored = await storeDataset(content, dataset, key);
    const held = heldChunkIndex(content);
    held.add(stored);
    ownerNet = await startNetwork();
    await serveDataset(ownerNet, held);
    const { tokenId: datasetId } = await owner.mintAsset({
      kind: AssetKind.Dataset,
      manifestCid: stored.manifestCid,
      contentRoot: stored.datasetRoot,
      pricePerUseWei: 0n,
    });

    // one replica: the storage node quotes, takes the deal on chain after fetching the ciphertext from the owner
    await ownerNet.connect(storageAt);
    const settings = presetOf('minimal').storage;
    const replicator = createReplicator(
      { ...settings, dealEpochs: 10, acceptTimeoutMs: 60_000 },
      {
        net: ownerNet,
        ledger: owner,
        placements: await loadPlacementBook(root),
        heldDataset: async (id) => (id === datasetId ? heldDatasetFromContent(content!, stored) : undefined),
        send: createSerialQueue(),
        log: pino({ level: 'silent' }),
        pollMs: 100,
      },
    );
    const placed = await replicator.replicate({ datasetId, replicas: 1 });
    expect(placed.placed).toHaveLength(1);
    const [placement] = placed.placed;
    expect(placement?.provider).toBe(storageAccount.address);
    const dealId = placement!.dealId;
    const deal = await owner.storage.read.dealOf([dealId]);
    expect(deal).toMatchObject({ state: DealState.Active, sizeBytes: BigInt(stored.bytes), epochs: 10 });
    const status = await eventually('the replica in the storage node status', async () => {
      const s = await storageApi.storageStatus();
      return s.replicas.length === 1 ? s : undefined;
    });
    expect(status).toMatchObject({ storage: true, usedBytes: stored.bytes });
    expect(status.replicas[0]).toMatchObject({ datasetId: String(datasetId), manifestCid: stored.manifestCid });
    // asking again places nothing more: the live deal counts
    expect((await replicator.replicate({ datasetId, replicas: 1 })).existing).toHaveLength(1);
    // bad requests get typed refusals and the storage node keeps serving
    const storagePeer = storageNode!.ready.peerId;
    const remoteCode = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: { details?: { code?: string } }) => e.details?.code,
      );
    const quote = { datasetId: String(datasetId), sizeBytes: 2 ** 50, epochs: 1 };
    expect(await remoteCode(ownerNet.request(storagePeer, storageQuoteProtocol, quote))).toBe('STORAGE_NO_CAPACITY');
    const request = {
      datasetId: String(datasetId),
      manifest: manifestFileBytes(dataset.manifest),
      holders: [storagePeer],
    };
    expect(
      await remoteCode(ownerNet.request(storagePeer, storageDealProtocol, { ...request, dealId: String(dealId) })),
    ).toBe('STORAGE_DEAL_NOT_OPEN');
    const proposed = await proposeStorageDeal(
      owner,
      (await replicaCommitmentOf(dataset.manifest, (await heldDatasetFromContent(content, stored))!.chunk))!,
      {
        epochs: 1,
        pricePerEpochWei: deal.pricePerEpoch,
        collateralWei: 0n,
      },
    );
    const forged = new TextEncoder().encode(
      new TextDecoder().decode(request.manifest).replace('storage-rule', 'forged'),
    );
    expect(
      await remoteCode(
        ownerNet.request(storagePeer, storageDealProtocol, { ...request, dealId: String(proposed), manifest: forged }),
      ),
    ).toBe('STORAGE_MANIFEST_MISMATCH');

    // a challenge by anyone is answered by the storage node within the window, with a proof the contract checks
    await ledgerAs(challengerAddr).storage.write.challenge([dealId]);
    await mine(2);
    await eventually(
      'the storage node to answer its challenge',
      async () => ((await owner.storage.read.dealOf([dealId])).challengeBlock === 0 ? true : undefined),
      30_000,
    );
    expect((await owner.storage.read.dealOf([dealId])).state).toBe(DealState.Active);

    // an epoch later the storage node collects its pay for it
    const before = await owner.balanceOf(storageAccount.address);
    const epochSec = Number(await owner.storage.read.EPOCH_SEC());
    await chain.provider.request({ method: 'evm_increaseTime', params: [epochSec + 1] } as never);
    await mine(1);
    const earned = await eventually(
      'the storage node to be paid an epoch',
      async () => {
        const gained = (await owner.balanceOf(storageAccount.address)) - before;
        return gained > 0n ? gained : undefined;
      },
      30_000,
    );
    expect(earned).toBe(deal.pricePerEpoch);
    expect((await owner.storage.read.dealOf([dealId])).paidEpochs).toBe(1);
    placedDeal = { datasetId, dealId, held };

    // the owner goes offline; a third node fetches every shard from the replica and opens it with the key
    await ownerNet.stop();
    ownerNet = undefined;
    readerNet = await startNetwork();
    const fetched = await fetchDataset(readerNet, {
      manifest: new TextDecoder().decode(await content.get(stored.manifestCid)),
      committedRoot: stored.datasetRoot,
      key,
      holders: [await connectedPeer(readerNet, storageAt)],
      cache: await createShardCache({ dir: join(root, 'reader-cache'), maxBytes: 64 * 1024 * 1024 }),
    });
    expect(fetched.fromCache).toBe(false);
    expect(fetched.shards.map((s) => Buffer.from(s))).toEqual(dataset.shards.map((s) => Buffer.from(s)));
  }, 180_000);

  it('slashes a storage node that lost its replica and repairs the replica onto another from the owner', async () => {
    if (!placedDeal || !content) throw new Error('the first case placed no replica');
    const { datasetId, dealId: lostDealId, held } = placedDeal;
    const [ownerAddr] = users as [Address];
    const owner = ledgerAs(ownerAddr);
    // the first storage node goes away with its replica; a spare one is up
    expect(await storageNode?.stop()).toBe(0);
    storageNode = undefined;
    spareNode = await startStorageNode('spare-node', spareAccount);
    ownerNet = await startNetwork();
    await serveDataset(ownerNet, held);
    await ownerNet.connect(spareNode.ready.multiaddrs[0] as string);
    const replicator = createReplicator(
      { ...presetOf('minimal').storage, dealEpochs: 10, acceptTimeoutMs: 60_000 },
      {
        net: ownerNet,
        ledger: owner,
        placements: await loadPlacementBook(root), // the first case's placement, read back from disk
        heldDataset: async (id) => (id === datasetId ? heldDatasetFromContent(content!, stored) : undefined),
        send: createSerialQueue(),
        log: pino({ level: 'silent' }),
        pollMs: 100,
      },
    );
    const creditBefore = await owner.storage.read.owed([ownerAddr]);
    // the owner's audit challenges the replica; nobody answers within the window
    await replicator.audit();
    expect((await owner.storage.read.dealOf([lostDealId])).challengeBlock).toBeGreaterThan(0);
    await mine(Number(await owner.storage.read.RESPONSE_WINDOW_BLOCKS()) + 1);
    // the next audit slashes the miss and places the same replica, same root and terms, on the spare node
    await replicator.audit();
    const lost = await owner.storage.read.dealOf([lostDealId]);
    expect(lost).toMatchObject({ state: DealState.Failed, collateral: 0n });
    expect((await owner.storage.read.owed([ownerAddr])) - creditBefore).toBeGreaterThan(lost.collateralRequired / 2n);
    const spareApi = createApiClient(spareNode.ready.apiUrl);
    const status = await eventually('the repaired replica on the spare node', async () => {
      const s = await spareApi.storageStatus();
      return s.deals.length === 1 && s.replicas.length === 1 ? s : undefined;
    });
    const repaired = await owner.storage.read.dealOf([BigInt(status.deals[0]?.dealId ?? 0)]);
    expect(repaired).toMatchObject({
      state: DealState.Active,
      provider: spareAccount.address,
      segmentRoot: lost.segmentRoot,
      pricePerEpoch: lost.pricePerEpoch,
      epochs: lost.epochs,
    });
  }, 180_000);

  it('places a replica of a dataset published from a node through the API (aic data replicate)', async () => {
    if (!spareNode) throw new Error('the repair case started no spare storage node');
    ownerNode = await startChainNode('owner-node', ownerAccount, [], spareNode.ready.multiaddrs);
    const ownerApi = createApiClient(ownerNode.ready.apiUrl, { token: readApiToken(join(root, 'owner-node')) });
    const dir = join(root, 'published-dataset');
    const dataset = ruleDataset();
    await writeDatasetDir(dir, dataset);
    const published = await ownerApi.publishDataset({ body: { dir, pricePerUseAic: '1', license: 'download' } });
    // a body the route refuses, and a dataset the node does not hold, are typed errors
    await expect(
      ownerApi.replicateDataset({ body: { datasetId: published.datasetId, replicas: 0 } }),
    ).rejects.toMatchObject({
      code: 'API_INVALID_REQUEST',
    });
    await expect(ownerApi.replicateDataset({ body: { datasetId: '999', replicas: 1 } })).rejects.toMatchObject({
      code: 'STORAGE_DATASET_NOT_HELD',
    });
    const result = await eventually('the owner node to find the storage node', () =>
      ownerApi.replicateDataset({ body: { datasetId: published.datasetId, replicas: 1, epochs: 5 } }),
    );
    expect(result.placed).toHaveLength(1);
    expect(result.placed[0]?.provider).toBe(spareAccount.address);
    const deal = await ledgerAs(ownerAccount.address).storage.read.dealOf([BigInt(result.placed[0]?.dealId ?? 0)]);
    expect(deal).toMatchObject({ state: DealState.Active, epochs: 5, sizeBytes: BigInt(result.sizeBytes) });
    expect((await ownerApi.storageStatus()).placements).toEqual([
      { ...result.placed[0], datasetId: published.datasetId },
    ]);
    const spare = await createApiClient(spareNode.ready.apiUrl).storageStatus();
    expect(spare.replicas.map((r) => r.datasetId)).toContain(published.datasetId);

    // The owner goes offline. The owner handed the storage node the key wrapped to it with the deal, so the storage
    // node releases it under the owner's on-chain rule: a bought use on a 'download' dataset (jobId 0) gets it...
    expect(await ownerNode.stop()).toBe(0);
    ownerNode = undefined;
    const spareAt = spareNode.ready.multiaddrs[0] as string;
    const sparePeer = spareNode.ready.peerId;
    await ledgerAs(buyerAccount.address).buyUses(BigInt(published.datasetId), 1n);
    const buyerKey = buyerAccount.getHdKey().privateKey!;
    buyerNet = await startNetwork(buyerKey);
    const holder = await connectedPeer(buyerNet, spareAt);
    const keyRequest = { datasetId: published.datasetId, datasetRoot: published.datasetRoot as `0x${string}` };
    const releasedKey = await requestDatasetKey(buyerNet, sparePeer, { ...keyRequest, privateKey: buyerKey });
    const fetched = await fetchDataset(buyerNet, {
      manifest: new TextDecoder().decode(manifestFileBytes(dataset.manifest)),
      committedRoot: published.datasetRoot as `0x${string}`,
      key: releasedKey,
      holders: [holder],
      cache: await createShardCache({ dir: join(root, 'buyer-cache'), maxBytes: 64 * 1024 * 1024 }),
    });
    expect(fetched.shards.map((s) => Buffer.from(s))).toEqual(dataset.shards.map((s) => Buffer.from(s)));
    // ...and a node without a right is refused, the storage node keeping serving.
    const strangerKey = new Uint8Array(randomBytes(32));
    strangerNet = await startNetwork(strangerKey);
    await strangerNet.connect(spareAt);
    await expect(
      requestDatasetKey(strangerNet, sparePeer, { ...keyRequest, privateKey: strangerKey }),
    ).rejects.toMatchObject({ code: 'DATA_KEY_REFUSED', details: { code: 'DATA_KEY_UNPAID' } });
    // The key is kept wrapped to the storage node's key on disk, never in the clear.
    const kept = await readFile(join(root, 'spare-node', 'storage', 'replica-keys.json'), 'utf8');
    expect(kept).toContain(published.datasetId);
    expect(kept).not.toContain(Buffer.from(releasedKey).toString('hex'));
  }, 180_000);
});
