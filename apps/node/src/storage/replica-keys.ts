/**
 * The dataset keys a Storage Vessel node was handed with its replicas (`<data-dir>/storage/replica-keys.json`), kept
 * as the owner sent them: ECIES-wrapped to this node's own key and bound to the dataset root, so the file alone opens
 * nothing. The node releases them under the owner's on-chain rule while the owner is offline (docs/ARCHITECTURE.md,
 * Storage Vessel decisions).
 */
import { join } from 'node:path';
import { unwrapDatasetKey } from '@aic/data-vessel';
import { bytesToHex, type Hex, hexToBytes } from 'viem';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../state/atomic-file.ts';

const entrySchema = z.strictObject({
  datasetId: z.string().regex(/^[1-9][0-9]*$/),
  datasetRoot: z.string().regex(/^0x[0-9a-f]{64}$/),
  wrappedKey: z.string().regex(/^0x[0-9a-f]+$/),
});
const fileSchema = z.strictObject({ version: z.literal(1), keys: z.array(entrySchema) });

export interface ReplicaKey {
  datasetId: string;
  datasetRoot: Hex;
  /** Unwrapped in memory for the key-release handler; never written or logged. */
  key: Uint8Array;
}

export interface ReplicaKeyBook {
  /** Every kept key, unwrapped (an entry that no longer opens with this node's key is skipped). */
  list(): ReplicaKey[];
  /** Checks the wrapped key opens as this dataset's key with this node's private key, keeps it wrapped, returns it. */
  keep(datasetId: string, datasetRoot: Hex, wrappedKey: Uint8Array): Promise<ReplicaKey>;
  drop(datasetId: string): Promise<void>;
}

export async function loadReplicaKeyBook(dir: string, privateKey: Uint8Array): Promise<ReplicaKeyBook> {
  const path = join(dir, 'replica-keys.json');
  const entries = new Map(((await readJsonFile(path, fileSchema)) ?? { keys: [] }).keys.map((e) => [e.datasetId, e]));
  const save = () => writeFileAtomic(path, `${JSON.stringify({ version: 1, keys: [...entries.values()] }, null, 2)}\n`);
  const open = (e: z.output<typeof entrySchema>): ReplicaKey => ({
    datasetId: e.datasetId,
    datasetRoot: e.datasetRoot as Hex,
    key: unwrapDatasetKey(hexToBytes(e.wrappedKey as Hex), privateKey, e.datasetRoot as Hex),
  });
  return {
    list() {
      const keys: ReplicaKey[] = [];
      for (const e of entries.values()) {
        try {
          keys.push(open(e));
        } catch {
          // Wrapped to another key (the node's key changed): it cannot be released from here.
        }
      }
      return keys;
    },
    async keep(datasetId, datasetRoot, wrappedKey) {
      const entry = { datasetId, datasetRoot: datasetRoot.toLowerCase(), wrappedKey: bytesToHex(wrappedKey) };
      const opened = open(entry); // throws DATA_KEY_* before anything is kept
      entries.set(datasetId, entry);
      await save();
      return opened;
    },
    async drop(datasetId) {
      if (entries.delete(datasetId)) await save();
    },
  };
}
