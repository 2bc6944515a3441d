import { AicError } from '../errors/index.ts';
import { dtypeByteSize, isSafetensorsDtype } from './dtype.ts';
import {
  DEFAULT_SAFETENSORS_READ_LIMITS,
  type SafetensorsFile,
  type SafetensorsReadLimits,
  type SafetensorsTensor,
} from './types.ts';

const METADATA_KEY = '__metadata__';

interface HeaderEntry {
  readonly name: string;
  readonly tensor: Omit<SafetensorsTensor, 'data'>;
  readonly begin: number;
  readonly end: number;
}

function fail(code: string, message: string, details: Record<string, unknown> = {}): never {
  throw new AicError(`SAFETENSORS_${code}`, message, { details });
}

function readHeaderLength(bytes: Uint8Array, maxHeaderBytes: number): number {
  if (bytes.length < 8) fail('HEADER_TOO_SMALL', 'a safetensors file starts with an 8-byte header length');
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(maxHeaderBytes)) {
    fail('HEADER_TOO_LARGE', `header of ${length} bytes exceeds the limit of ${maxHeaderBytes}`, {
      headerBytes: length.toString(),
      maxHeaderBytes,
    });
  }
  const n = Number(length);
  if (8 + n > bytes.length) {
    fail('INVALID_HEADER_LENGTH', `header length ${n} runs past the end of the ${bytes.length}-byte file`);
  }
  return n;
}

function parseHeaderJson(bytes: Uint8Array, n: number): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch (cause) {
    throw new AicError('SAFETENSORS_INVALID_HEADER', 'header is not valid UTF-8', { cause });
  }
  if (!text.startsWith('{')) fail('INVALID_HEADER', 'header must be a JSON object starting with "{"');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new AicError('SAFETENSORS_INVALID_HEADER', 'header is not valid JSON', { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    fail('INVALID_HEADER', 'header must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail('INVALID_METADATA', '__metadata__ must be an object of strings');
  }
  const metadata: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail('INVALID_METADATA', `__metadata__.${key} must be a string`, { key });
    if (key === '__proto__') fail('INVALID_METADATA', '__metadata__ may not use the key __proto__');
    metadata[key] = v;
  }
  return metadata;
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function readEntry(name: string, value: unknown, maxRank: number): HeaderEntry {
  const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  const bad = (reason: string): never => fail('INVALID_TENSOR_INFO', `tensor "${name}": ${reason}`, { name, reason });
  if (info === null || typeof info !== 'object' || Array.isArray(info)) return bad('entry must be an object');
  const { dtype, shape, data_offsets: offsets } = info;
  if (!isSafetensorsDtype(dtype)) return bad(`unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || shape.length > maxRank || !shape.every(isIndex)) {
    return bad(`shape must be at most ${maxRank} non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    return bad('data_offsets must be [begin, end]');
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) return bad('data_offsets end before begin');
  const elements = shape.reduce((a: number, d: number) => a * d, 1);
  const expected = elements * dtypeByteSize(dtype);
  if (!Number.isSafeInteger(expected) || expected !== end - begin) {
    return bad(`shape ${JSON.stringify(shape)} of ${dtype} needs ${expected} bytes, offsets give ${end - begin}`);
  }
  return { name, tensor: { dtype, shape: [...shape] }, begin, end };
}

/** Offsets must tile the data section exactly: no gap, no overlap, nothing left over (as the reference checks). */
function checkTiling(entries: HeaderEntry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of sorted) {
    if (entry.begin !== cursor) {
      fail('INVALID_OFFSET', `tensor "${entry.name}" starts at ${entry.begin}, expected ${cursor} (gap or overlap)`, {
        name: entry.name,
      });
    }
    cursor = entry.end;
  }
  if (cursor !== dataLength) {
    fail('INCOMPLETE_BUFFER', `tensors cover ${cursor} bytes but the data section has ${dataLength}`);
  }
}

/**
 * Parses and strictly validates a safetensors file (untrusted input): header length and size limit, UTF-8 JSON
 * object, known dtypes, shapes matching byte counts, offsets that tile the data with no gap or overlap.
 * Tensor `data` are copies, so they are aligned and independent of `bytes`. Throws AicError `SAFETENSORS_*`.
 *
 * @example
 * const { tensors, metadata } = readSafetensors(await readFile('weights.safetensors'));
 */
export function readSafetensors(bytes: Uint8Array, limits: SafetensorsReadLimits = {}): SafetensorsFile {
  const { maxHeaderBytes, maxTensors, maxRank } = { ...DEFAULT_SAFETENSORS_READ_LIMITS, ...limits };
  const n = readHeaderLength(bytes, maxHeaderBytes);
  const header = parseHeaderJson(bytes, n);
  const names = Object.keys(header).filter((k) => k !== METADATA_KEY);
  if (names.length > maxTensors) fail('TOO_MANY_TENSORS', `${names.length} tensors exceed the limit of ${maxTensors}`);
  const entries = names.map((name) => readEntry(name, header[name], maxRank));
  const dataStart = 8 + n;
  checkTiling(entries, bytes.length - dataStart);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of [...entries].sort((a, b) => a.begin - b.begin)) {
    tensors.set(e.name, { ...e.tensor, data: bytes.slice(dataStart + e.begin, dataStart + e.end) });
  }
  return { tensors, metadata: readMetadata(header[METADATA_KEY]) };
}
