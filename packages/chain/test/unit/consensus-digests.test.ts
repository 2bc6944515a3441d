import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  bytesToHex,
  concat,
  encodeAbiParameters,
  hashTypedData,
  keccak256,
  recoverAddress,
  stringToHex,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import {
  ATTESTATION_TYPE,
  attestationDigest,
  POV_DOMAIN_NAME,
  POV_DOMAIN_VERSION,
  POV_TYPES,
  PROPOSAL_TYPE,
  proposalDigest,
  recoverSigner,
  signDigest,
} from '../../src/consensus/digests.ts';

const chainId = 7777n;
const blockHash = keccak_256(Uint8Array.of(7));

// What the Solidity verifier computes, written out by hand (no EIP-712 library): the digests must equal it.
function solidityDigest(structHash: `0x${string}`): `0x${string}` {
  const domainTypeHash = keccak256(stringToHex('EIP712Domain(string name,string version,uint256 chainId)'));
  const domainSeparator = keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }],
      [domainTypeHash, keccak256(stringToHex(POV_DOMAIN_NAME)), keccak256(stringToHex(POV_DOMAIN_VERSION)), chainId],
    ),
  );
  return keccak256(concat(['0x1901', domainSeparator, structHash]));
}

describe('PoV digests (the ValidatorStakes contract recomputes these)', () => {
  it('Proposal and Attestation digests are keccak256(0x1901 ‖ domainSeparator ‖ structHash)', () => {
    const proposal = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'uint64' }, { type: 'bytes32' }],
        [keccak256(stringToHex(PROPOSAL_TYPE)), 9n, bytesToHex(blockHash)],
      ),
    );
    expect(proposalDigest(chainId, 9n, blockHash)).toBe(solidityDigest(proposal));
    for (const valid of [true, false]) {
      const attestation = keccak256(
        encodeAbiParameters(
          [{ type: 'bytes32' }, { type: 'uint64' }, { type: 'bytes32' }, { type: 'bool' }],
          [keccak256(stringToHex(ATTESTATION_TYPE)), 9n, bytesToHex(blockHash), valid],
        ),
      );
      expect(attestationDigest(chainId, 9n, blockHash, valid)).toBe(solidityDigest(attestation));
    }
    expect(proposalDigest(chainId + 1n, 9n, blockHash)).not.toBe(proposalDigest(chainId, 9n, blockHash));
  });

  it('equal viem’s hashTypedData over POV_TYPES (what a wallet would sign)', () => {
    const domain = { name: POV_DOMAIN_NAME, version: POV_DOMAIN_VERSION, chainId };
    for (const slot of [0n, 1n, (1n << 64n) - 1n]) {
      const message = { slot, blockHash: bytesToHex(blockHash) };
      expect(proposalDigest(chainId, slot, blockHash)).toBe(
        hashTypedData({ domain, types: POV_TYPES, primaryType: 'Proposal', message }),
      );
      expect(attestationDigest(chainId, slot, blockHash, false)).toBe(
        hashTypedData({ domain, types: POV_TYPES, primaryType: 'Attestation', message: { ...message, valid: false } }),
      );
    }
  });

  it('signatures are r ‖ s ‖ v (27/28), equal to viem’s account.sign, and recover like ecrecover', async () => {
    const key = keccak_256(Uint8Array.of(1));
    const account = privateKeyToAccount(bytesToHex(key));
    const digest = proposalDigest(chainId, 9n, blockHash);
    const signature = signDigest(key, digest);
    expect(bytesToHex(signature)).toBe(await account.sign({ hash: digest }));
    expect([27, 28]).toContain(signature[64]);
    expect(recoverSigner(digest, signature).address).toBe(account.address);
    expect(await recoverAddress({ hash: digest, signature: toHex(signature) })).toBe(account.address);
  });

  it('rejects high-s, wrong v and short signatures (OpenZeppelin ECDSA would too)', () => {
    const key = keccak_256(Uint8Array.of(2));
    const digest = attestationDigest(chainId, 1n, blockHash, true);
    const signature = signDigest(key, digest);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(bytesToHex(signature.subarray(32, 64)));
    const highS = signature.slice();
    highS.set(Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'), 32);
    highS[64] = signature[64] === 27 ? 28 : 27;
    for (const bad of [highS, signature.subarray(0, 64), Uint8Array.of(...signature.subarray(0, 64), 29)]) {
      expect(() => recoverSigner(digest, bad)).toThrow(expect.objectContaining({ code: 'CHAIN_BAD_SIGNATURE' }));
    }
    expect(() => proposalDigest(chainId, -1n, blockHash)).toThrow(
      expect.objectContaining({ code: 'CHAIN_CONSENSUS_INPUT' }),
    );
  });
});
