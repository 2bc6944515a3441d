import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey as libp2pPeerId } from '@libp2p/peer-id';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { addressFromPeerId, addressFromPrivateKey, peerIdFromPrivateKey } from '../../src/index.ts';

// Hardhat's well-known test account #0: a public key, never a secret.
const HARDHAT_KEY_0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const HARDHAT_ADDRESS_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

describe('identity: one secp256k1 key, one PeerId, one Ethereum address', () => {
  it('derives the same address as viem from the raw key', () => {
    expect(addressFromPrivateKey(HARDHAT_KEY_0)).toBe(HARDHAT_ADDRESS_0);
    expect(addressFromPrivateKey(HARDHAT_KEY_0)).toBe(privateKeyToAccount(HARDHAT_KEY_0).address);
  });

  it('derives a secp256k1 PeerId (16Uiu2…) whose embedded key recovers the same address', () => {
    const peerId = peerIdFromPrivateKey(HARDHAT_KEY_0);
    expect(peerId.type).toBe('secp256k1');
    expect(peerId.toString()).toMatch(/^16Uiu2/);
    expect(addressFromPeerId(peerId)).toBe(HARDHAT_ADDRESS_0);
  });

  it('accepts the key as bytes as well as hex', () => {
    const bytes = Uint8Array.from(Buffer.from(HARDHAT_KEY_0.slice(2), 'hex'));
    expect(peerIdFromPrivateKey(bytes).toString()).toBe(peerIdFromPrivateKey(HARDHAT_KEY_0).toString());
  });

  it('refuses keys that are not valid secp256k1 scalars', () => {
    expect(() => peerIdFromPrivateKey(new Uint8Array(32))).toThrow(
      expect.objectContaining({ code: 'NETWORK_INVALID_PRIVATE_KEY' }),
    );
    expect(() => addressFromPrivateKey(new Uint8Array(31).fill(1))).toThrow(
      expect.objectContaining({ code: 'NETWORK_INVALID_PRIVATE_KEY' }),
    );
  });

  it('has no address for an Ed25519 peer', async () => {
    const ed = libp2pPeerId(await generateKeyPair('Ed25519'));
    expect(() => addressFromPeerId(ed)).toThrow(expect.objectContaining({ code: 'NETWORK_NOT_SECP256K1_PEER' }));
  });
});
