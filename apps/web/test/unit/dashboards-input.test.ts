/** The dashboards' and Explorer's input checks and the earnings chart's data (pure, no browser). */
import { describe, expect, it } from 'vitest';
import { addressError, tokenError } from '../../src/dashboards/account-input.ts';
import { earningsSeries, weiToAicNumber } from '../../src/dashboards/earnings-series.ts';
import { parseSearch } from '../../src/explorer/search-input.ts';

const point = (time: number, data: string, rewards = '0') => ({
  time,
  block: time,
  compute: '0',
  verification: '0',
  data,
  model: '0',
  storage: '0',
  rewards,
});

describe('parseSearch', () => {
  it('accepts a number (optionally #), a 32-byte hash and an address', () => {
    expect(parseSearch(' 12 ')).toEqual({ ok: true, query: '12', shape: 'number' });
    expect(parseSearch('#3')).toEqual({ ok: true, query: '3', shape: 'number' });
    expect(parseSearch(`0x${'ab'.repeat(32)}`)).toMatchObject({ ok: true, shape: 'hash' });
    expect(parseSearch(`0x${'Cd'.repeat(20)}`)).toMatchObject({ ok: true, shape: 'address' });
  });

  it('says what is wrong with anything else', () => {
    expect(parseSearch('')).toMatchObject({ ok: false, error: expect.stringContaining('Type a block number') });
    expect(parseSearch('0x12')).toMatchObject({ ok: false, error: expect.stringContaining('2 hex digits') });
    expect(parseSearch('job one')).toMatchObject({ ok: false, error: expect.stringContaining('Not a block number') });
    expect(parseSearch('1'.repeat(21))).toMatchObject({ ok: false });
  });
});

describe('dashboard inputs', () => {
  it('checks an address and an API token before the node sees them', () => {
    expect(addressError(`0x${'a'.repeat(40)}`)).toBeUndefined();
    expect(addressError('0x1234')).toContain('40 hex digits');
    expect(addressError(' ')).toContain('Enter an account address');
    expect(tokenError('x'.repeat(43))).toBeUndefined();
    expect(tokenError('short')).toContain('32 to 128');
    expect(tokenError('')).toContain('api-token');
  });
});

describe('earningsSeries', () => {
  it('starts from zero before the first payment and merges payments of the same second', () => {
    const [times, compute, , data, , , rewards] = earningsSeries([
      point(100, '1000000000000000000'),
      point(100, '2500000000000000000'),
      point(160, '2500000000000000000', '30000000000000000'),
    ]);
    expect(times).toEqual([40, 100, 160]);
    expect(data).toEqual([0, 2.5, 2.5]);
    expect(rewards).toEqual([0, 0, 0.03]);
    expect(compute).toEqual([0, 0, 0]);
  });

  it('gives a single instant some width, and nothing stays nothing', () => {
    expect(earningsSeries([point(100, '1000000000000000000')])[0]).toEqual([40, 100, 160]);
    expect(earningsSeries([])[0]).toEqual([]);
    expect(weiToAicNumber('123456789000000000000')).toBe(123.4567);
  });
});
