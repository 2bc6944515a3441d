import { ctr } from '@noble/ciphers/aes.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { type Address, getAddress } from 'viem';
import { AicError } from '../errors/index.ts';
import { privateKeyBytesToAddress } from './address.ts';
import { deriveKey } from './kdf.ts';
import { assertValidPrivateKey } from './private-key.ts';
import { keystoreV3Schema, type ParsedKeystore } from './schema.ts';

/**
 * Validates a keystore v3 JSON value (object or string). Throws AicError 'KEYSTORE_INVALID' with the zod issues.
 */
export function parseKeystore(json: unknown): ParsedKeystore {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      // No cause: JSON.parse quotes the text it choked on, and a file given as a keystore may hold a raw key.
      throw new AicError('KEYSTORE_INVALID', 'keystore is not valid JSON');
    }
  }
  const parsed = keystoreV3Schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AicError('KEYSTORE_INVALID', 'not a keystore v3 file', { details: { issues } });
  }
  return parsed.data;
}

/**
 * Decrypts a keystore v3 file (scrypt or pbkdf2, aes-128-ctr) into its 32-byte private key.
 * Throws 'KEYSTORE_INVALID' for a malformed file, 'KEYSTORE_WRONG_PASSWORD' when the MAC does not match, and
 * 'KEY_INVALID' when the key it holds is no secp256k1 key (zero, or not below the curve order).
 *
 * @example
 * const privateKey = await decryptKeystore(JSON.parse(await readFile('key.json', 'utf8')), password);
 */
export async function decryptKeystore(json: unknown, password: string): Promise<Uint8Array> {
  const { crypto, address } = parseKeystore(json);
  const derived = await deriveKey(password, crypto);
  const ciphertext = hexToBytes(crypto.ciphertext);
  const mac = bytesToHex(keccak_256(concatBytes(derived.slice(16, 32), ciphertext)));
  if (mac !== crypto.mac) {
    throw new AicError('KEYSTORE_WRONG_PASSWORD', 'wrong password for keystore');
  }
  const privateKey = ctr(derived.slice(0, 16), hexToBytes(crypto.cipherparams.iv)).decrypt(ciphertext);
  if (privateKey.length !== 32) {
    throw new AicError('KEYSTORE_INVALID', 'keystore does not hold a 32-byte key', {
      details: { length: privateKey.length },
    });
  }
  assertValidPrivateKey(privateKey, 'the key in the keystore');
  if (address !== undefined && privateKeyBytesToAddress(privateKey).slice(2).toLowerCase() !== address) {
    throw new AicError('KEYSTORE_INVALID', 'keystore address does not match its key', { details: { address } });
  }
  return privateKey;
}

/**
 * The checksummed address a keystore declares, without decrypting it.
 * Throws 'KEYSTORE_INVALID' when the file has no address field.
 */
export function keystoreAddress(json: unknown): Address {
  const { address } = parseKeystore(json);
  if (address === undefined) throw new AicError('KEYSTORE_INVALID', 'keystore has no address field');
  return getAddress(`0x${address}`);
}
