/**
 * The node's book of the datasets it holds (`<data-dir>/datasets.json`): for each, its ids on chain, where its
 * parts are in the ContentStore, and its key ENCRYPTED AT REST: ECIES-wrapped to the node's own secp256k1 key
 * (`wrapDatasetKey`, bound to the dataset root), so the file alone opens nothing. Written atomically, checked on read.
 */
import { join } from 'node:path';
import { unwrapDatasetKey, wrapDatasetKey } from '@aic/data-vessel';
import { bytesToHex, hexToBytes, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../state/atomic-file.ts';

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const cid = z.string().regex(/^b[a-z2-7]{20,100}$/);

const entrySchema = z.strictObject({
  datasetId: z.string().regex(/^[1-9][0-9]*$/),
  name: z.string().max(64),
  datasetRoot: hex32,
  manifestCid: cid,
  chunkCids: z.array(z.array(cid)),
  bytes: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  trainRows: z.number().int().nonnegative(),
  licenseId: z.number().int().nonnegative(),
  pricePerUseWei: z.string().regex(/^[0-9]+$/),
  /** The dataset key wrapped to this node's key (hex); never the key itself. */
  wrappedKey: z.string().regex(/^0x[0-9a-f]+$/),
  role: z.enum(['owner', 'replica']),
  publishedAtMs: z.number().int().nonnegative(),
});
const fileSchema = z.strictObject({ version: z.literal(1), datasets: z.array(entrySchema) });

export type DatasetEntry = z.output<typeof entrySchema>;

export interface DatasetBook {
  list(): DatasetEntry[];
  get(datasetId: string): DatasetEntry | undefined;
  /** Adds or replaces an entry, wrapping `key` to the node's own key, and writes the file. */
  add(entry: Omit<DatasetEntry, 'wrappedKey'>, key: Uint8Array): Promise<DatasetEntry>;
  /** The dataset key, unwrapped with the node's private key (kept in memory only by the caller that needs it). */
  keyOf(entry: DatasetEntry): Uint8Array;
}

export async function loadDatasetBook(dataDir: string, privateKey: Uint8Array): Promise<DatasetBook> {
  const path = join(dataDir, 'datasets.json');
  const entries = new Map(
    ((await readJsonFile(path, fileSchema)) ?? { datasets: [] }).datasets.map((e) => [e.datasetId, e]),
  );
  // The node's own public key (65-byte SEC1): the wrapped keys open only with its private key.
  const ownPublicKey = hexToBytes(privateKeyToAccount(toHex(privateKey)).publicKey);
  const save = () =>
    writeFileAtomic(path, `${JSON.stringify({ version: 1, datasets: [...entries.values()] }, null, 2)}\n`);
  return {
    list: () => [...entries.values()],
    get: (datasetId) => entries.get(datasetId),
    async add(entry, key) {
      const root = entry.datasetRoot as `0x${string}`;
      const full = { ...entry, wrappedKey: bytesToHex(wrapDatasetKey(key, ownPublicKey, root)) };
      entries.set(full.datasetId, full);
      await save();
      return full;
    },
    keyOf: (entry) =>
      unwrapDatasetKey(hexToBytes(entry.wrappedKey as `0x${string}`), privateKey, entry.datasetRoot as `0x${string}`),
  };
}
