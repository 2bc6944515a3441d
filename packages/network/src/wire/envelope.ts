import type { Address } from 'viem';
import { z } from 'zod';
import { NetworkError } from '../errors.ts';
import { WIRE_LIMITS } from '../limits.ts';
import { cborDecode, cborEncode } from './cbor.ts';
import {
  addressBytesToHex,
  envelopeDigest,
  SignatureVerifier,
  type UnsignedEnvelopeFields,
  type WireSigner,
} from './signature.ts';

/**
 * The signed envelope every AIC wire message travels in (gossip and request/response alike):
 *
 *   { v: 1, type, from: 20 address bytes, seq, ts: unix ms, body, sig: 65 bytes }
 *
 * `sig` is the sender's secp256k1 signature over keccak256(domain ‖ 0 ‖ CBOR of every other field).
 */
const envelopeSchema = z.strictObject({
  v: z.literal(1),
  type: z.string().min(1).max(WIRE_LIMITS.typeChars),
  from: z.instanceof(Uint8Array).refine((b) => b.length === 20, 'from must be 20 bytes'),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ts: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  body: z.unknown(),
  sig: z.instanceof(Uint8Array).refine((b) => b.length === 65, 'sig must be 65 bytes'),
});

/** An envelope that was decoded and whose signature checks out, with its body still unvalidated. */
export interface OpenedEnvelope {
  type: string;
  sender: Address;
  seq: number;
  timestampMs: number;
  body: unknown;
}

/** Seals a body: signs it and returns the wire bytes. Throws NETWORK_MESSAGE_TOO_LARGE above `maxBytes`. */
export function sealEnvelope(
  signer: WireSigner,
  fields: { type: string; seq: number; timestampMs: number; body: unknown },
  maxBytes: number,
): Uint8Array {
  const unsigned: UnsignedEnvelopeFields = {
    v: 1,
    type: fields.type,
    from: signer.addressBytes,
    seq: fields.seq,
    ts: fields.timestampMs,
    body: fields.body,
  };
  const bytes = cborEncode({ ...unsigned, sig: signer.sign(envelopeDigest(unsigned)) });
  if (bytes.length > maxBytes) {
    throw new NetworkError('NETWORK_MESSAGE_TOO_LARGE', `message of ${bytes.length} bytes exceeds ${maxBytes}`, {
      details: { type: fields.type, bytes: bytes.length, maxBytes },
    });
  }
  return bytes;
}

/**
 * Decodes wire bytes into an envelope of the expected type and checks its signature. Does not check freshness
 * (see ReplayGuard) nor the body (see the message schemas). Throws NetworkError:
 * NETWORK_MESSAGE_TOO_LARGE, NETWORK_MESSAGE_MALFORMED or NETWORK_BAD_SIGNATURE.
 */
export function openEnvelope(
  bytes: Uint8Array,
  expectedType: string,
  maxBytes: number,
  verifier: SignatureVerifier = new SignatureVerifier(1),
): OpenedEnvelope {
  if (bytes.length > maxBytes) {
    throw new NetworkError('NETWORK_MESSAGE_TOO_LARGE', `message of ${bytes.length} bytes exceeds ${maxBytes}`, {
      details: { type: expectedType, bytes: bytes.length, maxBytes },
    });
  }
  const parsed = envelopeSchema.safeParse(decodeOrUndefined(bytes));
  if (!parsed.success || parsed.data.type !== expectedType) {
    throw new NetworkError('NETWORK_MESSAGE_MALFORMED', `not a valid ${expectedType} envelope`, {
      details: { type: expectedType },
    });
  }
  const { sig, ...unsigned } = parsed.data;
  const sender = addressBytesToHex(unsigned.from);
  if (!verifier.verify(envelopeDigest(unsigned as UnsignedEnvelopeFields), sig, sender)) {
    throw new NetworkError('NETWORK_BAD_SIGNATURE', 'envelope signature does not match its sender', {
      details: { type: expectedType, sender },
    });
  }
  return { type: unsigned.type, sender, seq: unsigned.seq, timestampMs: unsigned.ts, body: unsigned.body };
}

function decodeOrUndefined(bytes: Uint8Array): unknown {
  try {
    return cborDecode(bytes);
  } catch {
    return undefined;
  }
}
