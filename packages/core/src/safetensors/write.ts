import { AicError } from '../errors/index.ts';
import { dtypeByteSize, dtypeRank, isSafetensorsDtype } from './dtype.ts';
import type { SafetensorsTensor } from './types.ts';

function checkTensor(name: string, tensor: SafetensorsTensor): void {
  const bad = (reason: string): never => {
    throw new AicError('SAFETENSORS_INVALID_TENSOR_INFO', `tensor "${name}": ${reason}`, { details: { name, reason } });
  };
  if (name === '__metadata__') bad('the name __metadata__ is reserved');
  if (!isSafetensorsDtype(tensor.dtype)) bad(`unknown dtype ${String(tensor.dtype)}`);
  if (!tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad('shape must be non-negative integers');
  const expected = tensor.shape.reduce((a, d) => a * d, 1) * dtypeByteSize(tensor.dtype);
  if (expected !== tensor.data.length) bad(`shape needs ${expected} bytes, data has ${tensor.data.length}`);
}

/**
 * Serializes tensors into safetensors bytes, byte-identical to the reference writer: tensors ordered by dtype
 * (reference enum order, descending) then name, `__metadata__` first when given, header padded with spaces to a
 * multiple of 8 bytes.
 *
 * @example
 * const bytes = writeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Uint8Array(new Float32Array([1, 2]).buffer) } });
 */
export function writeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensor>> | ReadonlyMap<string, SafetensorsTensor>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const list = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))] as [
    string,
    SafetensorsTensor,
  ][];
  for (const [name, tensor] of list) checkTensor(name, tensor);
  list.sort(([an, a], [bn, b]) => dtypeRank(b.dtype) - dtypeRank(a.dtype) || (an < bn ? -1 : an > bn ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const [name, t] of list) {
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.fill(0x20, 8, 8 + headerLength);
  out.set(json, 8);
  let cursor = 8 + headerLength;
  for (const [, t] of list) {
    out.set(t.data, cursor);
    cursor += t.data.length;
  }
  return out;
}
