/**
 * Dataset replicas kept in a node's content store (the Helia blockstore of `openContentStore`): every sealed chunk
 * and the manifest are blocks addressed by CID; a small record per replica (`<dir>/<segmentRoot>.json`) maps the
 * dataset's shard roots and the deal's segments onto those blocks, with the segment leaves beside it so a challenge
 * answer reads one or two chunks, not the replica. The provider never holds the dataset key: these are ciphertext.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { bytesToHex0x, merkleRoot } from '@aic/core/merkle';
import { z } from 'zod';
import { type Hex, shardChunkLeaves } from '../commitments/index.ts';
import type { SealedChunkStore } from '../exchange/index.ts';
import type { HeldChunks } from '../holding/index.ts';
import type { DatasetManifest } from '../manifest/index.ts';
import type { ReplicaStore } from './provider.ts';
import { type ReplicaLayout, replicaBlob, segmentSpan } from './replica-layout.ts';
import { type BlobCommitment, commitBlob, STORAGE_SEGMENT_BYTES } from './segments.ts';

/** The part of the node's ContentStore (H-B, `openContentStore`) replicas need: blocks by CID. */
export interface ContentBlocks {
  put(bytes: Uint8Array): Promise<string>;
  get(cid: string): Promise<Uint8Array | undefined>;
}

/** A dataset replica as handed to the store: the public manifest (bytes and parsed) and the sealed chunks. */
export interface DatasetReplica {
  datasetId: bigint;
  manifestBytes: Uint8Array;
  manifest: Pick<DatasetManifest, 'shards' | 'datasetRoot'>;
  /** Sealed chunks per shard, in manifest order. */
  sealed: readonly (readonly Uint8Array[])[];
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
  /** Stores the replica's blocks and record; returns its deal commitment. STORAGE_REPLICA_CORRUPT on bad lengths. */
  putReplica(replica: DatasetReplica): Promise<BlobCommitment>;
  /** What the chunk protocol serves: a sealed chunk by shard root, or a 4 KiB segment by segment root (repairs). */
  readonly served: SealedChunkStore;
  /** The manifest bytes of a held replica of `datasetId`. */
  manifestOf(datasetId: bigint): Promise<Uint8Array | undefined>;
  list(): Promise<ReplicaSummary[]>;
  /** The manifest and sealed chunks of a held replica of `datasetId` (to re-replicate it), or undefined. */
  datasetOf(datasetId: bigint): Promise<{ manifestBytes: Uint8Array; sealed: Uint8Array[][] } | undefined>;
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

/** Chunks written to the content store at once. */
const PARALLEL_PUTS = 8;

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

/** Opens the replica records under `dir` over the node's content store. */
export function openDatasetReplicaStore({
  dir,
  content,
}: {
  dir: string;
  content: ContentBlocks;
}): DatasetReplicaStore {
  let loading: Promise<Map<Hex, Loaded>> | undefined;
  const byShard = new Map<Hex, { loaded: Loaded; shardIndex: number; first: number }>();

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
    async putReplica({ datasetId, manifestBytes, manifest, sealed }) {
      const blob = replicaBlob(manifest, sealed);
      const commitment = commitBlob(blob);
      const shards: ReplicaRecord['shards'] = [];
      for (const [shardIndex, shard] of manifest.shards.entries()) {
        const chunks = sealed[shardIndex] ?? [];
        const cids: string[] = [];
        for (let start = 0; start < chunks.length; start += PARALLEL_PUTS) {
          const batch = chunks.slice(start, start + PARALLEL_PUTS);
          cids.push(...(await Promise.all(batch.map((c) => content.put(Uint8Array.from(c))))));
        }
        shards.push({ root: shard.root, chunks: cids.map((cid, i) => [cid, chunks[i]?.length ?? 0]) });
      }
      const record: ReplicaRecord = {
        datasetId: datasetId.toString(),
        datasetRoot: manifest.datasetRoot.toLowerCase(),
        segmentRoot: commitment.segmentRoot,
        segmentCount: commitment.segmentCount,
        sizeBytes: blob.length,
        manifestCid: await content.put(manifestBytes),
        shards,
      };
      await mkdir(dir, { recursive: true });
      await writeFile(leavesFile(commitment.segmentRoot), Buffer.concat(shardChunkLeaves(blob, STORAGE_SEGMENT_BYTES)));
      // Write-then-rename: a crash leaves no half record (the blocks alone are harmless).
      const path = join(dir, `${commitment.segmentRoot}.json`);
      await writeFile(`${path}.tmp`, JSON.stringify(record));
      await rename(`${path}.tmp`, path);
      index({ record, ...layoutOf(record) }, await replicas());
      return commitment;
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
      return shardChunkLeaves(await read(root), STORAGE_SEGMENT_BYTES);
    },
    read: (root) => read(root),
    async remove(root) {
      const map = await replicas();
      const loaded = map.get(root);
      if (!loaded) return;
      map.delete(root);
      for (const shard of loaded.record.shards) byShard.delete(shard.root as Hex);
      // The blocks stay in the content store: it is shared with the node's own datasets and has no reference counts.
      await rm(join(dir, `${root}.json`), { force: true });
      await rm(leavesFile(root), { force: true });
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
      const sealed: Uint8Array[][] = loaded.record.shards.map(() => []);
      for (const [flat, chunk] of loaded.layout.chunks.entries()) {
        const bytes = await chunkBytes(loaded, flat);
        if (!bytes) return undefined;
        sealed[chunk.shardIndex]?.push(bytes);
      }
      return { manifestBytes, sealed };
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
