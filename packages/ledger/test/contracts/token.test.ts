import { aicToWei } from '@aic/core';
import { beforeAll, beforeEach, describe } from 'vitest';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { type Erc20Context, shouldBehaveLikeERC20, shouldBehaveLikeERC20Permit } from './behaviors/erc20.behavior.ts';

describe('AICToken', () => {
  let f: Fixture;
  let context: Erc20Context;
  beforeAll(async () => {
    f = await loadFixture();
    const [holder, recipient, spender] = f.roles.users;
    if (!holder || !recipient || !spender) throw new Error('the fixture needs three user accounts');
    context = {
      publicClient: f.publicClient,
      token: f.deployment.contracts.AICToken,
      wallet: (account) => f.as(account).walletClient!,
      holder,
      recipient,
      spender,
      // Every dev user is funded with 1,000,000 AIC by the dev deployment.
      initialBalance: aicToWei('1000000'),
      totalSupply: aicToWei('10000000000'),
      metadata: { name: 'AI Crypto', symbol: 'AIC', decimals: 18, eip712Version: '1' },
    };
  });
  beforeEach(async () => {
    await f.reset();
  });

  shouldBehaveLikeERC20(() => context);

  describe('permit (EIP-2612)', () => {
    shouldBehaveLikeERC20Permit(() => context);
  });
});
