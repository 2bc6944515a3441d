import { AicError } from '@aic/core';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { base58btc } from 'multiformats/bases/base58';

// A libp2p secp256k1 PeerId is an identity multihash (0x00, length 0x25) of the protobuf PublicKey
// { Type = 2 (Secp256k1): 08 02, Data = 33-byte compressed key: 12 21 … }, written in base58btc ("16Uiu2…").
const PREFIX = Uint8Array.of(0x00, 0x25, 0x08, 0x02, 0x12, 0x21);

/**
 * The compressed secp256k1 public key inside a libp2p PeerId string (the member's one identity: its libp2p key is
 * its Ethereum key). Throws DATA_PEER_ID_UNSUPPORTED for other key types or malformed ids.
 *
 * @example
 * const workerKey = publicKeyFromPeerId('16Uiu2HAm…');
 */
export function publicKeyFromPeerId(peerId: string): Uint8Array {
  const fail = (cause?: unknown): never => {
    throw new AicError('DATA_PEER_ID_UNSUPPORTED', 'not a secp256k1 libp2p PeerId', { cause, details: { peerId } });
  };
  let bytes: Uint8Array;
  try {
    bytes = base58btc.baseDecode(peerId);
  } catch (cause) {
    return fail(cause);
  }
  if (bytes.length !== PREFIX.length + 33 || PREFIX.some((b, i) => bytes[i] !== b)) fail();
  const key = bytes.slice(PREFIX.length);
  if (!secp256k1.utils.isValidPublicKey(key, true)) fail();
  return key;
}

/** The PeerId string of a compressed secp256k1 public key (the inverse of publicKeyFromPeerId). */
export function peerIdFromPublicKey(publicKey: Uint8Array): string {
  const key = secp256k1.Point.fromBytes(publicKey).toBytes(true);
  const bytes = new Uint8Array(PREFIX.length + 33);
  bytes.set(PREFIX);
  bytes.set(key, PREFIX.length);
  return base58btc.baseEncode(bytes);
}
