import type { SafetensorsDtype } from './dtype.ts';

/** One tensor: its dtype, its shape and its raw little-endian bytes (row-major). */
export interface SafetensorsTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/** A whole file: tensors by name (in file order) and the free-form string metadata. */
export interface SafetensorsFile {
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Limits applied to untrusted files. */
export interface SafetensorsReadLimits {
  /** Largest JSON header accepted, in bytes (the reference implementation allows 100,000,000). */
  readonly maxHeaderBytes?: number;
  /** Most tensors accepted in one file. */
  readonly maxTensors?: number;
  /** Most dimensions per tensor. */
  readonly maxRank?: number;
}

export const DEFAULT_SAFETENSORS_READ_LIMITS: Required<SafetensorsReadLimits> = {
  maxHeaderBytes: 16 * 1024 * 1024,
  maxTensors: 65_536,
  maxRank: 16,
};
