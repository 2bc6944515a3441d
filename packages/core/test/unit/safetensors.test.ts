import { describe, expect, it } from 'vitest';
import {
  readSafetensors,
  type SafetensorsTensor,
  tensorFromArray,
  tensorFromBooleans,
  tensorToArray,
  writeSafetensors,
} from '../../src/safetensors/index.ts';

// Byte fixtures copied from the reference implementation's tests
// (huggingface/safetensors bindings/python/tests/test_simple.py).
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const zeros = (n: number) => '\x00'.repeat(n);
const I32_HEADER = '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
const REF_SERIALIZED = latin1(`@${zeros(7)}${I32_HEADER}    ${zeros(12)}\x01${zeros(3)}`);
const REF_UNPADDED = latin1(`<${zeros(7)}${I32_HEADER}${zeros(16)}`);
const META_HEADER = '{"__metadata__":{"framework":"pt"},"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
const REF_METADATA_READ = latin1(`f${zeros(7)}${META_HEADER}       ${zeros(16)}`);
const REF_METADATA_WRITTEN = latin1(`\`${zeros(7)}${META_HEADER} ${zeros(16)}`);
const REF_ALIGNED = latin1(
  `\x80${zeros(7)}{"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]},"test2":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]}}      ${zeros(24)}`,
);

const valuesOf = (t: SafetensorsTensor) => Array.from(tensorToArray(t) as ArrayLike<number | bigint>);
const i32 = (values: number[], shape: number[]) => tensorFromArray(new Int32Array(values), shape);

/** Builds a file with an arbitrary header object (for hostile cases). */
function rawFile(header: unknown, dataLength: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe('safetensors writer matches the reference implementation byte for byte', () => {
  it('writes a padded I32 tensor', () => {
    expect(writeSafetensors({ test: i32([0, 0, 0, 1], [2, 2]) })).toEqual(REF_SERIALIZED);
  });

  it('writes __metadata__ first', () => {
    expect(writeSafetensors({ test1: i32([0, 0, 0, 0], [2, 2]) }, { framework: 'pt' })).toEqual(REF_METADATA_WRITTEN);
  });

  it('orders by dtype then name regardless of insertion order', () => {
    const f16 = { dtype: 'F16' as const, shape: [2, 2], data: new Uint8Array(8) };
    const a = writeSafetensors({ test1: i32([0, 0, 0, 0], [2, 2]), test2: f16 });
    const b = writeSafetensors({ test2: f16, test1: i32([0, 0, 0, 0], [2, 2]) });
    expect(a).toEqual(REF_ALIGNED);
    expect(b).toEqual(REF_ALIGNED);
  });
});

describe('safetensors reader', () => {
  it('reads the reference files, with and without padding and metadata', () => {
    const plain = readSafetensors(REF_UNPADDED);
    expect([...plain.tensors.keys()]).toEqual(['test']);
    expect(valuesOf(plain.tensors.get('test')!)).toEqual([0, 0, 0, 0]);
    expect(plain.tensors.get('test')!.shape).toEqual([2, 2]);
    expect(valuesOf(readSafetensors(REF_SERIALIZED).tensors.get('test')!)).toEqual([0, 0, 0, 1]);
    expect(readSafetensors(REF_METADATA_READ).metadata).toEqual({ framework: 'pt' });
  });

  it('round-trips F32, F64, I32, I64, U8, BOOL, F16 and BF16 bytes', () => {
    const f16 = { dtype: 'F16' as const, shape: [3], data: new Uint8Array([0, 60, 0, 64, 0, 66]) };
    const bf16 = { dtype: 'BF16' as const, shape: [1], data: new Uint8Array([128, 63]) };
    const tensors = {
      f32: tensorFromArray(new Float32Array([1.5, -2, Number.NaN]), [3]),
      f64: tensorFromArray(new Float64Array([Math.PI]), [1, 1]),
      i32: i32([-7, 8], [2]),
      i64: tensorFromArray(new BigInt64Array([-(2n ** 62n)]), [1]),
      u8: tensorFromArray(new Uint8Array([255, 0]), [2]),
      ok: tensorFromBooleans([true, false, true], [3]),
      scalar: tensorFromArray(new Float32Array([4]), []),
      empty: tensorFromArray(new Float32Array([]), [0, 5]),
      f16,
      bf16,
    };
    const back = readSafetensors(writeSafetensors(tensors, { note: 'x' }));
    expect(back.metadata).toEqual({ note: 'x' });
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors.get(name)?.dtype, name).toBe(t.dtype);
      expect(back.tensors.get(name)?.shape, name).toEqual(t.shape);
      expect(back.tensors.get(name)?.data, name).toEqual(t.data);
    }
    expect(valuesOf(back.tensors.get('i64')!)).toEqual([-(2n ** 62n)]);
    expect(valuesOf(back.tensors.get('f16')!)).toEqual([0x3c00, 0x4000, 0x4200]);
  });
});

