/**
 * Extra issuance in the running system: on a deployment with the PoV chain's contracts (`deployDevnet({ povChain })`,
 * what `--chain pov` deploys), the node's own rater role (two staked raters, in process) rates an epoch with verified
 * usage and then calls AICIssuer.issue for it: the RewardsPool receives exactly min(cap, score × weiPerScore) new AIC,
 * once, and the token's supply grows by that and nothing else.
 */
import { minimalPreset } from '@aic/core/params';
import { AssetKind, aicIssuerAbi } from '@aic/ledger';
import { createRaterRole } from '@aic/node';
import { type Address, getContract, keccak256, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { goToEpoch, stepUntil, useRaterChain } from '../helpers/rater-chain.ts';

const AIC = 10n ** 18n;

const net = useRaterChain((chain) => ({
  povChain: { validators: chain.accounts.slice(20, 24), committeeMaxSize: 7 },
}));

describe('extra issuance on the PoV deployment', () => {
  it("the rater role issues a settled epoch's AIC into the RewardsPool: exactly score × weiPerScore, once", async () => {
    const pov = net.dev.deployment.pov;
    if (!pov) throw new Error('no PoV contracts deployed');
    const [owner, payer, raterA, raterB] = net.dev.roles.users as [Address, Address, Address, Address];
    const asOwner = net.clients.as(owner);
    const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
    const raters = [raterA, raterB].map((r) =>
      createRaterRole({ stakeAic: '1000', pollIntervalMs: 1_000 }, net.clients.as(r), quiet),
    );
    const issuer = getContract({ address: pov.AICIssuer, abi: aicIssuerAbi, client: asOwner.publicClient });
    expect((await asOwner.token.read.minter()).toLowerCase()).toBe(pov.AICIssuer.toLowerCase());
    expect(await issuer.read.issuing()).toEqual([true, 0n]);

    const { tokenId } = await asOwner.mintAsset({
      kind: AssetKind.Dataset,
      manifestCid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
      contentRoot: keccak256(toHex('extra issuance')),
      pricePerUseWei: 2n * AIC,
    });
    await net.clients.as(payer).buyUses(tokenId, 3n);
    await goToEpoch(net.clients, asOwner, 1n);
    await stepUntil(raters, 'proposed');
    await stepUntil(raters, 'backed');
    const { challengeWindowSec } = await asOwner.rewards.read.roundParams();
    await net.clients.testClient.increaseTime({ seconds: challengeWindowSec });
    await net.clients.testClient.mine({ blocks: 1 });
    await stepUntil(raters, 'applied');

    const { totalScore } = await asOwner.rewards.read.epochInfo([0n]);
    expect(totalScore).toBeGreaterThan(0n);
    const expected = totalScore * BigInt(minimalPreset.povContracts.issueWeiPerScore); // far below the 1 M AIC cap
    const pool = net.dev.deployment.contracts.RewardsPool;
    const [supplyBefore, poolBefore] = [await asOwner.token.read.totalSupply(), await asOwner.balanceOf(pool)];
    const issued = await stepUntil(raters, 'issued');
    expect(issued).toEqual({ kind: 'issued', epoch: 0, amountWei: expected });
    expect(await asOwner.balanceOf(pool)).toBe(poolBefore + expected);
    expect(await asOwner.token.read.totalSupply()).toBe(supplyBefore + expected);
    expect(await issuer.read.issued([0n])).toBe(true);

    // Nothing more is due: every rater's next steps issue nothing and the supply stays put.
    for (const rater of raters) expect((await rater.step()).kind).toBe('idle');
    expect(await asOwner.token.read.totalSupply()).toBe(supplyBefore + expected);
    expect(await issuer.read.totalIssued()).toBe(expected);
  });
});
