import { AicError } from '@aic/core';

/**
 * Frames of the MSMG all-reduce (`/aic/msmg/1.0.0`): [u32 step][u8 phase][u32 offset][float32 LE × n], each one
 * length-prefixed on the stream. `offset` is where the floats sit in the step's gradient vector.
 */
export const Phase = { reduce: 0, scatter: 1, gather: 2 } as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

export interface Frame {
  readonly step: number;
  readonly phase: Phase;
  readonly offset: number;
  readonly floats: Float32Array;
}

export const FRAME_HEADER_BYTES = 9;

export function encodeFrame(frame: Frame): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + frame.floats.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, frame.step, false);
  view.setUint8(4, frame.phase);
  view.setUint32(5, frame.offset, false);
  // float32 little-endian on every host AIC runs on (safetensors refuses big-endian hosts too)
  out.set(new Uint8Array(frame.floats.buffer, frame.floats.byteOffset, frame.floats.byteLength), FRAME_HEADER_BYTES);
  return out;
}

/** Parses a frame from a peer (untrusted). Throws MSMG_PROTOCOL_ERROR. */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length < FRAME_HEADER_BYTES || (bytes.length - FRAME_HEADER_BYTES) % 4 !== 0) {
    throw new AicError('MSMG_PROTOCOL_ERROR', `an all-reduce frame of ${bytes.length} bytes is malformed`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const phase = view.getUint8(4);
  if (phase > 2) throw new AicError('MSMG_PROTOCOL_ERROR', `unknown all-reduce phase ${phase}`);
  // copy (a Buffer's slice would be a view into its pool): the floats must be 4-byte aligned and outlive the stream
  const copy = new Uint8Array(bytes.length - FRAME_HEADER_BYTES);
  copy.set(bytes.subarray(FRAME_HEADER_BYTES));
  const floats = new Float32Array(copy.buffer);
  return { step: view.getUint32(0, false), phase: phase as Phase, offset: view.getUint32(5, false), floats };
}
