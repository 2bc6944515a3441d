import { AicError } from '../errors/index.ts';

/** A 32-byte value given as bytes or as a 0x-prefixed hex string of 64 hex digits. */
export type Bytes32Input = Uint8Array | `0x${string}`;

const HEX_32 = /^0x[0-9a-fA-F]{64}$/;

/** Converts a Bytes32Input into a fresh 32-byte Uint8Array, or throws MERKLE_INVALID_NODE. */
export function toBytes32(value: Bytes32Input, what = 'node'): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== 32) {
      throw new AicError('MERKLE_INVALID_NODE', `${what} must be 32 bytes, got ${value.length}`, {
        details: { what, length: value.length },
      });
    }
    return Uint8Array.from(value);
  }
  if (typeof value !== 'string' || !HEX_32.test(value)) {
    throw new AicError('MERKLE_INVALID_NODE', `${what} must be 0x followed by 64 hex digits`, { details: { what } });
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number.parseInt(value.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** Lower-case 0x hex of any byte string. */
export function bytesToHex0x(bytes: Uint8Array): `0x${string}` {
  let hex = '0x';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex as `0x${string}`;
}

/** Byte-wise comparison as unsigned big-endian integers (Solidity's `a < b` on bytes32). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
