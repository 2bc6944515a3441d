/** The holdings topic (issue 12): a holder's signed set of datasets/models, its PeerId checked against the signer. */
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { describe, expect, it } from 'vitest';
import { libp2pPrivateKeyFromRaw } from '../../src/index.ts';
import { addressOfPeerIdString } from '../../src/peers.ts';
import { type HoldingsAnnouncement, handleHoldings, holdingsSpec } from '../../src/wire/messages/holdings.ts';
import { createWireSigner } from '../../src/wire/signature.ts';
import { WireCodec } from '../../src/wire/wire-codec.ts';

const now = () => 1_800_000_000_000;
const aliceKey = new Uint8Array(32).fill(0x11);
const alice = new WireCodec({ signer: createWireSigner(`0x${'11'.repeat(32)}`), now });
const bob = new WireCodec({ signer: createWireSigner(`0x${'22'.repeat(32)}`), now });
const alicePeerId = peerIdFromPrivateKey(libp2pPrivateKeyFromRaw(aliceKey)).toString();
const bobPeerId = peerIdFromPrivateKey(libp2pPrivateKeyFromRaw(new Uint8Array(32).fill(0x22))).toString();

const announcement = (peerId: string): HoldingsAnnouncement => ({
  holdings: [{ kind: 'dataset', assetId: '7', root: `0x${'AB'.repeat(32)}`, bytes: 1234, role: 'owner' }],
  ttlSeconds: 60,
  coordinate: { vec: [1, 2, 3], height: 0.1, error: 0.5 },
  peer: { id: peerId, addrs: ['/ip4/127.0.0.1/tcp/4001'] },
});

describe('holdings announcements', () => {
  it('round-trip signed and are accepted when the PeerId is the signer', () => {
    const opened = bob.open(holdingsSpec, alice.seal(holdingsSpec, announcement(alicePeerId)));
    expect(opened.payload.holdings[0]?.root).toBe(`0x${'ab'.repeat(32)}`);
    const detail = handleHoldings(opened, bobPeerId, now(), addressOfPeerIdString);
    expect(detail?.expiresAtMs).toBe(now() + 60_000);
  });

  it('are ignored when they name another node as the holder, or arrive expired', () => {
    const forged = bob.open(holdingsSpec, alice.seal(holdingsSpec, announcement(bobPeerId)));
    expect(handleHoldings(forged, bobPeerId, now(), addressOfPeerIdString)).toBeUndefined();
    const fine = bob.open(holdingsSpec, alice.seal(holdingsSpec, announcement(alicePeerId)));
    expect(handleHoldings(fine, bobPeerId, now() + 61_000, addressOfPeerIdString)).toBeUndefined();
  });

  it('refuse a malformed holding with a typed error', () => {
    const bad = { ...announcement(alicePeerId), holdings: [{ kind: 'weights', assetId: '7' }] } as never;
    expect(() => alice.seal(holdingsSpec, bad)).toThrow(expect.objectContaining({ code: expect.any(String) }));
  });
});
