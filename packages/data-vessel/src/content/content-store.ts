import '@aic/core/polyfills';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { createHeliaLight, type Helia } from 'helia';
import { CID } from 'multiformats/cid';
import { rawCid } from '../digitize/cid.ts';

/**
 * A node's content-addressed store: sealed dataset chunks, dataset and model manifests, replicas. Every value is one
 * raw block (CIDv1, raw codec, sha2-256: the same CID as `rawCid`), pinned so Helia's garbage collection keeps it.
 */
export interface ContentStore {
  /** Stores `bytes` (idempotent) and pins them; resolves to their CID. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes of `cid`, re-hashed against it, or undefined when not held here (never asks the network). */
  get(cid: string): Promise<Uint8Array | undefined>;
  has(cid: string): Promise<boolean>;
  /** Unpins and deletes a block (a dropped replica); a CID not held here is a no-op. */
  delete(cid: string): Promise<void>;
  stop(): Promise<void>;
}

/** Parses a CID string, or throws DATA_CONTENT_CID_INVALID (bad input from the network or an API body). */
export function parseContentCid(cid: string): CID {
  try {
    return CID.parse(cid);
  } catch (cause) {
    throw new AicError('DATA_CONTENT_CID_INVALID', 'not a CID', { cause, details: { cid: cid.slice(0, 128) } });
  }
}

async function collect(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of chunks) parts.push(part);
  // A plain Uint8Array view (blockstore-fs answers a Buffer).
  if (parts.length === 1 && parts[0]) return new Uint8Array(parts[0].buffer, parts[0].byteOffset, parts[0].length);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Opens (or creates) the content store in `dir` (`<dir>/blocks` and `<dir>/datastore`): Helia light with no routers
 * and no block brokers, so it is offline by construction; AIC moves content over its own protocols.
 *
 * @example
 * const store = await openContentStore(join(dataDir, 'content'));
 * const cid = await store.put(manifestBytes);
 */
export async function openContentStore(dir: string): Promise<ContentStore> {
  await mkdir(join(dir, 'blocks'), { recursive: true });
  await mkdir(join(dir, 'datastore'), { recursive: true });
  const helia: Helia = createHeliaLight({
    blockstore: new FsBlockstore(join(dir, 'blocks')),
    datastore: new FsDatastore(join(dir, 'datastore')),
    routers: [],
    blockBrokers: [],
  });
  await helia.start();
  const offline = { offline: true } as const;
  const has = async (cid: CID) => await helia.blockstore.has(cid);
  return {
    async put(bytes) {
      const text = rawCid(bytes);
      const cid = CID.parse(text);
      if (!(await has(cid))) await helia.blockstore.put(cid, bytes);
      if (!(await helia.pins.isPinned(cid))) {
        for await (const _ of helia.pins.add(cid)) {
          // pins.add yields each pinned block; a raw block has no children
        }
      }
      return text;
    },
    async get(text) {
      const cid = parseContentCid(text);
      if (!(await has(cid))) return undefined;
      const bytes = await collect(helia.blockstore.get(cid, offline));
      // A block corrupted on disk is not served: the caller asks another holder.
      return rawCid(bytes) === cid.toString() ? bytes : undefined;
    },
    has: async (text) => await has(parseContentCid(text)),
    async delete(text) {
      const cid = parseContentCid(text);
      if (await helia.pins.isPinned(cid)) {
        for await (const _ of helia.pins.rm(cid)) {
          // drains the generator
        }
      }
      if (await has(cid)) await helia.blockstore.delete(cid);
    },
    async stop() {
      await helia.stop();
    },
  };
}
