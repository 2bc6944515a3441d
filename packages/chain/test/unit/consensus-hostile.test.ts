import { isAicError } from '@aic/core';
import { minimalPreset } from '@aic/core/params';
import { addressFromPrivateKey, peerIdFromPrivateKey } from '@aic/network';
import { keccak_256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAttestation, encodeAttestation, signAttestation } from '../../src/consensus/attestation.ts';
import { genesisEpochState } from '../../src/consensus/epoch.ts';
import { consensusParams, THRESHOLD_ONE } from '../../src/consensus/params.ts';
import { decodeSeal, encodeSeal, type PovSeal, ticketCommitment } from '../../src/consensus/seal.ts';
import { checkSeal, drawTicket, signSeal } from '../../src/consensus/sealing.ts';
import { workWeights } from '../../src/consensus/work.ts';

const chainId = 7777n;
const params = consensusParams(minimalPreset.pov, chainId);
const key = keccak_256(Uint8Array.of(5));
const account = addressFromPrivateKey(key);
const weights = workWeights(0n, [{ address: account, genesis: true }], [], params);
const context = {
  epoch: 0n,
  randomness: genesisEpochState(new Uint8Array(32), params).randomness,
  threshold: 2n * THRESHOLD_ONE,
  weights,
};
const ticket = drawTicket({
  secretKey: key,
  nodeId: peerIdFromPrivateKey(key).toString(),
  slot: 1n,
  context,
  params,
}) as PovSeal;
const extraData = ticketCommitment(ticket);
const hash = keccak_256(extraData);
const sealBytes = encodeSeal(signSeal(ticket, hash, key, chainId));

/** Runs `fn`; anything it throws must be an AicError with a stable code (never a bare Error or TypeError). */
function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(isAicError(error), String(error)).toBe(true);
  }
}

describe('hostile seals and attestations', () => {
  it('the honest seal checks (the baseline the mutations start from)', () => {
    expect(checkSeal(decodeSeal(sealBytes), { hash, extraData }, { ...context, chainId, params }).proposer).toBe(
      account,
    );
  });

  it('property: random bytes and mutated seals raise only typed errors, and no mutation passes the check', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc
            .tuple(fc.integer({ min: 0, max: sealBytes.length - 1 }), fc.integer({ min: 1, max: 255 }))
            .map(([at, xor]) => {
              const mutated = sealBytes.slice();
              mutated[at] = (mutated[at] ?? 0) ^ xor;
              return mutated;
            }),
        ),
        (bytes) => {
          onlyTypedErrors(() => {
            const seal = decodeSeal(bytes);
            checkSeal(seal, { hash, extraData }, { ...context, chainId, params });
            // a mutation that still checks must have decoded to the very same seal
            expect(encodeSeal(seal)).toEqual(sealBytes);
          });
        },
      ),
      { numRuns: 60, seed: 17 },
    );
  });

  it('property: attestation decoding raises only typed errors', () => {
    const good = encodeAttestation(
      signAttestation({ secretKey: key, validator: account, chainId, slot: 3n, blockHash: hash, valid: true }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: good.length - 1 }), (random, at) => {
        onlyTypedErrors(() => decodeAttestation(random));
        const mutated = good.slice();
        mutated[at] = (mutated[at] ?? 0) ^ 0x5a;
        onlyTypedErrors(() => decodeAttestation(mutated));
      }),
      { numRuns: 200, seed: 17 },
    );
  });
});
