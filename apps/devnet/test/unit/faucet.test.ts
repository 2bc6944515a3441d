/** Issue 18 item 7: the devnet faucet's policy — a fixed grant, once per address per window, a cap per window. */
import { AicError, isAicError } from '@aic/core';
import { describe, expect, it } from 'vitest';
import { createFaucet } from '../../src/faucet.ts';

const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';

function setup(o: { maxPerWindow?: number; fail?: boolean } = {}) {
  let t = 1_000_000;
  const sent: string[] = [];
  const faucet = createFaucet({
    aicWei: 5n,
    gasWei: 7n,
    windowMs: 60_000,
    ...(o.maxPerWindow === undefined ? {} : { maxPerWindow: o.maxPerWindow }),
    now: () => t,
    send: async (to) => {
      if (o.fail) throw new Error('chain down');
      sent.push(to);
      return ['0xaa'];
    },
  });
  return { faucet, sent, advance: (ms: number) => (t += ms) };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'granted';
  } catch (error) {
    return isAicError(error) ? error.code : 'untyped';
  }
}

describe('the devnet faucet', () => {
  it('grants the fixed amounts once, refuses a second request inside the window, grants again after it', async () => {
    const { faucet, sent, advance } = setup();
    expect(await faucet.grant(A)).toMatchObject({ aicWei: 5n, gasWei: 7n, txHashes: ['0xaa'] });
    advance(59_000);
    const again = faucet.grant(A.toUpperCase().replace('0X', '0x'));
    await expect(again).rejects.toBeInstanceOf(AicError);
    expect(await codeOf(faucet.grant(A))).toBe('FAUCET_RATE_LIMITED');
    advance(1_000);
    expect(await codeOf(faucet.grant(A))).toBe('granted');
    expect(sent).toHaveLength(2);
  });

  it('lets only one of two concurrent requests for one address through', async () => {
    const { faucet, sent } = setup();
    const codes = await Promise.all([codeOf(faucet.grant(A)), codeOf(faucet.grant(A))]);
    expect(codes.sort()).toEqual(['FAUCET_RATE_LIMITED', 'granted']);
    expect(sent).toHaveLength(1);
  });

  it('caps grants per window across addresses', async () => {
    const { faucet } = setup({ maxPerWindow: 1 });
    expect(await codeOf(faucet.grant(A))).toBe('granted');
    expect(await codeOf(faucet.grant(B))).toBe('FAUCET_RATE_LIMITED');
  });

  it('refuses a malformed address and lets a member retry after a failed send', async () => {
    expect(await codeOf(setup().faucet.grant('0x1234'))).toBe('FAUCET_ADDRESS_INVALID');
    const failing = setup({ fail: true });
    expect(await codeOf(failing.faucet.grant(A))).toBe('FAUCET_UNAVAILABLE');
    expect(await codeOf(failing.faucet.grant(A))).toBe('FAUCET_UNAVAILABLE'); // not rate-limited: nothing was sent
  });

  it('answers over HTTP with 200, 429 and 400 in the API error format', async () => {
    const { faucet } = setup();
    expect((await faucet.route({ address: A })).status).toBe(200);
    const limited = await faucet.route({ address: A });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'FAUCET_RATE_LIMITED', details: { retryAfterMs: 60_000 } });
    expect((await faucet.route({})).status).toBe(400);
    expect((await faucet.route('nonsense')).status).toBe(400);
  });
});
