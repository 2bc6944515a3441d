/**
 * Issue 7, done-when 2 (third part): a lazy verifier — one that approves without re-running anything (fault
 * injection) — is caught by a canary: the coordinator escrows jobs whose committed answer it knows is wrong, and when
 * the lazy verifier is drawn and passes one, the coordinator challenges the verdict and, as arbiter, rules the
 * provider cheated with itself as the right verifier: the lazy verifier earns nothing and its wrong verdict stays on
 * chain. Honest verifiers drawn for canaries flag them.
 */
import { computeMarketAbi } from '@aic/ledger';
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
    // Its verdicts earned it nothing (verifiers start with 0 AIC on the devnet).
    const lazyLedger = as(lazy);
    expect((await lazyLedger.balanceOf(lazy)) + (await lazyLedger.market.read.owed([lazy]))).toBe(0n);
  });
});
