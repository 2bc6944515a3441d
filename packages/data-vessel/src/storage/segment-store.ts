/**
 * The provider's replica store on disk: one folder per blob named by its segment root, one file per segment
 * (`<dir>/<segmentRoot>/<index>`). Content-addressed by the root, so two deals for the same blob share one replica.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { bytesToHex0x, merkleRoot } from '@aic/core/merkle';
import { type Hex, shardChunkLeaves } from '../commitments/index.ts';
import { commitBlob, STORAGE_SEGMENT_BYTES, splitSegments } from './segments.ts';

export interface SegmentStore {
  /** Stores `blob` under its own root and returns that root. */
  put(blob: Uint8Array): Promise<Hex>;
  /** Whether every segment of the blob committed by `root` is present. */
  has(root: Hex, segmentCount: number): Promise<boolean>;
  /** One segment, or undefined when it is not stored (what the network server answers from). */
  get(root: Hex, index: number): Promise<Uint8Array | undefined>;
  /** The segment leaves of a stored blob (kept beside the segments, so a proof needs no full read). */
  leaves(root: Hex, segmentCount: number): Promise<Uint8Array[]>;
  /** Reassembles the blob; throws STORAGE_REPLICA_MISSING when a segment is gone. */
  read(root: Hex, segmentCount: number): Promise<Uint8Array>;
  /** Drops the replica (a provider losing or deleting data). */
  remove(root: Hex): Promise<void>;
}

const ROOT_PATTERN = /^0x[0-9a-f]{64}$/;
const LEAVES_FILE = 'leaves';

/** Files open at once: a 100 MB blob is 25,600 segments, far above the process's file descriptor limit. */
const PARALLEL_FILES = 64;

/** Runs `task` for indices 0..count-1, at most PARALLEL_FILES at a time, keeping the order of results. */
async function inBatches<T>(count: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += PARALLEL_FILES) {
    const size = Math.min(PARALLEL_FILES, count - start);
    results.push(...(await Promise.all(Array.from({ length: size }, (_, i) => task(start + i)))));
  }
  return results;
}

/** Opens (creating) the store under `dir`. */
export function openSegmentStore(dir: string): SegmentStore {
  const folder = (root: Hex) => {
    // The root names a folder: only a well-formed lowercase hash may, never a path.
    if (!ROOT_PATTERN.test(root)) throw new AicError('STORAGE_BAD_ROOT', 'segment root is not a 32-byte hex hash');
    return join(dir, root);
  };
  const readSegment = async (root: Hex, index: number): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await readFile(join(folder(root), String(index))));
    } catch (cause) {
      throw new AicError('STORAGE_REPLICA_MISSING', `segment ${index} of ${root} is not stored`, { cause });
    }
  };
  async function read(root: Hex, segmentCount: number): Promise<Uint8Array> {
    const segments = await inBatches(segmentCount, (i) => readSegment(root, i));
    return new Uint8Array(Buffer.concat(segments));
  }
  return {
    async put(blob) {
      const root = commitBlob(blob).segmentRoot;
      await mkdir(folder(root), { recursive: true });
      const segments = splitSegments(blob);
      await inBatches(segments.length, (i) => writeFile(join(folder(root), String(i)), segments[i] as Uint8Array));
      await writeFile(join(folder(root), LEAVES_FILE), Buffer.concat(shardChunkLeaves(blob, STORAGE_SEGMENT_BYTES)));
      return root;
    },
    async get(root, index) {
      if (!ROOT_PATTERN.test(root) || !Number.isInteger(index) || index < 0) return undefined;
      return readSegment(root, index).catch(() => undefined);
    },
    async has(root, segmentCount) {
      const names = new Set(await readdir(folder(root)).catch(() => [] as string[]));
      for (let i = 0; i < segmentCount; i++) if (!names.has(String(i))) return false;
      return true;
    },
    async leaves(root, segmentCount) {
      const packed = await readFile(join(folder(root), LEAVES_FILE)).catch(() => undefined);
      if (packed?.length === segmentCount * 32) {
        const leaves = Array.from(
          { length: segmentCount },
          (_, i) => new Uint8Array(packed.subarray(i * 32, (i + 1) * 32)),
        );
        if (bytesToHex0x(merkleRoot(leaves)) === root) return leaves;
      }
      // No (or a damaged) leaves file: recompute it from the segments, which must all be there.
      return shardChunkLeaves(await read(root, segmentCount), STORAGE_SEGMENT_BYTES);
    },
    read,
    async remove(root) {
      await rm(folder(root), { recursive: true, force: true });
    },
  };
}
