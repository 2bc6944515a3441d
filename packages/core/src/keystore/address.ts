import { bytesToHex } from '@noble/hashes/utils.js';
import type { Address } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

/** The checksummed Ethereum address of a 32-byte secp256k1 private key. */
export function privateKeyBytesToAddress(privateKey: Uint8Array): Address {
  return privateKeyToAddress(`0x${bytesToHex(privateKey)}`);
}
