import { aicToWei } from '@aic/core';
import { zeroAddress } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { expectRevert } from './behaviors/chain-assertions.ts';

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
    // Users get 1,000,000 AIC each, verifiers their stake (the minimal preset's verifier minimum).
    const fundedUsers =
      BigInt(f.roles.users.length) * aicToWei('1000000') +
      BigInt(f.roles.verifiers.length) * f.config.params.verifierMinStakeAic;
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

  it('can mint after deployment only through its one minter, which a deployment without the PoV chain never names', async () => {
    const token = f.as(f.roles.admin).token;
    const names = token.abi.filter((x) => x.type === 'function').map((x) => x.name);
    // mint (the minter's), minter (the view) and setMinter (deployer, once): nothing else issues AIC.
    expect(names.filter((n) => /mint|issue/i.test(n)).sort()).toEqual(['mint', 'minter', 'setMinter']);
    expect(await token.read.minter()).toBe(zeroAddress);
    await expectRevert(token.write.mint([f.roles.admin, 1n]), 'AICNotMinter', [f.roles.admin]);
    expect(await token.read.totalSupply()).toBe(aicToWei('10000000000'));
  });
});
