import { describe, expect, it } from 'vitest';
import { offenceOfErrorCode } from '../../src/scoring/offences.ts';
import { PeerScoreBook } from '../../src/scoring/peer-score-book.ts';

describe('PeerScoreBook (app-level peer score)', () => {
  it('lowers the score per offence and bans once at the threshold, for the ban duration', () => {
    const book = new PeerScoreBook({ banThreshold: -50, banDurationMs: 1_000, recoveryPerSecond: 0 });
    expect(book.penalize('p', 'bad-signature', 0)).toMatchObject({ score: -20, banned: false });
    expect(book.penalize('p', 'bad-signature', 0)).toMatchObject({ score: -40, banned: false });
    expect(book.penalize('p', 'malformed', 0)).toMatchObject({ score: -50, banned: true });
    expect(book.penalize('p', 'malformed', 0).banned).toBe(false);
    expect(book.isBanned('p', 999)).toBe(true);
    expect(book.isBanned('p', 1_000)).toBe(false);
    expect(book.isBanned('other', 0)).toBe(false);
    expect(book.snapshot(0).get('p')?.offences).toEqual({ 'bad-signature': 2, malformed: 2 });
  });

  it('restores a negative score slowly and never above zero', () => {
    const book = new PeerScoreBook({ recoveryPerSecond: 1 });
    book.penalize('p', 'malformed', 0);
    expect(book.score('p', 5_000)).toBeCloseTo(-5);
    expect(book.score('p', 60_000)).toBe(0);
    expect(book.score('never-seen', 0)).toBe(0);
  });

  it('maps wire error codes to offences, and other failures to none', () => {
    expect(offenceOfErrorCode('NETWORK_BAD_SIGNATURE')).toBe('bad-signature');
    expect(offenceOfErrorCode('NETWORK_MESSAGE_TOO_LARGE')).toBe('oversized');
    expect(offenceOfErrorCode('NETWORK_REPLAYED_MESSAGE')).toBe('replayed');
    expect(offenceOfErrorCode('NETWORK_REQUEST_TIMEOUT')).toBeUndefined();
  });
});
