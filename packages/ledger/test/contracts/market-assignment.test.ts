/**
 * Checkable assignment (issue 15): no key places a job. Anyone may propose a provider, and the contract accepts only
 * one on the job's seeded shortlist — the first `shortlistSize` eligible providers walking the registration list from
 * `seed % count` — so a coordinator that proposes anyone else is reverted. A shortlist whose window passed may be
 * redrawn by anyone; a reassignment leaves the preempted provider off.
 */
import { aicToWei } from '@aic/core';
import type { Address } from 'viem';
import { beforeEach, describe, expect, it } from 'vitest';
import { computeMarketAbi } from '../../src/artifacts/index.ts';
import { PRESETS } from '../../src/config.ts';
import { HardwareClass } from '../../src/types.ts';
import { contractCaller } from '../helpers/caller.ts';
import { type Fixture, loadFixture } from '../helpers/fixture.ts';
import { jobRequest, type MarketWorld, registerProvider, setUpMarket } from '../helpers/market.ts';
import { expectRevert } from '../helpers/revert.ts';

const SHORTLIST = PRESETS.minimal.assignShortlistSize;

describe('ComputeMarket checkable assignment', () => {
  let f: Fixture;
  let w: MarketWorld;
  let providers: Address[];

  beforeEach(async () => {
    f = await loadFixture();
    await f.reset();
    w = await setUpMarket(f);
    // Seven providers in all, so a shortlist of three leaves four eligible providers off it.
    const extra = f.roles.users.slice(8, 13) as Address[];
    for (const p of extra) await registerProvider(f, p, HardwareClass.WorkstationGpu, aicToWei('2000'));
    providers = [...w.providers, ...extra];
  });

  const call = (who: Address, fn: string, args: readonly unknown[]) =>
    contractCaller(f, f.deployment.contracts.ComputeMarket, computeMarketAbi).call(who, fn, args);
  const market = () => f.as(w.requester).market;

  async function escrowed(): Promise<bigint> {
    const { jobId } = await f.as(w.requester).createAndFundJob(await jobRequest(f, w));
    await f.testClient.mine({ blocks: 2 }); // an eth_call sees the seed one block later than a transaction does
    return jobId;
  }

  /** The rule, recomputed off chain from public inputs: the registration order and the seed. */
  function expectedShortlist(seed: bigint, list: Address[], excluded?: Address): Address[] {
    const out: Address[] = [];
    const start = Number(seed % BigInt(list.length));
    for (let i = 0; i < list.length && out.length < SHORTLIST; i++) {
      const candidate = list[(start + i) % list.length]!;
      if (candidate !== excluded) out.push(candidate);
    }
    return out;
  }

  it('draws the shortlist anyone can recompute from the seed and the registered providers', async () => {
    expect(await market().read.providerCount()).toBe(BigInt(providers.length));
    const jobId = await escrowed();
    const seed = await market().read.assignmentSeed([jobId]);
    const shortlist = await market().read.assignmentShortlist([jobId]);
    expect(shortlist).toEqual(expectedShortlist(seed, providers));
  });

  it('lets an account with no role place the job on a shortlisted provider, at the fixed budget', async () => {
    const jobId = await escrowed();
    const [chosen] = await market().read.assignmentShortlist([jobId]);
    const anyone = f.as(w.dataOwner);
    await anyone.confirm('assign', () => anyone.market.write.assignJob([jobId, chosen!]));
    const job = await f.as(w.requester).getJob(jobId);
    expect(job.stateName).toBe('Assigned');
    expect(job.provider).toBe(chosen);
    expect(job.providerPrice).toBe((await jobRequest(f, w)).providerBudgetWei);
  });

  it('reverts a proposal of an eligible provider that is not on the shortlist (a cheating coordinator)', async () => {
    const jobId = await escrowed();
    const shortlist = await market().read.assignmentShortlist([jobId]);
    const offList = providers.find((p) => !shortlist.includes(p))!;
    await expectRevert(call(f.roles.allocator, 'assignJob', [jobId, offList]), 'ProviderNotDrawn', [jobId, offList]);
    expect((await f.as(w.requester).getJob(jobId)).stateName).toBe('Escrowed');
  });

  it('lets a second coordinator racing for the same job fail harmlessly', async () => {
    const jobId = await escrowed();
    const [first, second] = await market().read.assignmentShortlist([jobId]);
    const a = f.as(w.dataOwner);
    await a.confirm('assign', () => a.market.write.assignJob([jobId, first!]));
    await expectRevert(call(w.modelOwner, 'assignJob', [jobId, second!]), 'IllegalTransition');
  });

  it('redraws the shortlist once its window passed, and not before', async () => {
    const jobId = await escrowed();
    const job = await f.as(w.requester).getJob(jobId);
    await expectRevert(call(w.dataOwner, 'redrawAssignment', [jobId]), 'AssignWindowOpen', [jobId, job.challengeEnds]);
    await f.testClient.increaseTime({ seconds: PRESETS.minimal.assignWindowSec + 1 });
    await f.testClient.mine({ blocks: 1 });
    const anyone = f.as(w.dataOwner);
    await anyone.confirm('redraw', () => anyone.market.write.redrawAssignment([jobId]));
    await f.testClient.mine({ blocks: 2 });
    const redrawn = await f.as(w.requester).getJob(jobId);
    expect(redrawn.seedBlock).toBeGreaterThan(job.seedBlock);
    const seed = await market().read.assignmentSeed([jobId]);
    expect(await market().read.assignmentShortlist([jobId])).toEqual(expectedShortlist(seed, providers));
  });

  it('leaves the preempted provider off the reassignment shortlist', async () => {
    const jobId = await escrowed();
    const [first] = await market().read.assignmentShortlist([jobId]);
    const anyone = f.as(w.dataOwner);
    await anyone.confirm('assign', () => anyone.market.write.assignJob([jobId, first!]));
    const requester = f.as(w.requester);
    await requester.confirm('preempt', () => requester.market.write.preemptJob([jobId, 0]));
    await f.testClient.mine({ blocks: 2 });
    const seed = await market().read.assignmentSeed([jobId]);
    const shortlist = await market().read.assignmentShortlist([jobId]);
    expect(shortlist).not.toContain(first);
    expect(shortlist).toEqual(expectedShortlist(seed, providers, first));
    await expectRevert(call(w.dataOwner, 'reassignJob', [jobId, first!]), 'ProviderNotDrawn', [jobId, first!]);
    await anyone.confirm('reassign', () => anyone.market.write.reassignJob([jobId, shortlist[0]!]));
    expect((await f.as(w.requester).getJob(jobId)).stateName).toBe('Reassigned');
  });

  it('keeps the draw list whole when a provider deregisters (the last one takes its place)', async () => {
    const leaving = providers[1]!;
    const ledger = f.as(leaving);
    await ledger.confirm('withdraw', () => ledger.market.write.withdrawStake([aicToWei('2000')]));
    const list = [...providers];
    list[1] = list.pop()!;
    expect(await market().read.providerCount()).toBe(BigInt(list.length));
    const jobId = await escrowed();
    const seed = await market().read.assignmentSeed([jobId]);
    expect(await market().read.assignmentShortlist([jobId])).toEqual(expectedShortlist(seed, list));
  });
});
