import { describe, expect, it } from 'vitest';
import { cborDecode, cborEncode } from '../../src/wire/cbor.ts';
import { sealEnvelope } from '../../src/wire/envelope.ts';
import { jobAnnouncementSpec } from '../../src/wire/messages/job-announcement.ts';
import { providerOfferSpec } from '../../src/wire/messages/provider-offer.ts';
import { createWireSigner, envelopeDigest, recoverSigner } from '../../src/wire/signature.ts';
import { WireCodec } from '../../src/wire/wire-codec.ts';
import { sampleJobAnnouncement, sampleOffer } from '../helpers/fixtures.ts';

const KEY_A = `0x${'11'.repeat(32)}` as const;
const KEY_B = `0x${'22'.repeat(32)}` as const;
const T0 = 1_800_000_000_000;

function codecs(nowMs = T0) {
  let now = nowMs;
  const clock = { set: (ms: number) => (now = ms), now: () => now };
  return {
    clock,
    alice: new WireCodec({ signer: createWireSigner(KEY_A), now: clock.now }),
    bob: new WireCodec({ signer: createWireSigner(KEY_B), now: clock.now }),
  };
}

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? 'untyped';
  }
};

function reencode(bytes: Uint8Array, change: (envelope: Record<string, unknown>) => void): Uint8Array {
  const envelope = cborDecode(bytes) as Record<string, unknown>;
  change(envelope);
  return cborEncode(envelope);
}

