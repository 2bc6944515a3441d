import { createHash, getHashes } from 'node:crypto';
import { createRequire } from 'node:module';
import { keccak_256 } from '@noble/hashes/sha3.js';

type NativeHash = { update(data: Buffer): NativeHash; digest(): Buffer };
type NativeKeccak = (algorithm: 'keccak256') => NativeHash;

/** A view of `data` as a Buffer over the same memory (no copy), as the addon takes. */
const asBuffer = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.length);

type Keccak = (parts: readonly Uint8Array[]) => Uint8Array;

/**
 * OpenSSL's keccak-256 where node:crypto has it (OpenSSL 3.2+: Node 24, not Node 20 or 22): its assembly keccak took
 * ~25 % less CPU per byte than the addon here (480 vs 360 MB per CPU-second on 256 KiB chunks).
 */
function loadOpenSsl(): Keccak | undefined {
  if (!getHashes().includes('keccak-256')) return undefined;
  return (parts) => {
    const hash = createHash('keccak-256');
    for (const part of parts) hash.update(part);
    const digest = hash.digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, 32);
  };
}

function loadAddon(): Keccak | undefined {
  try {
    // The native addon only (`keccak/bindings.js`), not the package's own JS fallback, which is slower than noble.
    const create = createRequire(import.meta.url)('keccak/bindings.js') as NativeKeccak;
    return (parts) => {
      const hash = create('keccak256');
      for (const part of parts) hash.update(asBuffer(part));
      const digest = hash.digest();
      return new Uint8Array(digest.buffer, digest.byteOffset, 32);
    };
  } catch {
    return undefined;
  }
}

const openSsl = loadOpenSsl();
const native = openSsl ?? loadAddon();

function nobleParts(parts: readonly Uint8Array[]): Uint8Array {
  const hash = keccak_256.create();
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/**
 * Which keccak hashes bulk data here: node:crypto's OpenSSL keccak-256 (Node 24), else the `keccak` N-API addon
 * (prebuilt for linux/darwin/win x64), else noble.
 */
export const KECCAK_IMPLEMENTATION: 'openssl' | 'native' | 'noble' = openSsl ? 'openssl' : native ? 'native' : 'noble';

/**
 * keccak256 of bulk data (dataset chunk leaves, signed wire envelopes carrying checkpoints). Measured on 256 KiB
 * chunks: the native addon ~390 MB/s, @noble/hashes ~28 MB/s — pure-JS keccak made commitments half of an MNIST
 * import and signing 1.2 MB checkpoint messages half of a requester's CPU. Same digest either way (tested).
 * Node only (the addon): browser code keeps @noble/hashes.
 */
export const keccak256Bulk: (data: Uint8Array) => Uint8Array = native
  ? (data) => native([data])
  : (data) => keccak_256(data);

/**
 * keccak256 of the concatenation of `parts`, without building it: a chunk leaf (index ‖ 256 KiB chunk) hashed this
 * way costs no 256 KiB copy and no garbage per chunk.
 */
export const keccak256BulkParts: (parts: readonly Uint8Array[]) => Uint8Array = native ?? nobleParts;
