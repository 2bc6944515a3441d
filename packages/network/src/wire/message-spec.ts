import type { Address } from 'viem';
import type { z } from 'zod';

/**
 * One wire message type: its envelope `type`, its size bound, the zod schema that turns a decoded body into a
 * typed value (run once, at the boundary), and the inverse that turns a value into its wire body.
 */
export interface MessageSpec<T> {
  readonly type: string;
  readonly maxBytes: number;
  readonly schema: z.ZodType<T>;
  toWire(value: T): unknown;
}

/** A message that passed every check: size, CBOR, envelope, signature, freshness, replay, body schema. */
export interface VerifiedMessage<T> {
  payload: T;
  /** Ethereum address of the signer. */
  sender: Address;
  seq: number;
  timestampMs: number;
}

/** Defines a message type whose wire body is the value itself (no transform). */
export function identityMessageSpec<T>(type: string, maxBytes: number, schema: z.ZodType<T>): MessageSpec<T> {
  return { type, maxBytes, schema, toWire: (value) => value };
}
