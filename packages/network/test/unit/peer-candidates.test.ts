import { describe, expect, it } from 'vitest';
import { PeerCandidates } from '../../src/discovery/peer-candidates.ts';

const none = () => false;

describe('PeerCandidates (which peers to dial, and when)', () => {
  it('backs a failing candidate off exponentially, jittered into [½, 1] of the step, capped', () => {
    const low = new PeerCandidates({ baseBackoffMs: 1_000, maxBackoffMs: 8_000, random: () => 0 });
    const high = new PeerCandidates({ baseBackoffMs: 1_000, maxBackoffMs: 8_000, random: () => 0.999_999 });
    expect([1, 2, 3, 4, 5, 9].map((n) => low.backoffMs(n))).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    expect([1, 2, 3, 4, 5, 9].map((n) => high.backoffMs(n))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('is not due again before its backoff, and is forgotten after maxFailures failures in a row', () => {
    const book = new PeerCandidates({ baseBackoffMs: 100, maxFailures: 3, random: () => 0.5 });
    expect(book.learn('a', ['/ip4/127.0.0.1/tcp/1'], 'peer-exchange', 0)).toBe(true);
    expect(book.due(0, 10, none).map((c) => c.peerId)).toEqual(['a']);
    expect(book.failed('a', 0)).toBe(75);
    expect(book.due(74, 10, none)).toEqual([]);
    expect(book.due(75, 10, none).map((c) => c.peerId)).toEqual(['a']);
    expect(book.failed('a', 75)).toBe(150);
    expect(book.failed('a', 300)).toBeUndefined();
    expect(book.get('a')).toBeUndefined();
    expect(book.size).toBe(0);
  });

  it('keeps the backoff when a peer is learned again, and resets it on a connection', () => {
    const book = new PeerCandidates({ baseBackoffMs: 1_000, random: () => 0.5 });
    book.learn('a', ['/ip4/127.0.0.1/tcp/1'], 'peer-exchange', 0);
    book.failed('a', 0);
    expect(book.learn('a', ['/ip4/127.0.0.1/tcp/2'], 'gossip', 10)).toBe(false);
    expect(book.get('a')).toMatchObject({ failures: 1, notBeforeMs: 750, source: 'gossip' });
    expect(book.get('a')?.addrs).toEqual(['/ip4/127.0.0.1/tcp/2', '/ip4/127.0.0.1/tcp/1']);
    book.connected('a');
    expect(book.get('a')).toMatchObject({ failures: 0, notBeforeMs: 0 });
  });

  it('offers the fewest-failures candidates first, skips excluded ones and honours the limit', () => {
    const book = new PeerCandidates({ baseBackoffMs: 1, random: () => 0.5 });
    for (const id of ['a', 'b', 'c', 'd']) book.learn(id, [], 'peer-exchange', 0);
    book.failed('a', 0);
    book.failed('a', 0);
    book.failed('b', 0);
    const due = book.due(1_000, 2, (id) => id === 'c').map((c) => c.peerId);
    expect(due).toEqual(['d', 'b']);
    expect(book.due(1_000, 0, none)).toEqual([]);
    expect(book.nextDueMs((id) => id !== 'a')).toBe(book.get('a')?.notBeforeMs);
  });

  it('stays bounded: the least recently learned are forgotten first', () => {
    const book = new PeerCandidates({ maxCandidates: 2 });
    book.learn('a', [], 'gossip', 0);
    book.learn('b', [], 'gossip', 1);
    book.learn('a', [], 'gossip', 2);
    book.learn('c', [], 'gossip', 3);
    expect([book.get('a')?.peerId, book.get('b'), book.get('c')?.peerId]).toEqual(['a', undefined, 'c']);
  });
});
