/**
 * The libp2p PeerId string of a secp256k1 public key, computed without libp2p (the consensus core stays pure):
 * base58btc(identity multihash of the protobuf PublicKey { Type: Secp256k1, Data: compressed key }), i.e. the
 * `16Uiu2…` strings @aic/network's `peerIdFromPrivateKey(key).toString()` prints (a unit test checks they agree).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { concatBytes } from '@noble/curves/utils.js';

// 0x00 identity multihash, 0x25 = 37 bytes follow; protobuf: field 1 (Type) = 2 (Secp256k1), field 2 (Data), 33 bytes
const PREFIX = Uint8Array.of(0x00, 0x25, 0x08, 0x02, 0x12, 0x21);
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** The PeerId string of a compressed (33-byte) or uncompressed secp256k1 public key. */
export function nodeIdOfPublicKey(publicKey: Uint8Array): string {
  const compressed = publicKey.length === 33 ? publicKey : secp256k1.Point.fromBytes(publicKey).toBytes(true);
  return base58btc(concatBytes(PREFIX, compressed));
}

function base58btc(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  while (value > 0n) {
    out = ALPHABET[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}