describe('safetensors reader refuses hostile files with typed errors', () => {
  const code = (c: string) => expect.objectContaining({ code: `SAFETENSORS_${c}` });
  const ok = { dtype: 'U8', shape: [4], data_offsets: [0, 4] };

  it('reads F32 values from a Buffer at an odd offset (a socket read), copying the misaligned data', () => {
    const file = writeSafetensors({
      a: tensorFromArray(Uint8Array.of(1, 2, 3), [3]),
      w: tensorFromArray(Float32Array.of(1.5, -2, 3.25), [3]),
    });
    const pooled = Buffer.alloc(file.length + 3);
    pooled.set(file, 3);
    const { tensors } = readSafetensors(pooled.subarray(3));
    expect([...tensorToArray(tensors.get('w')!)]).toEqual([1.5, -2, 3.25]);
  });

  it('refuses truncated and oversized headers', () => {
    expect(() => readSafetensors(new Uint8Array(7))).toThrow(code('HEADER_TOO_SMALL'));
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(() => readSafetensors(huge)).toThrow(code('HEADER_TOO_LARGE'));
    expect(() => readSafetensors(rawFile({ a: ok }, 4), { maxHeaderBytes: 10 })).toThrow(code('HEADER_TOO_LARGE'));
    const past = rawFile({ a: ok }, 4);
    new DataView(past.buffer).setBigUint64(0, 1000n, true);
    expect(() => readSafetensors(past)).toThrow(code('INVALID_HEADER_LENGTH'));
  });

  it('refuses headers that are not a UTF-8 JSON object', () => {
    const notJson = latin1(`\x04${zeros(7)}{abc`);
    expect(() => readSafetensors(notJson)).toThrow(code('INVALID_HEADER'));
    const notUtf8 = latin1(`\x02${zeros(7)}{\xff`);
    expect(() => readSafetensors(notUtf8)).toThrow(code('INVALID_HEADER'));
    expect(() => readSafetensors(rawFile([1, 2], 0))).toThrow(code('INVALID_HEADER'));
  });

  it('refuses bad tensor entries: unknown dtype, bad shape, size mismatch, bad offsets', () => {
    const cases: unknown[] = [
      { dtype: 'F128', shape: [1], data_offsets: [0, 4] },
      { dtype: 'U8', shape: [-4], data_offsets: [0, 4] },
      { dtype: 'U8', shape: [1.5], data_offsets: [0, 4] },
      { dtype: 'U8', shape: [5], data_offsets: [0, 4] },
      { dtype: 'U8', shape: [4], data_offsets: [4, 0] },
      { dtype: 'U8', shape: [4], data_offsets: [0] },
      { dtype: 'F32', shape: [2 ** 52, 2 ** 10], data_offsets: [0, 4] },
      'not an object',
    ];
    for (const entry of cases) {
      expect(() => readSafetensors(rawFile({ a: entry }, 4)), JSON.stringify(entry)).toThrow(
        code('INVALID_TENSOR_INFO'),
      );
    }
  });

  it('refuses overlapping tensors, gaps and trailing bytes', () => {
    const overlap = { a: ok, b: { dtype: 'U8', shape: [4], data_offsets: [2, 6] } };
    expect(() => readSafetensors(rawFile(overlap, 6))).toThrow(code('INVALID_OFFSET'));
    const gap = { a: { dtype: 'U8', shape: [2], data_offsets: [2, 4] } };
    expect(() => readSafetensors(rawFile(gap, 4))).toThrow(code('INVALID_OFFSET'));
    expect(() => readSafetensors(rawFile({ a: ok }, 5))).toThrow(code('INCOMPLETE_BUFFER'));
    expect(() => readSafetensors(rawFile({ a: ok }, 3))).toThrow(code('INCOMPLETE_BUFFER'));
  });

  it('refuses non-string metadata and too many tensors', () => {
    expect(() => readSafetensors(rawFile({ __metadata__: { n: 1 }, a: ok }, 4))).toThrow(code('INVALID_METADATA'));
    const proto = JSON.parse(
      '{"__metadata__": {"__proto__": "x"}, "a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]}}',
    );
    expect(() => readSafetensors(rawFile(proto, 4))).toThrow(code('INVALID_METADATA'));
    const many = { a: ok, b: { dtype: 'U8', shape: [0], data_offsets: [4, 4] } };
    expect(() => readSafetensors(rawFile(many, 4), { maxTensors: 1 })).toThrow(code('TOO_MANY_TENSORS'));
  });

  it('refuses to write inconsistent tensors', () => {
    const bad = { dtype: 'F32' as const, shape: [3], data: new Uint8Array(8) };
    expect(() => writeSafetensors({ bad })).toThrow(code('INVALID_TENSOR_INFO'));
  });
});
