import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { PeerId, PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey as libp2pPeerIdFromPrivateKey } from '@libp2p/peer-id';
import { secp256k1 } from '@noble/curves/secp256k1';
import { type Address, bytesToHex, getAddress, type Hex, hexToBytes, keccak256 } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { NetworkError } from './errors.ts';

/**
 * One secp256k1 key is both the member's Ethereum address and its libp2p PeerId (DESIGN.md §1).
 * These helpers derive either from the raw 32-byte key, and the address back from a PeerId.
 */

/** A raw secp256k1 private key: 32 bytes, or a 0x-prefixed 64-digit hex string. */
export type RawPrivateKey = Uint8Array | Hex;

/** Normalises a raw key to 32 bytes, rejecting anything that is not a valid secp256k1 scalar. */
export function rawPrivateKeyToBytes(privateKey: RawPrivateKey): Uint8Array {
  const bytes = typeof privateKey === 'string' ? hexToBytes(privateKey) : privateKey;
  if (bytes.length !== 32 || !secp256k1.utils.isValidPrivateKey(bytes)) {
    throw new NetworkError('NETWORK_INVALID_PRIVATE_KEY', 'expected a valid 32-byte secp256k1 private key');
  }
  return bytes;
}

/** The libp2p private key object for a raw secp256k1 key (what `createLibp2p({ privateKey })` takes). */
export function libp2pPrivateKeyFromRaw(privateKey: RawPrivateKey): PrivateKey {
  return privateKeyFromRaw(rawPrivateKeyToBytes(privateKey));
}

/**
 * The libp2p PeerId (`16Uiu2…`) of a raw secp256k1 private key.
 * @example peerIdFromPrivateKey(key).toString() // '16Uiu2HAm…'
 */
export function peerIdFromPrivateKey(privateKey: RawPrivateKey): PeerId {
  return libp2pPeerIdFromPrivateKey(libp2pPrivateKeyFromRaw(privateKey));
}

/** The checksummed Ethereum address of a raw secp256k1 private key (the same as viem's `privateKeyToAccount`). */
export function addressFromPrivateKey(privateKey: RawPrivateKey): Address {
  return privateKeyToAccount(bytesToHex(rawPrivateKeyToBytes(privateKey))).address;
}

/** The Ethereum address of an uncompressed (65-byte) or compressed (33-byte) secp256k1 public key. */
export function addressFromPublicKey(publicKey: Uint8Array): Address {
  const uncompressed = secp256k1.ProjectivePoint.fromHex(publicKey).toRawBytes(false);
  return getAddress(bytesToHex(keccak256(uncompressed.subarray(1), 'bytes').subarray(12)));
}

/**
 * Recovers the Ethereum address of a secp256k1 PeerId from the public key embedded in it.
 * Throws NETWORK_NOT_SECP256K1_PEER for Ed25519/RSA peers, which have no Ethereum address.
 */
export function addressFromPeerId(peerId: PeerId): Address {
  const key = peerId.toString();
  const cached = addressOfPeerId.get(key);
  if (cached !== undefined) return cached;
  if (peerId.type !== 'secp256k1') {
    throw new NetworkError('NETWORK_NOT_SECP256K1_PEER', 'peer has no secp256k1 key', {
      details: { peerId: key, type: peerId.type },
    });
  }
  return rememberAddress(key, addressFromPublicKey(peerId.publicKey.raw));
}

/** The address of a PeerId string seen before (by {@link addressFromPeerId}), without parsing it again. */
export function knownAddressOfPeerId(peerId: string): Address | undefined {
  return addressOfPeerId.get(peerId);
}

// Deriving an address decompresses a curve point and hashes twice (~0.2 ms); peers ask for the same few often.
const addressOfPeerId = new Map<string, Address>();
const ADDRESS_CACHE_ENTRIES = 4096;

function rememberAddress(peerId: string, address: Address): Address {
  if (addressOfPeerId.size >= ADDRESS_CACHE_ENTRIES) addressOfPeerId.delete(addressOfPeerId.keys().next().value ?? '');
  addressOfPeerId.set(peerId, address);
  return address;
}
