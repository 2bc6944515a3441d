/**
 * The provider's replica store on disk: one folder per blob named by its segment root, one file per segment
 * (`<dir>/<segmentRoot>/<index>`). Content-addressed by the root, so two deals for the same blob share one replica.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import type { Hex } from '../commitments/index.ts';
import { commitBlob, splitSegments } from './segments.ts';

export interface SegmentStore {
  /** Stores `blob` under its own root and returns that root. */
  put(blob: Uint8Array): Promise<Hex>;
  /** Whether every segment of the blob committed by `root` is present. */
  has(root: Hex, segmentCount: number): Promise<boolean>;
  /** One segment, or undefined when it is not stored (what the network server answers from). */
  get(root: Hex, index: number): Promise<Uint8Array | undefined>;
  /** Reassembles the blob; throws STORAGE_REPLICA_MISSING when a segment is gone. */
  read(root: Hex, segmentCount: number): Promise<Uint8Array>;
  /** Drops the replica (a provider losing or deleting data). */
  remove(root: Hex): Promise<void>;
}

const ROOT_PATTERN = /^0x[0-9a-f]{64}$/;

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
  return {
    async put(blob) {
      const root = commitBlob(blob).segmentRoot;
      await mkdir(folder(root), { recursive: true });
      const segments = splitSegments(blob);
      await Promise.all(segments.map((s, i) => writeFile(join(folder(root), String(i)), s)));
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
    async read(root, segmentCount) {
      const segments = await Promise.all(Array.from({ length: segmentCount }, (_, i) => readSegment(root, i)));
      return new Uint8Array(Buffer.concat(segments));
    },
    async remove(root) {
      await rm(folder(root), { recursive: true, force: true });
    },
  };
}
