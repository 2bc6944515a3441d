import { ctr } from '@noble/ciphers/aes.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, randomBytes } from '@noble/hashes/utils.js';
import { privateKeyBytesToAddress } from './address.ts';
import { deriveKey } from './kdf.ts';
import { assertValidPrivateKey } from './private-key.ts';
import type { KeystoreV3 } from './schema.ts';

/** Standard scrypt cost (geth "standard", ethers default): 2^18. Tests pass a small N; real keystores never should. */
export const DEFAULT_SCRYPT_N = 262_144;

export interface EncryptKeystoreOptions {
  /** scrypt N (a power of two). Default {@link DEFAULT_SCRYPT_N}. */
  scryptN?: number;
}

/**
 * Encrypts a 32-byte secp256k1 private key into a standard Ethereum keystore v3 (scrypt, aes-128-ctr, keccak MAC)
 * that geth, ethers, viem-based wallets and MetaMask import. A key that is not 32 bytes with 0 < k < n fails with
 * 'KEY_INVALID' (the reason, never the value).
 *
 * @example
 * const json = await encryptKeystore(privateKey, password);
 * await writeFile('key.json', JSON.stringify(json));
 */
export async function encryptKeystore(
  privateKey: Uint8Array,
  password: string,
  opts: EncryptKeystoreOptions = {},
): Promise<KeystoreV3> {
  assertValidPrivateKey(privateKey);
  const address = privateKeyBytesToAddress(privateKey);
  const kdfparams = { dklen: 32, salt: bytesToHex(randomBytes(32)), n: opts.scryptN ?? DEFAULT_SCRYPT_N, r: 8, p: 1 };
  const iv = randomBytes(16);
  const derived = await deriveKey(password, { kdf: 'scrypt', kdfparams, ...placeholderCipher });
  const ciphertext = ctr(derived.slice(0, 16), iv).encrypt(privateKey);
  const mac = keccak_256(concatBytes(derived.slice(16, 32), ciphertext));
  return {
    version: 3,
    id: uuidV4(),
    address: address.slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      ciphertext: bytesToHex(ciphertext),
      cipherparams: { iv: bytesToHex(iv) },
      kdf: 'scrypt',
      kdfparams,
      mac: bytesToHex(mac),
    },
  };
}

// deriveKey only reads the KDF half of the crypto section.
const placeholderCipher = { cipher: 'aes-128-ctr', ciphertext: '', cipherparams: { iv: '' }, mac: '' } as const;

function uuidV4(): string {
  const b = randomBytes(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = bytesToHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
