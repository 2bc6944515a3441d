import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  BULK_LENGTH_BYTES,
  bulkListenHost,
  deriveBulkKeys,
  FrameOpener,
  FrameSealer,
  tcpHostOf,
} from '../../src/index.ts';

const secret = randomBytes(32);
const ticket = randomBytes(16);
const keys = deriveBulkKeys(secret, ticket, 'holder-peer', 'fetcher-peer');
const joined = (pieces: Iterable<Uint8Array>) => Buffer.concat([...pieces]);
const header = Uint8Array.of(0, 0, 0, 9, 0);
const body = randomBytes(70_000);

describe('bulk frames (AES-256-GCM, counter nonces)', () => {
  it('opens what was sealed, arriving in any split: the secret part decrypted, then the clear part', () => {
    const sealer = new FrameSealer(keys.toFetcher);
    const wire = joined([...sealer.seal([header], [body]), ...sealer.seal([Uint8Array.of(1, 2, 3)])]);
    // The clear part goes out as given (dataset-key ciphertext already); the header does not.
    expect(wire.includes(Buffer.from(body.subarray(0, 64)))).toBe(true);
    expect(wire.subarray(BULK_LENGTH_BYTES + body.length, BULK_LENGTH_BYTES + body.length + 5)).not.toEqual(
      Buffer.from(header),
    );
    const opener = new FrameOpener(keys.toFetcher, 1 << 20);
    const frames: Buffer[] = [];
    for (let at = 0; at < wire.length; at += 4093) {
      const { frames: got, failure } = opener.push(wire.subarray(at, at + 4093));
      expect(failure).toBeUndefined();
      frames.push(...got.map((f) => joined(f)));
    }
    expect(frames).toEqual([Buffer.concat([header, body]), Buffer.from([1, 2, 3])]);
    expect(opener.buffered).toBe(0);
  });

  it('refuses a flipped bit in the clear part, a reordered frame, a wrong key and an oversized frame', () => {
    const frame = () => joined(new FrameSealer(keys.toFetcher).seal([header], [body]));
    const flipped = frame();
    flipped[BULK_LENGTH_BYTES + 100] = (flipped[BULK_LENGTH_BYTES + 100] as number) ^ 1;
    expect(new FrameOpener(keys.toFetcher, 1 << 20).push(flipped).failure).toBe('frame-auth-failed');

    const sealer = new FrameSealer(keys.toFetcher);
    const first = joined(sealer.seal([header]));
    const second = joined(sealer.seal([header]));
    const reordered = new FrameOpener(keys.toFetcher, 1 << 20).push(Buffer.concat([second, first]));
    expect(reordered).toMatchObject({ frames: [], failure: 'frame-auth-failed' });

    const otherFetcher = deriveBulkKeys(secret, ticket, 'holder-peer', 'someone-else');
    expect(new FrameOpener(otherFetcher.toFetcher, 1 << 20).push(frame()).failure).toBe('frame-auth-failed');
    expect(new FrameOpener(keys.toHolder, 1 << 20).push(frame()).failure).toBe('frame-auth-failed');
    expect(new FrameOpener(keys.toFetcher, 1024).push(frame()).failure).toBe('frame-too-long');
  });
});

/** A multiaddr as far as the bulk path reads one: its components (no dependency on @multiformats/multiaddr here). */
function multiaddr(text: string) {
  const parts = text.split('/').slice(1);
  const components: { name: string; value?: string }[] = [];
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i] as string;
    components.push(name === 'ws' ? { name } : { name, value: parts[++i] as string });
  }
  return { getComponents: () => components };
}

describe('bulk addresses', () => {
  it('binds beside libp2p’s plain TCP addresses and dials the connection’s IP', () => {
    const local = multiaddr('/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN');
    expect(tcpHostOf(local)).toEqual({ host: '127.0.0.1', port: 4001 });
    expect(tcpHostOf(multiaddr('/ip4/127.0.0.1/tcp/4002/ws'))).toBeUndefined();
    expect(bulkListenHost([local, multiaddr('/ip4/127.0.0.1/tcp/4002/ws')])).toBe('127.0.0.1');
    expect(bulkListenHost([local, multiaddr('/ip4/10.0.0.5/tcp/4001')])).toBe('0.0.0.0');
    expect(bulkListenHost([multiaddr('/ip4/127.0.0.1/tcp/4002/ws')])).toBeUndefined();
  });
});
