import { bytesToHex } from '@noble/hashes/utils.js';
import type { Address } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { assertValidPrivateKey } from './private-key.ts';

/** The checksummed Ethereum address of a 32-byte secp256k1 private key; 'KEY_INVALID' (no value) for a bad key. */
export function privateKeyBytesToAddress(privateKey: Uint8Array): Address {
  assertValidPrivateKey(privateKey);
  return privateKeyToAddress(`0x${bytesToHex(privateKey)}`);
}
