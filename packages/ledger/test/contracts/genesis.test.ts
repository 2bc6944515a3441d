import { aicToWei } from '@aic/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';

describe('AICToken genesis', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await loadFixture();
    await f.reset();
  });

  it('has the name, symbol and 18 decimals of the white paper', async () => {
    const token = f.as(f.roles.admin).token;
    expect(await token.read.name()).toBe('AI Crypto');
    expect(await token.read.symbol()).toBe('AIC');
    expect(await token.read.decimals()).toBe(18);
  });

  it('minted exactly 10,000,000,000 AIC split 30/25/20/15/5/5 among the six allocations', async () => {
    const ledger = f.as(f.roles.admin);
    const total = aicToWei('10000000000');
    expect(await ledger.token.read.totalSupply()).toBe(total);
    const a = f.config.allocation;
    const fundedUsers = BigInt(f.roles.users.length) * aicToWei('1000000');
    const expected: Array<[string, `0x${string}`, bigint]> = [
      ['investors', a.investors, aicToWei('3000000000')],
      ['team', a.team, aicToWei('2500000000')],
      ['ecosystem (RewardsPool)', f.deployment.contracts.RewardsPool, aicToWei('2000000000')],
      ['marketing', a.marketing, aicToWei('1500000000')],
      ['advisors', a.advisors, aicToWei('500000000')],
      // The dev deployment funded the user accounts from the company bucket afterwards.
      ['company', a.company, aicToWei('500000000') - fundedUsers],
    ];
    for (const [bucket, holder, amount] of expected) {
      expect(await ledger.balanceOf(holder), bucket).toBe(amount);
    }
    const genesis = await f.publicClient.getContractEvents({
      address: f.deployment.contracts.AICToken,
      abi: ledger.token.abi,
      eventName: 'GenesisAllocated',
      fromBlock: 0n,
    });
    expect(genesis.map((e) => e.args.amount)).toEqual(
      expected.map(([, , amount], i) => (i === 5 ? aicToWei('500000000') : amount)),
    );
  });

  it('has no function that can mint after deployment', async () => {
    const names = f
      .as(f.roles.admin)
      .token.abi.filter((x) => x.type === 'function')
      .map((x) => x.name);
    expect(names.some((n) => /mint|issue/i.test(n))).toBe(false);
  });
});
