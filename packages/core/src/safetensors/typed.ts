import { AicError } from '../errors/index.ts';
import type { SafetensorsDtype } from './dtype.ts';
import type { SafetensorsTensor } from './types.ts';

/** Typed arrays with a native counterpart of a safetensors dtype. */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array
  | BigUint64Array;

// Typed arrays use host byte order; safetensors is little-endian. Every supported Node platform is little-endian,
// and we refuse to run silently wrong elsewhere.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function requireLittleEndian(): void {
  if (!HOST_IS_LITTLE_ENDIAN) throw new AicError('SAFETENSORS_BIG_ENDIAN_HOST', 'big-endian hosts are not supported');
}

function bytesOf(array: NumericArray): Uint8Array {
  return new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
}

/** Wraps a typed array as a tensor of the matching dtype (F32, F64, I32, U32, I16, U16, I8, U8, I64, U64). */
export function tensorFromArray(array: NumericArray, shape: readonly number[]): SafetensorsTensor {
  requireLittleEndian();
  const dtype: SafetensorsDtype =
    array instanceof Float32Array
      ? 'F32'
      : array instanceof Float64Array
        ? 'F64'
        : array instanceof Int32Array
          ? 'I32'
          : array instanceof Uint32Array
            ? 'U32'
            : array instanceof Int16Array
              ? 'I16'
              : array instanceof Uint16Array
                ? 'U16'
                : array instanceof Int8Array
                  ? 'I8'
                  : array instanceof BigInt64Array
                    ? 'I64'
                    : array instanceof BigUint64Array
                      ? 'U64'
                      : 'U8';
  return { dtype, shape: [...shape], data: bytesOf(array) };
}

/** A BOOL tensor from booleans (one byte each, 0 or 1). */
export function tensorFromBooleans(values: readonly boolean[], shape: readonly number[]): SafetensorsTensor {
  return { dtype: 'BOOL', shape: [...shape], data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
}

/**
 * A typed-array view of a tensor's values. F16/BF16/F8 have no JS typed array: they come back as raw Uint16Array /
 * Uint8Array bit patterns. BOOL comes back as Uint8Array of 0/1.
 */
export function tensorToArray(tensor: SafetensorsTensor): NumericArray {
  requireLittleEndian();
  // A misaligned view is copied into a fresh buffer (`new Uint8Array(view)`: a Buffer's slice() would be a view again).
  const data = tensor.data.byteOffset % 8 === 0 ? tensor.data : new Uint8Array(tensor.data);
  const { buffer, byteOffset, byteLength } = data;
  switch (tensor.dtype) {
    case 'F32':
      return new Float32Array(buffer, byteOffset, byteLength / 4);
    case 'F64':
      return new Float64Array(buffer, byteOffset, byteLength / 8);
    case 'I32':
      return new Int32Array(buffer, byteOffset, byteLength / 4);
    case 'U32':
      return new Uint32Array(buffer, byteOffset, byteLength / 4);
    case 'I64':
      return new BigInt64Array(buffer, byteOffset, byteLength / 8);
    case 'U64':
      return new BigUint64Array(buffer, byteOffset, byteLength / 8);
    case 'I16':
      return new Int16Array(buffer, byteOffset, byteLength / 2);
    case 'U16':
    case 'F16':
    case 'BF16':
      return new Uint16Array(buffer, byteOffset, byteLength / 2);
    case 'I8':
      return new Int8Array(buffer, byteOffset, byteLength);
    default:
      return new Uint8Array(buffer, byteOffset, byteLength);
  }
}
