import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ParsedKeystore } from './schema.ts';

/** Passwords are NFKC-normalised before hashing, as ethers does, so the same typed password always opens the file. */
export function passwordToBytes(password: string): Uint8Array {
  return utf8ToBytes(password.normalize('NFKC'));
}

/** Derives the keystore's key-encryption key from the password with the file's KDF and parameters. */
export async function deriveKey(password: string, crypto: ParsedKeystore['crypto']): Promise<Uint8Array> {
  const pw = passwordToBytes(password);
  if (crypto.kdf === 'scrypt') {
    const { n, r, p, dklen, salt } = crypto.kdfparams;
    // 128·N·r bytes of memory; allow a little over the standard N = 2^18, r = 8 (256 MiB).
    return scryptAsync(pw, hexToBytes(salt), { N: n, r, p, dkLen: dklen, maxmem: 128 * n * r + 1024 * 1024 });
  }
  const { c, dklen, salt } = crypto.kdfparams;
  return pbkdf2Async(sha256, pw, hexToBytes(salt), { c, dkLen: dklen });
}
