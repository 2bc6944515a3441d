import { AicError } from '@aic/core';
import type { AicNetwork } from '@aic/network';
import { chunkCount, type Hex } from '../commitments/index.ts';
import { type DatasetManifest, parseDatasetManifest } from '../manifest/index.ts';
import type { ShardCache } from '../worker-cache/index.ts';
import { badHolderReporter, type OnBadHolder } from './bad-holder.ts';
import { ChunkScheduler, type ChunkTask } from './chunk-scheduler.ts';
import { CHUNK_SERVER_LIMITS } from './chunk-server.ts';
import type { ChunkHolder } from './chunk-session.ts';
import { createChunkVerifier } from './chunk-verifier.ts';
import { type FetchRun, runHolder, type ShardAssembly, unavailable } from './holder-lanes.ts';
import type { OnFetchPath } from './holder-session.ts';
import type { TransferMeter } from './remote-source.ts';

/** What a worker needs to fetch a whole dataset. */
export interface FetchDatasetInit {
  /** The manifest (public; its CID is on chain), as text or value: parsed and its dataset root recomputed here. */
  readonly manifest: unknown;
  /** The content root recorded in the Dataset NFT: the manifest must commit to exactly this root. */
  readonly committedRoot: Hex;
  /** The dataset key, released by `requestDatasetKey`. */
  readonly key: Uint8Array;
  /** Holders to fetch from, all in parallel (e.g. the nearest first: ties in work go to the earlier ones). */
  readonly holders: readonly ChunkHolder[];
  readonly cache: ShardCache;
  readonly meter?: TransferMeter;
  /**
   * Told of a holder caught serving bad data (PeerId string, reason), once per holder and fetch. The holder's peer
   * score on `net` is lowered in any case.
   */
  readonly onBadHolder?: OnBadHolder;
  /**
   * Use holders' bulk TCP paths where offered (default true): the same requests and checks, sealed with a per-
   * connection key handed over Noise, without Noise/Yamux framing. false: the libp2p stream only.
   */
  readonly bulk?: boolean;
  /** Told which path serves each holder, and why a holder's bulk path was not used (`holder-session.ts`). */
  readonly onPath?: OnFetchPath;
  /** Requests in flight per holder (default and most: CHUNK_SERVER_LIMITS.maxInFlightPerStream). */
  readonly windowPerHolder?: number;
  readonly signal?: AbortSignal;
}

/** A fetched dataset: the verified plaintext shards in manifest order and what moved. */
export interface FetchedDataset {
  readonly shards: Uint8Array[];
  /** Plaintext bytes of the chunks accepted from holders (0 when every shard came from the cache). */
  readonly bytesFetched: number;
  /** Whether every shard came from the worker's cache. */
  readonly fromCache: boolean;
  /** PeerIds of the holders whose chunks were accepted. */
  readonly holders: string[];
}

function checkCommittedRoot(manifest: DatasetManifest, committedRoot: Hex): Hex {
  const datasetRoot = manifest.datasetRoot as Hex;
  if (datasetRoot.toLowerCase() !== committedRoot.toLowerCase()) {
    throw new AicError('DATA_ROOT_MISMATCH', 'the manifest does not commit to the dataset root recorded on chain', {
      details: { manifestRoot: datasetRoot, committedRoot },
    });
  }
  return datasetRoot;
}

/** Shards from the cache into `shards`; the others become assemblies and their chunks tasks. */
async function planFetch(manifest: DatasetManifest, cache: ShardCache, shards: Uint8Array[]) {
  const assemblies = new Map<number, ShardAssembly>();
  const tasks: ChunkTask[] = [];
  for (const [index, entry] of manifest.shards.entries()) {
    const cached = await cache.get(entry.root as Hex);
    if (cached) {
      shards[index] = cached;
      continue;
    }
    const chunks = chunkCount(entry.byteLength);
    assemblies.set(index, {
      root: entry.root as Hex,
      byteLength: entry.byteLength,
      bytes: undefined,
      leaves: new Array<Uint8Array>(chunks),
      remaining: chunks,
      supplier: new Array<string>(chunks),
      suspects: [],
    });
    for (let chunk = 0; chunk < chunks; chunk++) tasks.push({ shard: index, chunk, excluded: new Set() });
  }
  return { assemblies, tasks };
}

/**
 * Fetches every shard of a dataset from its holders in parallel, verified end to end: the manifest's recomputed
 * dataset root must equal the root committed on chain (else DATA_ROOT_MISMATCH); every holder gets one pipelined
 * `/aic/data-chunk/2.0.0` session and takes chunks from shared work as fast as it answers (work stealing); each
 * chunk is opened with AES-GCM under the dataset key (the AAD binds dataset root, shard and index) and each shard is
 * checked against its Merkle root from the manifest before it is cached. A bad chunk is fetched again from another
 * holder, the liar is reported (`onBadHolder`, peer score) and not asked again; an unreachable or slow holder's share
 * moves to the others. Shards already in the worker's cache move no bytes. Throws DATA_CHUNK_UNAVAILABLE when no
 * holder has a valid copy of some chunk, DATA_SHARD_ROOT_MISMATCH when no combination of holders gives the root.
 *
 * @example
 * const { shards } = await fetchDataset(worker, { manifest, committedRoot: asset.contentRoot, key, holders, cache });
 */
export async function fetchDataset(net: AicNetwork, init: FetchDatasetInit): Promise<FetchedDataset> {
  const manifest = parseDatasetManifest(init.manifest);
  const datasetRoot = checkCommittedRoot(manifest, init.committedRoot);
  const shards: Uint8Array[] = new Array(manifest.shards.length);
  const { assemblies, tasks } = await planFetch(manifest, init.cache, shards);
  if (tasks.length === 0) return { shards, bytesFetched: 0, fromCache: true, holders: [] };
  const slots = init.holders.map((_, i) => String(i));
  const bytesToFetch = [...assemblies.values()].reduce((total, a) => total + a.byteLength, 0);
  const run: FetchRun = {
    net,
    datasetRoot,
    cache: init.cache,
    verifier: createChunkVerifier(init.key, bytesToFetch),
    meter: init.meter,
    signal: init.signal,
    scheduler: new ChunkScheduler(tasks, slots),
    shards: assemblies,
    report: badHolderReporter(net, init.onBadHolder),
    peerOfSlot: new Map(),
    contributors: new Set(),
    bytesFetched: 0,
    bulk: init.bulk ?? true,
    onPath: init.onPath,
  };
  const onAbort = () => run.scheduler.fail(new AicError('DATA_CHUNK_FETCH_FAILED', 'the dataset fetch was aborted'));
  init.signal?.addEventListener('abort', onAbort, { once: true });
  if (init.signal?.aborted) onAbort();
  const window = Math.max(1, Math.min(init.windowPerHolder ?? Infinity, CHUNK_SERVER_LIMITS.maxInFlightPerStream));
  try {
    if (slots.length === 0) run.scheduler.fail(unavailable(assemblies.size));
    await Promise.all(init.holders.map((holder, i) => runHolder(run, holder, String(i), window)));
  } finally {
    init.signal?.removeEventListener('abort', onAbort);
    await run.verifier.close();
  }
  if (run.scheduler.failure !== undefined) throw run.scheduler.failure;
  let missing = 0;
  for (const [index, assembly] of assemblies) {
    if (assembly.bytes && assembly.remaining === 0) shards[index] = assembly.bytes;
    else missing++;
  }
  if (missing > 0) throw unavailable(missing);
  return { shards, bytesFetched: run.bytesFetched, fromCache: false, holders: [...run.contributors] };
}
