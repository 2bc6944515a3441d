import { describe, expect, it } from 'vitest';
import { ChallengeBook } from '../../src/agent/challenge-book.ts';

describe('coordinator challenge book', () => {
  it('challenges a new provider once, and not again while it runs or after it passed', async () => {
    const book = new ChallengeBook(15_000);
    expect(book.due('0xAB', 0)).toBe(true);
    let resolve: (passed: boolean) => void = () => {};
    const promise = new Promise<boolean>((r) => {
      resolve = r;
    });
    book.record('0xAB', promise, 0);
    expect(book.due('0xab', 60_000)).toBe(false); // pending, whatever the time
    resolve(true);
    expect(await book.passed('0xab')).toBe(true);
    expect(book.due('0xab', 3_600_000)).toBe(false);
  });

  it('retries a failed provider only after the retry delay, and the new outcome replaces the old', async () => {
    const book = new ChallengeBook(15_000);
    book.record('0xcd', Promise.resolve(false), 1_000);
    expect(await book.passed('0xcd')).toBe(false);
    expect(book.due('0xcd', 15_999)).toBe(false);
    expect(book.due('0xcd', 16_000)).toBe(true);
    book.record('0xcd', Promise.resolve(true), 16_000);
    expect(await book.passed('0xcd')).toBe(true);
    expect(await book.passed('0xef')).toBeUndefined();
  });
});
