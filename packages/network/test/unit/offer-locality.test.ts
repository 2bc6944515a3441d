/** The offer's locality fields (issue 12): cached dataset roots and the Vivaldi coordinate travel signed and checked. */
import { describe, expect, it } from 'vitest';
import { MAX_CACHED_DATASET_ROOTS, providerOfferSpec } from '../../src/wire/messages/provider-offer.ts';
import { createWireSigner } from '../../src/wire/signature.ts';
import { WireCodec } from '../../src/wire/wire-codec.ts';
import { sampleOffer } from '../helpers/fixtures.ts';

const now = () => 1_800_000_000_000;
const alice = new WireCodec({ signer: createWireSigner(`0x${'11'.repeat(32)}`), now });
const bob = new WireCodec({ signer: createWireSigner(`0x${'22'.repeat(32)}`), now });
const root = (byte: string) => `0x${byte.repeat(32)}` as `0x${string}`;

describe('offer locality fields', () => {
  it('round-trips cached dataset roots (lower-cased) and the coordinate', () => {
    const offer = sampleOffer('o', {
      cachedDatasetRoots: [root('AB'), root('01')],
      coordinate: { vec: [1.5, -2, 3], height: 0.25, error: 0.4 },
    });
    const opened = bob.open(providerOfferSpec, alice.seal(providerOfferSpec, offer));
    expect(opened.payload.cachedDatasetRoots).toEqual([root('ab'), root('01')]);
    expect(opened.payload.coordinate).toEqual({ vec: [1.5, -2, 3], height: 0.25, error: 0.4 });
  });

  it('leaves the field out when absent (offers of older nodes stay valid)', () => {
    const opened = bob.open(providerOfferSpec, alice.seal(providerOfferSpec, sampleOffer('o')));
    expect(opened.payload.cachedDatasetRoots).toBeUndefined();
  });

  it('refuses a malformed root or too many roots with a typed error', () => {
    const bad = sampleOffer('o', { cachedDatasetRoots: ['0x1234' as `0x${string}`] });
    expect(() => alice.seal(providerOfferSpec, bad)).toThrow(expect.objectContaining({ code: expect.any(String) }));
    const many = Array.from({ length: MAX_CACHED_DATASET_ROOTS + 1 }, (_, i) => root(i.toString(16).padStart(2, '0')));
    expect(() => alice.seal(providerOfferSpec, sampleOffer('o', { cachedDatasetRoots: many }))).toThrow(
      expect.objectContaining({ code: expect.any(String) }),
    );
  });
});
