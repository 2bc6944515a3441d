/**
 * Dataset replicas kept in a node's content store (the Helia blockstore of `openContentStore`): every sealed chunk
 * and the manifest are blocks addressed by CID; a small record per replica (`<dir>/<segmentRoot>.json`) maps the
 * dataset's shard roots and the deal's segments onto those blocks, with the segment leaves beside it so a challenge
 * answer reads one or two chunks, not the replica. The provider never holds the dataset key: these are ciphertext.
 * A replica is streamed in block by block (`stageReplica`), and its blocks leave the store with it (`remove`) unless
 * another held replica, one being staged, or the node's own datasets (`heldElsewhere`) still use them.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { bytesToHex0x, merkleRoot } from '@aic/core/merkle';
import { z } from 'zod';
import { chunkCount, type Hex } from '../commitments/index.ts';
import type { SealedChunkStore } from '../exchange/index.ts';
import type { HeldChunks } from '../holding/index.ts';
import type { DatasetManifest } from '../manifest/index.ts';
import type { ReplicaStore } from './provider.ts';
import type { ReplicaChunkSink } from './replica-fetch.ts';
import { type ReplicaLayout, segmentSpan } from './replica-layout.ts';
import { type ContentBlocks, type StagedBlocks, stageReplicaBlocks } from './replica-staging.ts';
import { type HeldReplicaSource, segmentLeaves } from './segment-leaves.ts';
import type { BlobCommitment } from './segments.ts';

export type { ContentBlocks } from './replica-staging.ts';

/** Which dataset a replica is of: its id and public manifest (bytes and parsed). */
export interface ReplicaOf {
  datasetId: bigint;
  manifestBytes: Uint8Array;
  manifest: Pick<DatasetManifest, 'shards' | 'datasetRoot'>;
}

/** A dataset replica handed over whole (tests, small datasets): the sealed chunks per shard, in manifest order. */
export interface DatasetReplica extends ReplicaOf {
  sealed: readonly (readonly Uint8Array[])[];
}

/**
 * A replica whose blocks are in the content store but which is not held yet: no record, nothing served. The caller
 * checks `commitment` against the deal, then commits, or discards it.
 */
export interface StagedReplica {
  readonly commitment: BlobCommitment;
  /** Writes the record: from now on the replica is held, listed and served. */
  commit(): Promise<BlobCommitment>;
  /** Deletes the staged blocks that nothing else held references (a replica refused before it was held). */
  discard(): Promise<void>;
}

/** What a replica record says (no bytes). */
export interface ReplicaSummary {
  datasetId: bigint;
  /** The dataset's root (its NFT's contentRoot), as holdings announce it. */
  datasetRoot: Hex;
  segmentRoot: Hex;
  segmentCount: number;
  sizeBytes: number;
  manifestCid: string;
}

export interface DatasetReplicaStore extends ReplicaStore {
  /**
   * Streams a replica in: `fill` hands each sealed chunk to the sink as it arrives (`fetchReplicaChunks`), which
   * puts it in the content store; the commitment is computed from the stored blocks. A failure deletes what was
   * put. Throws STORAGE_REPLICA_CORRUPT (a wrong length, a chunk never handed over) or what `fill` threw.
   */
  stageReplica(replica: ReplicaOf, fill: (sink: ReplicaChunkSink) => Promise<void>): Promise<StagedReplica>;
  /** Stages and commits a replica handed over whole; returns its deal commitment. STORAGE_REPLICA_CORRUPT on bad
   * lengths or chunks the manifest does not name. */
  putReplica(replica: DatasetReplica): Promise<BlobCommitment>;
  /** What the chunk protocol serves: a sealed chunk by shard root, or a 4 KiB segment by segment root (repairs). */
  readonly served: SealedChunkStore;
  /** The manifest bytes of a held replica of `datasetId`. */
  manifestOf(datasetId: bigint): Promise<Uint8Array | undefined>;
  list(): Promise<ReplicaSummary[]>;
  /** The manifest of a held replica of `datasetId` and its chunks one by one (to re-replicate it), or undefined. */
  datasetOf(datasetId: bigint): Promise<HeldReplicaSource | undefined>;
  /** A held replica in the shape the node's chunk index takes (`HeldChunkIndex.add`). */
  heldChunks(segmentRoot: Hex): Promise<HeldChunks>;
}

