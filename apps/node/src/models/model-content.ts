/**
 * Where a node keeps the exact bytes of the model manifests it published, addressed by CID. The interface is the
 * open market's `ContentStore` (`openContentStore` in `@aic/data-vessel`, a Helia blockstore on disk): a node passes
 * its data role's store, which also serves the bytes over `/aic/content/1.0.0`. This file-per-CID store under the
 * data dir is the fallback with the same contract when no store is given (a model service built on its own, tests):
 * `put` returns the CIDv1 (raw, sha2-256) of the bytes, `get` returns them only if they still hash to it.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cidOfBytes } from '@aic/model-vessel';
import { writeFileAtomic } from '../state/atomic-file.ts';

export interface ContentStore {
  put(bytes: Uint8Array): Promise<string>;
  get(cid: string): Promise<Uint8Array | undefined>;
  has(cid: string): Promise<boolean>;
  stop(): Promise<void>;
}

const CID_RE = /^b[a-z2-7]{20,100}$/;

export async function openFileContentStore(dir: string): Promise<ContentStore> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pathOf = (cid: string) => (CID_RE.test(cid) ? join(dir, cid) : undefined);
  const get = async (cid: string) => {
    const path = pathOf(cid);
    if (path === undefined) return undefined;
    const bytes = await readFile(path).then(
      (b) => new Uint8Array(b),
      () => undefined,
    );
    // a file changed on disk is as good as missing: content is only ever served as its CID says
    return bytes !== undefined && (await cidOfBytes(bytes)) === cid ? bytes : undefined;
  };
  return {
    async put(bytes) {
      const cid = await cidOfBytes(bytes);
      await writeFileAtomic(join(dir, cid), bytes);
      return cid;
    },
    get,
    has: async (cid) => (await get(cid)) !== undefined,
    stop: async () => undefined,
  };
}
