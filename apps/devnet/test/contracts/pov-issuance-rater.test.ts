/**
 * Extra issuance in the running system: on a deployment with the PoV chain's contracts (`deployDevnet({ povChain })`,
 * what `--chain pov` deploys), the node's own rater role (two staked raters, in process) rates an epoch with verified
 * usage and then calls AICIssuer.issue for it: the RewardsPool receives exactly min(cap, score × weiPerScore) new AIC,
 * once, and the token's supply grows by that and nothing else.
 */
import { minimalPreset } from '@aic/core/params';
import { AssetKind, aicIssuerAbi, type LedgerClient } from '@aic/ledger';
import {
  createDevClients,
  type DevClients,
  type DevDeployment,
  deployDevnet,
  type EmbeddedChain,
  startEmbeddedChain,
} from '@aic/ledger/devchain';
import { createRaterRole, type RaterAction, type RaterRole } from '@aic/node';
import { type Address, getContract, keccak256, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AIC = 10n ** 18n;

let chain: EmbeddedChain;
let dev: DevDeployment;
let clients: DevClients;

beforeAll(async () => {
  chain = await startEmbeddedChain();
  dev = await deployDevnet(chain.provider, chain.accounts, {
    povChain: { validators: chain.accounts.slice(20, 24), committeeMaxSize: 7 },
  });
  clients = createDevClients(chain, dev.deployment);
});

afterAll(async () => {
  await chain?.close();
});

async function goToEpoch(ledger: LedgerClient, epoch: bigint): Promise<void> {
  const [genesis, durationSec] = await ledger.rewards.read.schedule();
  const target = genesis + BigInt(durationSec) * epoch + BigInt(durationSec) / 2n;
  const { timestamp } = await ledger.publicClient.getBlock();
  await clients.testClient.increaseTime({ seconds: Number(target - timestamp) });
  await clients.testClient.mine({ blocks: 1 });
}

/** Steps every rater until one of them does `kind` (bounded); returns that action. */
async function stepUntil(raters: RaterRole[], kind: RaterAction['kind']): Promise<RaterAction> {
  for (let round = 0; round < 10; round++) {
    for (const rater of raters) {
      const action = await rater.step();
      if (action.kind === kind) return action;
    }
  }
  throw new Error(`no rater did '${kind}'`);
}

describe('extra issuance on the PoV deployment', () => {
  it("the rater role issues a settled epoch's AIC into the RewardsPool: exactly score × weiPerScore, once", async () => {
    const pov = dev.deployment.pov;
    if (!pov) throw new Error('no PoV contracts deployed');
    const [owner, payer, raterA, raterB] = dev.roles.users as [Address, Address, Address, Address];
    const asOwner = clients.as(owner);
    const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
    const raters = [raterA, raterB].map((r) =>
      createRaterRole({ stakeAic: '1000', pollIntervalMs: 1_000 }, clients.as(r), quiet),
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
    await clients.as(payer).buyUses(tokenId, 3n);
    await goToEpoch(asOwner, 1n);
    await stepUntil(raters, 'proposed');
    await stepUntil(raters, 'backed');
    const { challengeWindowSec } = await asOwner.rewards.read.roundParams();
    await clients.testClient.increaseTime({ seconds: challengeWindowSec });
    await clients.testClient.mine({ blocks: 1 });
    await stepUntil(raters, 'applied');

    const { totalScore } = await asOwner.rewards.read.epochInfo([0n]);
    expect(totalScore).toBeGreaterThan(0n);
    const expected = totalScore * BigInt(minimalPreset.povContracts.issueWeiPerScore); // far below the 1 M AIC cap
    const pool = dev.deployment.contracts.RewardsPool;
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
