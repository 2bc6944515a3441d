/** What must hold after every operation, and once every job has been driven to its end. */
import { decodeFunctionResult, encodeFunctionData, type Hex } from 'viem';
import { expect } from 'vitest';
import { allAssetIds } from '../../../src/actions/market-income.ts';
import { computeMarketAbi } from '../../../src/artifacts/index.ts';
import { JobState } from '../../../src/types.ts';
import * as LedgerProbe from '../../artifacts/LedgerProbe.ts';
import { NO_PERMIT_ARGS, recordMarketReceipt, send, type World } from './world.ts';

const SUPPLY = 10_000_000_000n * 10n ** 18n;

export async function checkInvariants(w: World, context: string): Promise<void> {
  const c = w.f.deployment.contracts;
  // One eth_call for every read below (LedgerProbe.ledgerView): the embedded EVM's cost per call, not the reads,
  // was most of the property test's time (8 calls per step were ~10 of its ~13 ms).
  const data = encodeFunctionData({
    abi: LedgerProbe.abi,
    functionName: 'ledgerView',
    args: [c.AICToken, c.ComputeMarket, c.Payroll, c.RewardsPool, w.holders],
  });
  const raw = (await w.f.chain.provider.request({
    method: 'eth_call',
    params: [{ to: w.probe, data }, 'latest'],
  } as never)) as Hex;
  const view = decodeFunctionResult({ abi: LedgerProbe.abi, functionName: 'ledgerView', data: raw });
  const { balances, market, totalSupply: supply, marketStaked: staked, payrollOwed: owed } = view;
  const { rewardsReserved: reserved, marketOwed } = view;
  const balanceOf = (a: string) => balances[w.holders.indexOf(a as never)]!;
  expect(supply, `${context}: total supply`).toBe(SUPPLY);
  expect(
    balances.reduce((x, y) => x + y, 0n),
    `${context}: sum of balances`,
  ).toBe(SUPPLY);
  expect(market.uncoveredJobs, `${context}: jobs whose escrow is below their obligations`).toBe(0n);
  expect(balanceOf(c.ComputeMarket), `${context}: market holds escrow + stakes + credits`).toBe(
    market.heldEscrow + staked + marketOwed,
  );
  expect(balanceOf(c.Payroll), `${context}: payroll holds what it owes`).toBe(owed);
  expect(balanceOf(c.Plaza), `${context}: PLAZA holds nothing`).toBe(0n);
  expect(balanceOf(c.RewardsPool) >= reserved, `${context}: rewards cover claims`).toBe(true);
  // available() = balance − owed − rater stake: it reverts if the pool ever promised more than it holds.
  expect(view.rewardsAvailableReverts, `${context}: RewardsPool.available() reverts`).toBe(false);
  for (const [id, job] of w.jobs) {
    expect(job.paidOut <= job.funded, `${context}: job ${id} paid ${job.paidOut} of ${job.funded} escrowed`).toBe(true);
  }
}

