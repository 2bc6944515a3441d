/**
 * Issue 7, done-when 2 (third part), and issue 15 (staked verifiers): a lazy verifier — one that approves without
 * re-running anything (fault injection) — is caught by a canary: the coordinator escrows jobs whose committed answer
 * it knows is wrong, and when the lazy verifier is drawn and passes one, the coordinator challenges the verdict and,
 * as arbiter, rules the provider cheated with itself as the right verifier: the lazy verifier earns nothing, loses
 * the stated share of the stake its node put up at start, and its wrong verdict stays on chain. Honest verifiers
 * drawn for canaries flag them. The canary it passed was escrowed by a fresh account (issue 15: canaries nobody can
 * tell apart), funded before and never used before.
 */
import { aicTokenAbi, computeMarketAbi } from '@aic/ledger';
import { createDevClients } from '@aic/ledger/devchain';
import { getAddress } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';

const LAZY_INDEX = 5;
const COORDINATOR_INDEX = 4;

describe('a lazy verifier', () => {
  let net: JobNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it('is caught by a canary and earns nothing', { timeout: 300_000 }, async () => {
    net = await startJobNetwork({
      envOf: (i) => (i === LAZY_INDEX ? { AIC_FAULT_LAZY_VERIFIER: '1' } : {}),
      argsOf: (i) => (i === COORDINATOR_INDEX ? ['--canary-interval-ms', '1000'] : []),
    });
    const n = net;
    const lazy = getAddress(n.nodes[LAZY_INDEX]!.address);
    const coordinator = getAddress(n.nodes[COORDINATOR_INDEX]!.address);
    const { publicClient, as } = createDevClients(n.chain, n.dev.deployment);
    const resolvedCanary = () =>
      n.lines.find((l) => l.includes('canary resolved') && l.toLowerCase().includes(lazy.toLowerCase()));
    const until = Date.now() + 240_000;
    while (!resolvedCanary()) {
      if (Date.now() > until)
        throw new Error(`no canary caught ${lazy}:\n${n.lines.filter((l) => /canary|verdict/.test(l)).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(n.lines.some((l) => l.includes('lazy verifier caught by canary') && l.includes(lazy))).toBe(true);

    // On chain: the lazy verifier passed a canary, which was then ruled cheated with the coordinator as the right one.
    const where = { address: n.dev.deployment.contracts.ComputeMarket, abi: computeMarketAbi, fromBlock: 0n } as const;
    const verdicts = await publicClient.getContractEvents({ ...where, eventName: 'VerdictSubmitted' });
    const passed = verdicts.filter((v) => v.args.verifier === lazy && v.args.valid === true);
    expect(passed.length).toBeGreaterThan(0);
    const resolutions = await publicClient.getContractEvents({ ...where, eventName: 'DisputeResolved' });
    for (const verdict of passed) {
      const resolution = resolutions.find((r) => r.args.jobId === verdict.args.jobId);
      expect(resolution?.args.providerCheated).toBe(true);
      expect(resolution?.args.rightVerifier).toBe(coordinator);
    }
    const lazyLedger = as(lazy);
    // And each canary it passed cost it stake, credited to the coordinator that proved it wrong.
    const staked = await publicClient.getContractEvents({ ...where, eventName: 'VerifierRegistered' });
    expect(staked.some((e) => e.args.verifier === lazy)).toBe(true);
    const slashes = await publicClient.getContractEvents({ ...where, eventName: 'VerifierSlashed' });
    const lazySlashes = slashes.filter((e) => e.args.verifier === lazy);
    expect(lazySlashes.length).toBeGreaterThan(0);
    expect(lazySlashes.every((e) => passed.some((v) => v.args.jobId === e.args.jobId))).toBe(true);
    const { minStake } = await lazyLedger.market.read.verifierTerms();
    const { stake } = await lazyLedger.market.read.verifierOf([lazy]);
    const lost = lazySlashes.reduce((sum, e) => sum + (e.args.amount ?? 0n), 0n);
    expect(lost).toBeGreaterThan(0n);
    // Its verdicts earned it nothing: a self-staking devnet verifier is funded with twice the minimum stake (the
    // margin tops its stake up after silence penalties), and what it holds now, plus what it lost to slashes and
    // penalties, is exactly that funding.
    const penalties = (await publicClient.getContractEvents({ ...where, eventName: 'VerifierPenalized' }))
      .filter((e) => e.args.verifier === lazy)
      .reduce((sum, e) => sum + (e.args.amount ?? 0n), 0n);
    const holds = (await lazyLedger.balanceOf(lazy)) + (await lazyLedger.market.read.owed([lazy])) + stake;
    expect(holds + lost + penalties).toBe(2n * minStake);
    if (penalties === 0n) expect(stake).toBe(minStake - lost);
    expect(staked.some((e) => e.args.verifier === coordinator)).toBe(true);

    // Nothing on chain marked the canary it passed (issue 15): it was escrowed by a fresh account — not the
    // coordinator's, and one that had sent no transaction before its escrow — funded by ordinary transfers earlier.
    const [created] = await publicClient.getContractEvents({
      ...where,
      eventName: 'JobCreated',
      args: { jobId: passed[0]!.args.jobId },
    });
    const payer = getAddress(created!.args.requester!);
    expect(payer).not.toBe(coordinator);
    expect(n.nodes.some((node) => getAddress(node.address) === payer)).toBe(false);
    const before = created!.blockNumber - 1n;
    expect(await publicClient.getTransactionCount({ address: payer, blockNumber: before })).toBe(0);
    const funded = await publicClient.readContract({
      address: n.dev.deployment.contracts.AICToken,
      abi: aicTokenAbi,
      functionName: 'balanceOf',
      args: [payer],
      blockNumber: before,
    });
    expect(funded).toBeGreaterThan(0n);
    const payers = new Set(
      (await publicClient.getContractEvents({ ...where, eventName: 'JobCreated' }))
        .filter((e) => e.args.jobId !== created!.args.jobId)
        .map((e) => e.args.requester),
    );
    expect(payers.has(payer)).toBe(false); // a new key per canary
  });
});
