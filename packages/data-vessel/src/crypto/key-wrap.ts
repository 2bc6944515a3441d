import { AicError } from '@aic/core';
import { toBytes32 } from '@aic/core/merkle';
import { gcm } from '@noble/ciphers/aes.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { concatBytes } from '../commitments/encode.ts';

const VERSION = 1;
const INFO = new TextEncoder().encode('aic-dataset-key-wrap/1');
const POINT_BYTES = 33;
const NONCE_BYTES = 12;
/** Size of a wrapped 32-byte key: version ‖ ephemeral public key ‖ nonce ‖ ciphertext ‖ tag. */
export const WRAPPED_KEY_BYTES = 1 + POINT_BYTES + NONCE_BYTES + 32 + 16;

function compressed(publicKey: Uint8Array): Uint8Array {
  try {
    return secp256k1.Point.fromBytes(publicKey).toBytes(true);
  } catch (cause) {
    throw new AicError('DATA_PUBLIC_KEY_INVALID', 'not a secp256k1 public key', { cause });
  }
}

function wrappingKey(sharedPoint: Uint8Array, ephemeral: Uint8Array, recipient: Uint8Array): Uint8Array {
  // HKDF over the shared x-coordinate; both public keys in the salt bind the key to this exchange.
  return hkdf(sha256, sharedPoint.subarray(1), concatBytes(ephemeral, recipient), INFO, 32);
}

/**
 * ECIES on secp256k1: wraps a dataset key to a worker's public key (33- or 65-byte SEC1; from its PeerId with
 * `publicKeyFromPeerId`). A fresh ephemeral key per call; ECDH → HKDF-SHA256 → AES-256-GCM with the dataset root
 * as AAD, so a wrapped key opens only for that worker and only as the key of that dataset.
 *
 * @example
 * const wrapped = wrapDatasetKey(datasetKey, publicKeyFromPeerId(worker.peerId), manifest.datasetRoot);
 */
export function wrapDatasetKey(
  datasetKey: Uint8Array,
  recipientPublicKey: Uint8Array,
  datasetRoot: `0x${string}`,
): Uint8Array {
  const recipient = compressed(recipientPublicKey);
  const ephemeralSecret = secp256k1.utils.randomSecretKey();
  const ephemeral = secp256k1.getPublicKey(ephemeralSecret, true);
  const key = wrappingKey(secp256k1.getSharedSecret(ephemeralSecret, recipient, true), ephemeral, recipient);
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = gcm(key, nonce, toBytes32(datasetRoot, 'dataset root')).encrypt(datasetKey);
  return concatBytes(Uint8Array.of(VERSION), ephemeral, nonce, sealed);
}

/**
 * Opens a wrapped dataset key with the worker's secp256k1 private key. Throws DATA_KEY_UNWRAP_FAILED for a wrong
 * private key, a wrong dataset root, a modified or malformed envelope.
 */
export function unwrapDatasetKey(wrapped: Uint8Array, privateKey: Uint8Array, datasetRoot: `0x${string}`): Uint8Array {
  const fail = (cause?: unknown): never => {
    throw new AicError('DATA_KEY_UNWRAP_FAILED', 'the wrapped dataset key does not open with this key and root', {
      cause,
    });
  };
  if (wrapped.length !== WRAPPED_KEY_BYTES || wrapped[0] !== VERSION) fail();
  const ephemeral = wrapped.subarray(1, 1 + POINT_BYTES);
  const nonce = wrapped.subarray(1 + POINT_BYTES, 1 + POINT_BYTES + NONCE_BYTES);
  try {
    const recipient = secp256k1.getPublicKey(privateKey, true);
    const key = wrappingKey(secp256k1.getSharedSecret(privateKey, ephemeral, true), ephemeral, recipient);
    return gcm(key, nonce, toBytes32(datasetRoot, 'dataset root')).decrypt(
      wrapped.subarray(1 + POINT_BYTES + NONCE_BYTES),
    );
  } catch (cause) {
    return fail(cause);
  }
}
