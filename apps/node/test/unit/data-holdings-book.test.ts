/** The holdings book: peers' signed announcements (newest wins, expiry), own holdings and their change signal. */
import { describe, expect, it } from 'vitest';
import { HoldingsBook } from '../../src/holdings/index.ts';

const ROOT = `0x${'ab'.repeat(32)}` as const;

function announcement(peerId: string, timestampMs: number, holdings: unknown[], ttlMs = 60_000) {
  return {
    sender: `0x${peerId.slice(-1).repeat(40)}`,
    timestampMs,
    expiresAtMs: timestampMs + ttlMs,
    payload: {
      holdings,
      ttlSeconds: ttlMs / 1000,
      coordinate: { vec: [1, 2, 3], height: 0.1, error: 0.5 },
      peer: { id: peerId, addrs: ['/ip4/127.0.0.1/tcp/1'] },
    },
  } as never;
}

const dataset = (assetId: string, role: string) => ({ kind: 'dataset', assetId, root: ROOT, bytes: 10, role });

describe('HoldingsBook', () => {
  it('lists holders of an asset owners first, with their coordinate, never itself', () => {
    let now = 1_000;
    const book = new HoldingsBook({ peerId: 'self' }, () => now);
    book.receive(announcement('peer-a', 900, [dataset('7', 'cache')]));
    book.receive(announcement('peer-b', 900, [dataset('7', 'owner'), dataset('8', 'owner')]));
    book.receive(announcement('self', 900, [dataset('7', 'owner')]));
    const holders = book.holdersOf('dataset', '7');
    expect(holders.map((h) => [h.peerId, h.role])).toEqual([
      ['peer-b', 'owner'],
      ['peer-a', 'cache'],
    ]);
    expect(holders[0]?.coordinate?.vec).toEqual([1, 2, 3]);
    expect(book.holdersOf('model', '7')).toEqual([]);
    now = 100_000; // every announcement expired
    expect(book.holdersOf('dataset', '7')).toEqual([]);
  });

  it('keeps the newest announcement of a peer (each replaces the holder’s whole set)', () => {
    const book = new HoldingsBook({ peerId: 'self' }, () => 1_000);
    book.receive(announcement('peer-a', 500, [dataset('7', 'replica')]));
    book.receive(announcement('peer-a', 400, [dataset('7', 'replica'), dataset('9', 'replica')])); // older: ignored
    expect(book.holdersOf('dataset', '9')).toEqual([]);
    book.receive(announcement('peer-a', 600, [dataset('9', 'replica')])); // newer: 7 withdrawn
    expect(book.holdersOf('dataset', '7')).toEqual([]);
    expect(book.holdersOf('dataset', '9')).toHaveLength(1);
  });

  it('announces and withdraws its own holdings, telling the announcer each time', () => {
    const book = new HoldingsBook({ peerId: 'self' });
    let changes = 0;
    book.onOwnChange(() => changes++);
    book.announce({ kind: 'model', assetId: '3', root: ROOT, bytes: 5, role: 'serving' });
    book.announce({ kind: 'model', assetId: '3', root: ROOT, bytes: 6, role: 'serving' }); // replaces
    expect(book.own()).toEqual([{ kind: 'model', assetId: '3', root: ROOT, bytes: 6, role: 'serving' }]);
    book.withdraw('model', '3');
    book.withdraw('model', '3'); // nothing to withdraw: no change
    expect(book.own()).toEqual([]);
    expect(changes).toBe(3);
  });
});