/** Drives every job to a terminal state, empties Payroll and stakes, then checks that no AIC is left anywhere. */
export async function drainAndCheck(w: World): Promise<void> {
  const f = w.f;
  const c = f.deployment.contracts;
  const market = (from: `0x${string}`, fn: string, args: readonly unknown[]) =>
    send(w, from, c.ComputeMarket, computeMarketAbi, fn, args).then((r) => recordMarketReceipt(w, r));
  await f.testClient.increaseTime({ seconds: 3 * 86_400 }); // past every deadline and challenge window
  await f.testClient.mine({ blocks: 2 });
  // Slashes may have left every verifier below the minimum (none drawable): they top up, with an allowance.
  const { minStake } = await f.as(w.requesters[0]!).market.read.verifierTerms();
  for (const v of f.roles.verifiers) {
    const { stake } = await f.as(v).market.read.verifierOf([v]);
    if (stake >= minStake) continue;
    await send(w, w.requesters[0]!, c.AICToken, f.as(v).token.abi, 'transfer', [v, minStake - stake]);
    await send(w, v, c.AICToken, f.as(v).token.abi, 'approve', [c.ComputeMarket, minStake - stake]);
    await market(v, 'addVerifierStake', [minStake - stake, NO_PERMIT_ARGS]);
  }
  for (const id of w.jobs.keys()) {
    let job = await f.as(w.requesters[0]!).market.read.jobOf([id]);
    if (job.state === JobState.Committed) {
      const verifier = await f.as(w.requesters[0]!).market.read.designatedVerifier([id]);
      await market(verifier, 'submitVerdict', [id, true]);
      job = await f.as(w.requesters[0]!).market.read.jobOf([id]);
    }
    if (job.state === JobState.Disputed)
      await market(f.roles.arbiter, 'resolveDispute', [id, false, f.roles.verifiers[0]!]);
    job = await f.as(w.requesters[0]!).market.read.jobOf([id]);
    if (job.state === JobState.Verifying) {
      await f.testClient.increaseTime({ seconds: 61 });
      await market(job.requester, 'settleJob', [id]);
    }
    if (
      [
        JobState.Created,
        JobState.Escrowed,
        JobState.Assigned,
        JobState.Running,
        JobState.Preempted,
        JobState.Reassigned,
      ].includes(job.state)
    ) {
      await market(job.requester, 'expireJob', [id]);
    }
    job = await f.as(w.requesters[0]!).market.read.jobOf([id]);
    if (job.state === JobState.Expired) await market(job.requester, 'refundJob', [id]);
    job = await f.as(w.requesters[0]!).market.read.jobOf([id]);
    expect([JobState.Settled, JobState.Slashed, JobState.Refunded], `job ${id} ends`).toContain(job.state);
    const model = w.jobs.get(id)!;
    expect(model.paidOut, `job ${id} pays out exactly what it escrowed`).toBe(model.funded);
  }
  // Settlement accrued the asset fees to the assets and the protocol fees to the treasury: anyone claims them (before
  // Payroll is emptied: a lineage asset's claim pays through it).
  const reader = f.as(w.requesters[0]!);
  for (const id of await allAssetIds(reader)) {
    if ((await reader.market.read.assetFees([id])) > 0n) await market(w.requesters[0]!, 'claimAssetFees', [id]);
  }
  if ((await reader.market.read.protocolFeesAccrued()) > 0n) await market(w.requesters[0]!, 'sweepProtocolFees', []);
  for (const user of w.holders) {
    if ((await f.as(user).payroll.read.owed([user])) > 0n) {
      await send(w, user, c.Payroll, f.as(user).payroll.abi, 'withdraw', []);
    }
    if ((await f.as(user).market.read.owed([user])) > 0n)
      await send(w, user, c.ComputeMarket, computeMarketAbi, 'withdraw', []);
  }
  await checkInvariants(w, 'drained');
  expect(await f.as(w.requesters[0]!).market.read.totalOwed(), 'every market credit withdrawn').toBe(0n);
  const staked = await f.as(w.requesters[0]!).market.read.totalStaked();
  expect(await f.as(w.requesters[0]!).balanceOf(c.ComputeMarket), 'market holds only stakes once all jobs ended').toBe(
    staked,
  );
  for (const p of w.holders) {
    const info = await f.as(p).market.read.providerOf([p]);
    if (info.registered) await market(p, 'withdrawStake', [info.stake]);
  }
  // Verifiers (staked by the deployment) leave: ask, wait out the unbonding period, withdraw.
  for (const v of f.roles.verifiers) {
    if ((await f.as(v).market.read.verifierOf([v])).exitAt === 0) await market(v, 'requestVerifierExit', []);
  }
  const { unbondingSec } = await f.as(w.requesters[0]!).market.read.verifierTerms();
  await f.testClient.increaseTime({ seconds: unbondingSec + 1 });
  await f.testClient.mine({ blocks: 1 });
  for (const v of f.roles.verifiers) await market(v, 'withdrawVerifierStake', []);
  for (const holder of [c.ComputeMarket, c.Payroll, c.Plaza]) {
    expect(await f.as(w.requesters[0]!).balanceOf(holder), `no AIC left in ${holder}`).toBe(0n);
  }
}
