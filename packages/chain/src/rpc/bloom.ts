/** The Ethereum 2048-bit log bloom: building one for a receipt, and testing a header's before reading receipts. */
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { StoredLog } from '../store/records.ts';

function bits(value: Uint8Array): [number, number, number] {
  const h = keccak_256(value);
  const bit = (i: number) => (((h[i] as number) << 8) | (h[i + 1] as number)) & 2047;
  return [bit(0), bit(2), bit(4)];
}

export function bloomOf(logs: StoredLog[]): Uint8Array {
  const bloom = new Uint8Array(256);
  const add = (value: Uint8Array) => {
    for (const b of bits(value)) bloom[255 - (b >> 3)] = (bloom[255 - (b >> 3)] as number) | (1 << (b & 7));
  };
  for (const log of logs) {
    add(log.address);
    for (const topic of log.topics) add(topic);
  }
  return bloom;
}

export function bloomMayContain(bloom: Uint8Array, value: Uint8Array): boolean {
  return bits(value).every((b) => ((bloom[255 - (b >> 3)] as number) & (1 << (b & 7))) !== 0);
}
