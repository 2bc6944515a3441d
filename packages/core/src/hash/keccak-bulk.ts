import { createRequire } from 'node:module';
import { keccak_256 } from '@noble/hashes/sha3.js';

type NativeKeccak = (algorithm: 'keccak256') => {
  update(data: Buffer): { digest(): Buffer };
};

function loadNative(): ((data: Uint8Array) => Uint8Array) | undefined {
  try {
    // The native addon only (`keccak/bindings.js`), not the package's own JS fallback, which is slower than noble.
    const create = createRequire(import.meta.url)('keccak/bindings.js') as NativeKeccak;
    return (data) => {
      const digest = create('keccak256')
        .update(Buffer.from(data.buffer, data.byteOffset, data.length))
        .digest();
      return new Uint8Array(digest.buffer, digest.byteOffset, 32);
    };
  } catch {
    return undefined;
  }
}

const native = loadNative();

/** Which keccak hashes bulk data here: the `keccak` N-API addon (prebuilt for linux/darwin/win x64) or noble. */
export const KECCAK_IMPLEMENTATION: 'native' | 'noble' = native ? 'native' : 'noble';

/**
 * keccak256 of bulk data (dataset chunk leaves, signed wire envelopes carrying checkpoints). Measured on 256 KiB
 * chunks: the native addon ~390 MB/s, @noble/hashes ~28 MB/s — pure-JS keccak made commitments half of an MNIST
 * import and signing 1.2 MB checkpoint messages half of a requester's CPU. Same digest either way (tested).
 * Node only (the addon): browser code keeps @noble/hashes.
 */
export const keccak256Bulk: (data: Uint8Array) => Uint8Array = native ?? ((data) => keccak_256(data));
