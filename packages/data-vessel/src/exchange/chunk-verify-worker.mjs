/**
 * The fetch path's chunk checks, in a worker thread of their own (see chunk-verifier.ts): AES-256-GCM open of each
 * sealed chunk straight into its shard, and the chunk's Merkle leaf keccak256(uint32 index ‖ chunk) over the
 * plaintext it wrote. Plain JavaScript on purpose: a worker thread gets no TypeScript loader on Node 20.
 *
 * Everything that defines the formats stays in the TypeScript modules and comes in with each request: the nonce and
 * AAD (crypto/chunk-cipher.ts), the leaf prefix (commitments/chunks.ts). This file only runs the primitives.
 *
 * Requests (from the fetching thread):
 *   { op: 'open', id, slot, sealedLength, shard, shardLength, offset, expectedLength, nonce, aad, leafPrefix }
 *     slot: a SharedArrayBuffer holding the sealed chunk (ciphertext ‖ 16-byte tag) in its first sealedLength bytes
 *     → { id, leaf } or { id, failure: 'chunk-auth-failed' | 'chunk-length-mismatch' }
 *   { op: 'take', id, shard } → { id, bytes } (the shard's buffer, transferred: the worker forgets it)
 * Any other failure → { id, error }.
 */
import { createDecipheriv, createHash, getHashes } from 'node:crypto';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { keccak_256 } from '@noble/hashes/sha3.js';

const TAG_BYTES = 16;
const key = workerData.key;
/** @type {Map<number, Uint8Array>} shard index → the shard's plaintext as it is being put together */
const shards = new Map();

function loadNativeKeccak() {
  try {
    // The addon itself, as @aic/core/hash loads it (the package's JS fallback is slower than noble).
    const create = createRequire(import.meta.url)('keccak/bindings.js');
    return (prefix, chunk) => {
      const hash = create('keccak256');
      hash.update(Buffer.from(prefix.buffer, prefix.byteOffset, prefix.length));
      hash.update(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      return new Uint8Array(hash.digest());
    };
  } catch {
    return undefined;
  }
}

/** OpenSSL's keccak-256 where node:crypto has it (Node 24), as @aic/core/hash prefers it. */
function loadOpenSslKeccak() {
  if (!getHashes().includes('keccak-256')) return undefined;
  return (prefix, chunk) => new Uint8Array(createHash('keccak-256').update(prefix).update(chunk).digest());
}

const leafOf =
  loadOpenSslKeccak() ??
  loadNativeKeccak() ??
  ((prefix, chunk) => keccak_256.create().update(prefix).update(chunk).digest());

function decipher(nonce, aad, tag) {
  const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  d.setAAD(aad);
  d.setAuthTag(tag);
  return d;
}

/** Whether a chunk of the wrong length is at least authentic (a key holder's forgery rather than noise). */
function authenticAside(sealed, nonce, aad) {
  if (sealed.length < TAG_BYTES) return false;
  try {
    const d = decipher(nonce, aad, sealed.subarray(sealed.length - TAG_BYTES));
    d.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    d.final();
    return true;
  } catch {
    return false;
  }
}

function open(request) {
  const sealed = new Uint8Array(request.slot, 0, request.sealedLength);
  const { nonce, aad, offset, expectedLength, shardLength } = request;
  const bodyLength = sealed.length - TAG_BYTES;
  if (bodyLength !== expectedLength || offset < 0 || offset + expectedLength > shardLength) {
    return { failure: authenticAside(sealed, nonce, aad) ? 'chunk-length-mismatch' : 'chunk-auth-failed' };
  }
  let target = shards.get(request.shard);
  if (!target) {
    target = new Uint8Array(shardLength);
    shards.set(request.shard, target);
  }
  try {
    const d = decipher(nonce, aad, sealed.subarray(bodyLength));
    target.set(d.update(sealed.subarray(0, bodyLength)), offset);
    d.final(); // throws unless the tag authenticates every byte written above
  } catch {
    // The bytes written are unspecified now; the chunk is fetched again and overwrites them.
    return { failure: 'chunk-auth-failed' };
  }
  return { leaf: leafOf(request.leafPrefix, target.subarray(offset, offset + expectedLength)) };
}

parentPort.on('message', (request) => {
  try {
    if (request.op === 'open') {
      parentPort.postMessage({ id: request.id, ...open(request) });
    } else if (request.op === 'take') {
      const bytes = shards.get(request.shard) ?? new Uint8Array(0);
      shards.delete(request.shard);
      parentPort.postMessage({ id: request.id, bytes }, [bytes.buffer]);
    } else {
      parentPort.postMessage({ id: request.id, error: `unknown op ${String(request.op)}` });
    }
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
