import { hexToBytes } from '@noble/hashes/utils.js';
import { AicError } from '../errors/index.ts';

/** The order n of the secp256k1 group: a private key k is valid when 0 < k < n. */
export const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Why a private key was refused (the only detail an error carries: never the value). */
export type InvalidKeyReason = 'wrong-length' | 'not-hex' | 'zero' | 'not-below-curve-order';

const REASONS: Record<InvalidKeyReason, string> = {
  'wrong-length': 'it is not 32 bytes',
  'not-hex': 'it is not 64 hex digits',
  zero: 'it is zero',
  'not-below-curve-order': 'it is not below the secp256k1 curve order',
};

/**
 * Throws AicError 'KEY_INVALID' unless `key` is a usable secp256k1 private key (32 bytes, 0 < k < n). The error
 * names the reason only; it never carries the value, its length in hex, or a cause that could (key material must
 * not reach logs or terminals).
 */
export function assertValidPrivateKey(key: Uint8Array, source = 'the private key'): void {
  if (key.length !== 32) throw invalidKey('wrong-length', source);
  let k = 0n;
  for (const byte of key) k = (k << 8n) | BigInt(byte);
  if (k === 0n) throw invalidKey('zero', source);
  if (k >= SECP256K1_ORDER) throw invalidKey('not-below-curve-order', source);
}

/**
 * Parses a hex private key as key files hold it (`0x` optional, either case, surrounding whitespace ignored) and
 * checks it with {@link assertValidPrivateKey}. Throws 'KEY_INVALID' (reason only) otherwise.
 *
 * @example
 * const key = parsePrivateKeyHex(await readFile('node.key', 'utf8'));
 */
export function parsePrivateKeyHex(text: string, source = 'the private key'): Uint8Array {
  const hex = text.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw invalidKey('not-hex', source);
  if (hex.length !== 64) throw invalidKey('wrong-length', source);
  const key = hexToBytes(hex.toLowerCase());
  assertValidPrivateKey(key, source);
  return key;
}

/** True when `text` looks like a hex private key (so a caller can tell it from a keystore JSON). */
export function looksLikePrivateKeyHex(text: string): boolean {
  return /^(0x)?[0-9a-fA-F]+$/i.test(text.trim());
}

function invalidKey(reason: InvalidKeyReason, source: string): AicError {
  return new AicError('KEY_INVALID', `${source} is not a valid secp256k1 private key: ${REASONS[reason]}`, {
    details: { reason },
  });
}