const HEX_32 = /^0x[0-9a-f]{64}$/;
const recordSchema = z.strictObject({
  datasetId: z.string().regex(/^[0-9]{1,78}$/),
  datasetRoot: z.string().regex(HEX_32),
  segmentRoot: z.string().regex(HEX_32),
  segmentCount: z.number().int().positive(),
  sizeBytes: z.number().int().positive(),
  manifestCid: z.string().min(1).max(200),
  shards: z.array(
    z.strictObject({ root: z.string().regex(HEX_32), chunks: z.array(z.tuple([z.string(), z.number()])) }),
  ),
});
type ReplicaRecord = z.infer<typeof recordSchema>;

interface Loaded {
  record: ReplicaRecord;
  layout: ReplicaLayout;
  cids: string[];
}

function layoutOf(record: ReplicaRecord): { layout: ReplicaLayout; cids: string[] } {
  const layout: ReplicaLayout = { chunks: [], sizeBytes: 0 };
  const cids: string[] = [];
  record.shards.forEach((shard, shardIndex) => {
    shard.chunks.forEach(([cid, length], chunkIndex) => {
      layout.chunks.push({ shardRoot: shard.root as Hex, shardIndex, chunkIndex, offset: layout.sizeBytes, length });
      layout.sizeBytes += length;
      cids.push(cid);
    });
  });
  return { layout, cids };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A sealed-chunk list handed over whole, fed to a replica sink in layout order. */
function feedWhole(replica: DatasetReplica): (sink: ReplicaChunkSink) => Promise<void> {
  return async (sink) => {
    const { shards } = replica.manifest;
    const extra =
      replica.sealed.length !== shards.length ||
      replica.sealed.some((s, i) => s.length !== chunkCount(shards[i]?.byteLength ?? 0));
    if (extra) throw new AicError('STORAGE_REPLICA_CORRUPT', 'the replica has chunks its manifest does not name');
    let flat = 0;
    for (const [shardIndex, chunks] of replica.sealed.entries()) {
      for (const [chunkIndex, sealed] of chunks.entries()) {
        const shardRoot = shards[shardIndex]?.root as Hex;
        await sink({ shardRoot, shardIndex, chunkIndex, offset: 0, length: sealed.length }, flat++, sealed);
      }
    }
  };
}

export interface DatasetReplicaStoreInit {
  dir: string;
  content: ContentBlocks;
  /**
   * The blocks something else the node keeps in the same content store still uses (its own datasets' chunks and
   * manifests): they stay when a replica goes. Default: none.
   */
  heldElsewhere?: (() => Iterable<string>) | undefined;
}

/** Opens the replica records under `dir` over the node's content store. */
export function openDatasetReplicaStore({
  dir,
  content,
  heldElsewhere = () => [],
}: DatasetReplicaStoreInit): DatasetReplicaStore {
  let loading: Promise<Map<Hex, Loaded>> | undefined;
  const byShard = new Map<Hex, { loaded: Loaded; shardIndex: number; first: number }>();
  /** Blocks of replicas being staged (count per CID): another replica's removal must not delete them. */
  const staging = new Map<string, number>();

  const index = (loaded: Loaded, map: Map<Hex, Loaded>) => {
    map.set(loaded.record.segmentRoot as Hex, loaded);
    let first = 0;
    loaded.record.shards.forEach((shard, shardIndex) => {
      byShard.set(shard.root as Hex, { loaded, shardIndex, first });
      first += shard.chunks.length;
    });
  };
  async function load(): Promise<Map<Hex, Loaded>> {
    const map = new Map<Hex, Loaded>();
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      // An unreadable record is skipped, not fatal: the other replicas must still answer their challenges.
      const parsed = recordSchema.safeParse(await readJson(join(dir, name)));
      if (parsed.success) index({ record: parsed.data, ...layoutOf(parsed.data) }, map);
    }
    return map;
  }
  const replicas = () => {
    loading ??= load();
    return loading;
  };
  const find = async (root: Hex) => (await replicas()).get(root.toLowerCase() as Hex);

  async function chunkBytes(loaded: Loaded, flat: number): Promise<Uint8Array | undefined> {
    const cid = loaded.cids[flat];
    const bytes = cid === undefined ? undefined : await content.get(cid);
    return bytes?.length === loaded.layout.chunks[flat]?.length ? bytes : undefined;
  }
  async function segment(root: Hex, index: number): Promise<Uint8Array | undefined> {
    const loaded = await find(root);
    if (!loaded || !Number.isInteger(index) || index < 0 || index >= loaded.record.segmentCount) return undefined;
    const { start, end, first } = segmentSpan(loaded.layout, index);
    const out = new Uint8Array(end - start);
    for (let flat = first; flat < loaded.layout.chunks.length; flat++) {
      const chunk = loaded.layout.chunks[flat];
      if (!chunk || chunk.offset >= end) break;
      const bytes = await chunkBytes(loaded, flat);
      if (!bytes) return undefined;
      const from = Math.max(start, chunk.offset);
      const to = Math.min(end, chunk.offset + chunk.length);
      out.set(bytes.subarray(from - chunk.offset, to - chunk.offset), from - start);
    }
    return out;
  }
  /** The segment leaves from the stored chunks, streamed (a lost or damaged leaves file). */
  async function leavesFromBlocks(root: Hex): Promise<Uint8Array[]> {
    const loaded = await find(root);
    if (!loaded) throw new AicError('STORAGE_REPLICA_MISSING', `no replica of ${root} is held here`);
    const stream = segmentLeaves();
    for (let flat = 0; flat < loaded.layout.chunks.length; flat++) {
      const bytes = await chunkBytes(loaded, flat);
      if (!bytes) throw new AicError('STORAGE_REPLICA_MISSING', `a chunk of ${root} is no longer stored`);
      stream.push(bytes);
    }
    return stream.finish().leaves;
  }
  /** Deletes `cids` from the content store except those a held replica, a staging one or the node still uses. */
  async function dropBlocks(cids: readonly string[]): Promise<void> {
    const kept = new Set<string>([...staging.keys(), ...heldElsewhere()]);
    for (const { record, cids: held } of (await replicas()).values()) {
      kept.add(record.manifestCid);
      for (const cid of held) kept.add(cid);
    }
    for (const cid of new Set(cids)) {
      if (!kept.has(cid)) await content.delete(cid);
    }
  }
  const unstage = (cids: Iterable<string>) => {
    for (const cid of cids) {
      const n = (staging.get(cid) ?? 0) - 1;
      if (n > 0) staging.set(cid, n);
      else staging.delete(cid);
    }
  };
  async function commitStaged(replica: ReplicaOf, staged: StagedBlocks, manifestCid: string): Promise<void> {
    const { commitment } = staged;
    const chunkCids = [...staged.cids];
    const shards: ReplicaRecord['shards'] = replica.manifest.shards.map((shard) => ({ root: shard.root, chunks: [] }));
    for (const [flat, chunk] of staged.layout.chunks.entries()) {
      shards[chunk.shardIndex]?.chunks.push([chunkCids[flat] as string, chunk.length]);
    }
    const record: ReplicaRecord = {
      datasetId: replica.datasetId.toString(),
      datasetRoot: replica.manifest.datasetRoot.toLowerCase(),
      segmentRoot: commitment.segmentRoot,
      segmentCount: commitment.segmentCount,
      sizeBytes: Number(commitment.sizeBytes),
      manifestCid,
      shards,
    };
    await mkdir(dir, { recursive: true });
    await writeFile(leavesFile(commitment.segmentRoot), Buffer.concat(staged.leaves));
    // Write-then-rename: a crash leaves no half record (blocks without a record are only unused space).
    const path = join(dir, `${commitment.segmentRoot}.json`);
    await writeFile(`${path}.tmp`, JSON.stringify(record));
    await rename(`${path}.tmp`, path);
    index({ record, ...layoutOf(record) }, await replicas());
  }
  async function stageReplica(
    replica: ReplicaOf,
    fill: (sink: ReplicaChunkSink) => Promise<void>,
  ): Promise<StagedReplica> {
    const put: string[] = [];
    const track = (cid: string) => {
      put.push(cid);
      staging.set(cid, (staging.get(cid) ?? 0) + 1);
    };
    let settled = false;
    const discard = async () => {
      if (settled) return;
      settled = true;
      unstage(put);
      await dropBlocks(put);
    };
    let staged: StagedBlocks;
    try {
      staged = await stageReplicaBlocks(content, replica.manifest, fill, track);
      track(await content.put(replica.manifestBytes));
    } catch (error) {
      await discard().catch(() => undefined);
      throw error;
    }
    const manifestCid = put.at(-1) as string;
    return {
      commitment: staged.commitment,
      async commit() {
        if (settled) throw new AicError('STORAGE_REPLICA_MISSING', 'this staged replica was discarded');
        await commitStaged(replica, staged, manifestCid);
        settled = true;
        unstage(put);
        return staged.commitment;
      },
      discard,
    };
  }
  async function read(root: Hex): Promise<Uint8Array> {
    const loaded = await find(root);
    if (!loaded) throw new AicError('STORAGE_REPLICA_MISSING', `no replica of ${root} is held here`);
    const out = new Uint8Array(loaded.layout.sizeBytes);
    for (const [flat, chunk] of loaded.layout.chunks.entries()) {
      const bytes = await chunkBytes(loaded, flat);
      if (!bytes) throw new AicError('STORAGE_REPLICA_MISSING', `a chunk of ${root} is no longer stored`);
      out.set(bytes, chunk.offset);
    }
    return out;
  }
  const leavesFile = (root: Hex) => join(dir, `${root}.leaves`);

  return {
    stageReplica,
    async putReplica(replica) {
      const staged = await stageReplica(replica, feedWhole(replica));
      return await staged.commit();
    },
    get: segment,
    async has(root, segmentCount) {
      const loaded = await find(root);
      if (loaded?.record.segmentCount !== segmentCount) return false;
      for (let flat = 0; flat < loaded.cids.length; flat++) if (!(await chunkBytes(loaded, flat))) return false;
      return true;
    },
    async leaves(root, segmentCount) {
      const packed = await readFile(leavesFile(root)).catch(() => undefined);
      if (packed?.length === segmentCount * 32) {
        const leaves = Array.from(
          { length: segmentCount },
          (_, i) => new Uint8Array(packed.subarray(i * 32, (i + 1) * 32)),
        );
        if (bytesToHex0x(merkleRoot(leaves)) === root) return leaves;
      }
      // Lost or damaged: rebuilt from the chunks, which must all be there.
      return await leavesFromBlocks(root);
    },
    read: (root) => read(root),
    async remove(root) {
      const map = await replicas();
      const loaded = map.get(root);
      if (!loaded) return;
      map.delete(root);
      for (const shard of loaded.record.shards) byShard.delete(shard.root as Hex);
      // The record first: a crash after it leaves unused blocks, never a record naming deleted ones.
      await rm(join(dir, `${root}.json`), { force: true });
      await rm(leavesFile(root), { force: true });
      // Its blocks go too, but those another replica or the node's own datasets use (one shared content store).
      await dropBlocks([...loaded.cids, loaded.record.manifestCid]);
    },
    served: {
      async get(root, index) {
        if (typeof root !== 'string' || !HEX_32.test(root)) return undefined;
        await replicas();
        const shard = byShard.get(root);
        if (!shard) return segment(root, index);
        const count = shard.loaded.record.shards[shard.shardIndex]?.chunks.length ?? 0;
        if (!Number.isInteger(index) || index < 0 || index >= count) return undefined;
        return chunkBytes(shard.loaded, shard.first + index);
      },
    },
    async manifestOf(datasetId) {
      for (const { record } of (await replicas()).values()) {
        if (record.datasetId === datasetId.toString()) return content.get(record.manifestCid);
      }
      return undefined;
    },
    async datasetOf(datasetId) {
      const loaded = [...(await replicas()).values()].find((l) => l.record.datasetId === datasetId.toString());
      const manifestBytes = loaded && (await content.get(loaded.record.manifestCid));
      if (!loaded || !manifestBytes) return undefined;
      const firstOf = loaded.record.shards.map((_, i) => loaded.layout.chunks.findIndex((c) => c.shardIndex === i));
      return {
        manifestBytes,
        async chunk(shardIndex, chunkIndex) {
          const count = loaded.record.shards[shardIndex]?.chunks.length ?? 0;
          if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= count) return undefined;
          return await chunkBytes(loaded, (firstOf[shardIndex] ?? 0) + chunkIndex);
        },
      };
    },
    async heldChunks(segmentRoot) {
      const loaded = await find(segmentRoot);
      const shards = loaded?.record.shards ?? [];
      return {
        manifest: { shards: shards.map((s) => ({ root: s.root })) },
        chunkCids: shards.map((s) => s.chunks.map(([cid]) => cid)),
      };
    },
    async list() {
      return [...(await replicas()).values()].map(({ record }) => ({
        datasetId: BigInt(record.datasetId),
        datasetRoot: record.datasetRoot as Hex,
        segmentRoot: record.segmentRoot as Hex,
        segmentCount: record.segmentCount,
        sizeBytes: record.sizeBytes,
        manifestCid: record.manifestCid,
      }));
    },
  };
}