describe('wire: signed CBOR envelope', () => {
  it('round-trips an offer into the same typed value, signed by its sender', () => {
    const { alice, bob } = codecs();
    const offer = sampleOffer();
    const bytes = alice.seal(providerOfferSpec, offer);
    const opened = bob.open(providerOfferSpec, bytes);
    expect(opened.payload).toEqual(offer);
    expect(typeof opened.payload.priceWeiPerHour).toBe('bigint');
    expect(opened.sender).toBe(alice.address);
    expect(opened.timestampMs).toBe(T0);
  });

  it('encodes deterministically: the same fields give the same digest whatever the key order', () => {
    const fields = { v: 1 as const, type: 't', from: new Uint8Array(20), seq: 1, ts: 2, body: { b: 1, a: 2 } };
    const reordered = { body: { a: 2, b: 1 }, ts: 2, seq: 1, from: new Uint8Array(20), type: 't', v: 1 as const };
    expect(envelopeDigest(fields)).toEqual(envelopeDigest(reordered));
  });

  it('gives each message a fresh, increasing sequence number', () => {
    const { alice, bob } = codecs();
    const first = bob.open(providerOfferSpec, alice.seal(providerOfferSpec, sampleOffer('a')));
    const second = bob.open(providerOfferSpec, alice.seal(providerOfferSpec, sampleOffer('a')));
    expect(second.seq).toBeGreaterThan(first.seq);
  });

  it('rejects a message whose body was altered after signing', () => {
    const { alice, bob } = codecs();
    const bytes = reencode(alice.seal(providerOfferSpec, sampleOffer()), (e) => {
      (e.body as { priceWeiPerHour: string }).priceWeiPerHour = '1';
    });
    expect(code(() => bob.open(providerOfferSpec, bytes))).toBe('NETWORK_BAD_SIGNATURE');
  });

  it('rejects a message signed by one key that claims another sender', () => {
    const { alice, bob } = codecs();
    const forged = reencode(bob.seal(providerOfferSpec, sampleOffer()), (e) => {
      e.from = createWireSigner(KEY_A).addressBytes;
    });
    expect(code(() => alice.open(providerOfferSpec, forged))).toBe('NETWORK_BAD_SIGNATURE');
  });

  it('rejects a malleated (high-s) signature', () => {
    const signer = createWireSigner(KEY_A);
    const digest = new Uint8Array(32).fill(7);
    const sig = signer.sign(digest);
    expect(recoverSigner(digest, sig)).toBe(signer.address);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${Buffer.from(sig.subarray(32, 64)).toString('hex')}`);
    const highS = Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex');
    const malleated = Uint8Array.from([...sig.subarray(0, 32), ...highS, sig[64]! ^ 1]);
    expect(recoverSigner(digest, malleated)).toBeUndefined();
  });

  it('rejects garbage, truncated CBOR, extra fields and wrong-topic messages as malformed', () => {
    const { alice, bob } = codecs();
    const good = alice.seal(providerOfferSpec, sampleOffer());
    expect(code(() => bob.open(providerOfferSpec, new Uint8Array([0xff, 0x00, 0x13])))).toBe(
      'NETWORK_MESSAGE_MALFORMED',
    );
    expect(code(() => bob.open(providerOfferSpec, good.subarray(0, good.length - 3)))).toBe(
      'NETWORK_MESSAGE_MALFORMED',
    );
    expect(
      code(() =>
        bob.open(
          providerOfferSpec,
          reencode(good, (e) => (e.extra = 1)),
        ),
      ),
    ).toBe('NETWORK_MESSAGE_MALFORMED');
    const announcement = alice.seal(jobAnnouncementSpec, sampleJobAnnouncement(T0));
    expect(code(() => bob.open(providerOfferSpec, announcement))).toBe('NETWORK_MESSAGE_MALFORMED');
  });

  it('rejects a correctly signed body that breaks its schema', () => {
    const { alice, bob } = codecs();
    const bad = sealEnvelope(
      createWireSigner(KEY_A),
      { type: providerOfferSpec.type, seq: 1, timestampMs: T0, body: { ...sampleOffer(), priceWeiPerHour: '-5' } },
      providerOfferSpec.maxBytes,
    );
    expect(code(() => bob.open(providerOfferSpec, bad))).toBe('NETWORK_MESSAGE_MALFORMED');
    expect(code(() => alice.seal(providerOfferSpec, sampleOffer('x', { ttlSeconds: 0 })))).toBe(
      'NETWORK_MESSAGE_MALFORMED',
    );
  });

  it('bounds sizes on both sides', () => {
    const { alice, bob } = codecs();
    const huge = sampleOffer('big', {
      cachedDatasetIds: Array.from({ length: 200 }, (_, i) => `${i}`.padEnd(120, 'x')),
    });
    expect(code(() => alice.seal(providerOfferSpec, huge))).toBe('NETWORK_MESSAGE_TOO_LARGE');
    expect(code(() => bob.open(providerOfferSpec, new Uint8Array(providerOfferSpec.maxBytes + 1)))).toBe(
      'NETWORK_MESSAGE_TOO_LARGE',
    );
  });

  it('accepts a (sender, seq) pair once: an exact replay and a re-signed reuse are both refused', () => {
    const { alice, bob } = codecs();
    const bytes = alice.seal(providerOfferSpec, sampleOffer());
    expect(code(() => bob.open(providerOfferSpec, bytes))).toBe('accepted');
    expect(code(() => bob.open(providerOfferSpec, bytes))).toBe('NETWORK_REPLAYED_MESSAGE');
    const { seq } = cborDecode(bytes) as { seq: number };
    const reused = sealEnvelope(
      createWireSigner(KEY_A),
      { type: providerOfferSpec.type, seq, timestampMs: T0, body: providerOfferSpec.toWire(sampleOffer('other')) },
      providerOfferSpec.maxBytes,
    );
    expect(code(() => bob.open(providerOfferSpec, reused))).toBe('NETWORK_REPLAYED_MESSAGE');
  });

  it('refuses messages outside the timestamp window (stale or from the future)', () => {
    const { alice, bob, clock } = codecs();
    const bytes = alice.seal(providerOfferSpec, sampleOffer());
    clock.set(T0 + 5 * 60_000 + 1);
    expect(code(() => bob.open(providerOfferSpec, bytes))).toBe('NETWORK_STALE_MESSAGE');
    clock.set(T0 - 31_000);
    expect(code(() => bob.open(providerOfferSpec, bytes))).toBe('NETWORK_STALE_MESSAGE');
  });

  it('does not let an invalid message burn its (sender, seq) pair', () => {
    const { alice, bob } = codecs();
    const bytes = alice.seal(providerOfferSpec, sampleOffer());
    const tampered = reencode(bytes, (e) => {
      const sig = e.sig as Uint8Array;
      sig[5] = (sig[5] ?? 0) ^ 1;
    });
    expect(code(() => bob.open(providerOfferSpec, tampered))).not.toBe('accepted');
    expect(code(() => bob.open(providerOfferSpec, bytes))).toBe('accepted');
  });
});
