import { decode, encode } from 'cborg';

/**
 * CBOR with cborg: encoding is deterministic (RFC 8949 core deterministic rules: shortest integers, sorted map
 * keys), which is what the signatures cover; decoding is strict (no indefinite lengths, undefined, NaN/Infinity,
 * duplicate map keys or non-minimal integers), so one value has one accepted encoding.
 */
const decodeOptions = {
  strict: true,
  rejectDuplicateMapKeys: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowNaN: false,
  allowInfinity: false,
  useMaps: false,
} as const;

/** Canonical CBOR bytes of a value. */
export function cborEncode(value: unknown): Uint8Array {
  return encode(value);
}

/** Decodes strict CBOR; throws on anything outside the accepted subset. */
export function cborDecode(bytes: Uint8Array): unknown {
  return decode(bytes, decodeOptions);
}
