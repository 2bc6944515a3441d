/**
 * MSMG in the running system (issue 16, done-when 1's MSMG part through node processes): on one job network
 * (served chain + 7 node processes on 127.0.0.1, its 2 GPU Vessels the group), a job asking for 2 workers is
 * placed by the coordinator as a group (placeGroup; the lead assigned on chain, the plan handed to it), the member's
 * node joins over /aic/msmg-join/1.0.0 and trains rank 1 in its sandboxed worker, the ranks all-reduce over
 * /aic/msmg/1.0.0, the verifier re-runs sampled segments as for any job, the job settles, and the lead pays the
 * member its share by an AIC transfer: member delta = its share, lead delta = the rest. The committed root is the
 * one-worker root of the same ticket. Then a member killed mid-job: the lead re-runs its rank from the last
 * self-verifying checkpoint, the job settles on the same root and the killed member is paid for the steps it did.
 */
import { workerShares } from '@aic/gpu-vessel';
import { marketClaimableOf } from '@aic/ledger';
import { createDevClients } from '@aic/ledger/devchain';
import { type Address, getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JobNetwork, startJobNetwork } from '../../src/job-network.ts';
import { nodeApi } from '../../src/node-api.ts';
import { jobEvents } from '../fault/market-events.ts';
import { uninterruptedRoot } from '../helpers/mid-job.ts';
import { runTestJob } from '../helpers/run-job.ts';

const NETWORK_START_MS = 300_000;
const JOB_MS = 420_000;

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('an MSMG job across real nodes', () => {
  let net: JobNetwork | undefined;
  const network = (): JobNetwork => {
    if (net === undefined) throw new Error('the job network did not start');
    return net;
  };
  beforeAll(async () => {
    net = await startJobNetwork();
  }, NETWORK_START_MS);
  afterAll(async () => {
    await net?.close();
  });

  const providers = () => network().nodes.filter((x) => x.role === 'gpu-provider');
  /** AIC balance + ComputeMarket's pull-payment credit (the market credits the lead; the lead pays members). */
  const balances = async () => {
    const n = network();
    const { as } = createDevClients(n.chain, n.dev.deployment);
    const earned = async (who: Address) => (await as(who).balanceOf(who)) + (await marketClaimableOf(as(who), who));
    return new Map(
      await Promise.all(
        providers().map(async (p) => [getAddress(p.address), await earned(getAddress(p.address))] as const),
      ),
    );
  };

  it('places a 2-provider group, trains to the one-worker root, settles and pays the member its share', {
    timeout: JOB_MS,
  }, async () => {
    const n = network();
    const before = await balances();
    const run = await runTestJob(n, { template: 'iris', epochs: 40, commitEverySteps: 8, workers: 2, backend: 'cpu' });
    const context = run.context();
    const { jobId } = run.report;
    expect(run.report.state, context).toBe('Settled');
    const events = jobEvents(n, jobId);
    const [committed] = await events.committed();
    const [settled] = await events.settled();
    const lead = getAddress(committed!.args.provider!);
    const member = getAddress(
      providers()
        .map((p) => p.address)
        .find((a) => getAddress(a) !== lead)!,
    );
    const placed = n.lines.find((l) => l.includes('group placed') && l.includes(`"jobId":"${jobId}"`));
    expect(placed, context).toBeDefined();
    expect(placed!.toLowerCase()).toContain(member.toLowerCase());
    expect(
      n.lines.some((l) => l.includes('msmg rank started') && l.includes(`"jobId":"${jobId}"`)),
      context,
    ).toBe(true);
    expect(committed!.args.checkpointRoot).toBe(await uninterruptedRoot(n, jobId));

    const paid = settled!.args.providerPaid!;
    // equal work: each rank computed one of the 2 microbatches of every step
    const shares = workerShares(
      [
        { attempt: 0, rank: 0, account: lead, fromStep: 0, toStep: 1 },
        { attempt: 0, rank: 1, account: member, fromStep: 0, toStep: 1 },
      ],
      { microbatches: 2, workers: 2 },
      paid,
    );
    const memberShare = shares.find((s) => s.account.toLowerCase() === member.toLowerCase())!.wei;
    const after = await until('the member payout', async () => {
      const now = await balances();
      return now.get(member)! - before.get(member)! === memberShare ? now : undefined;
    });
    expect(after.get(member)! - before.get(member)!).toBe(memberShare);
    expect(after.get(lead)! - before.get(lead)!).toBe(paid - memberShare);
    // the lead logs the payouts once its transfers are mined (the balance may show them a moment before)
    await until('the payout line', async () =>
      n.lines.find((l) => l.includes('msmg members paid') && l.includes(`"jobId":"${jobId}"`)),
    );
    // `aic job status` / the API show the group and the payout, as the lead reports them
    const api = nodeApi(n.nodes.find((x) => x.role === 'requester')!);
    const status = await until('the group in the job status', async () => {
      const s = await api.jobStatus({ query: { jobId: String(jobId) } });
      return s.group?.paid ? s : undefined;
    });
    expect(status.group!.members.map((m) => getAddress(m))).toEqual([lead, member]);
    expect(status.group!.paid!.find((p) => getAddress(p.account) === member)?.wei).toBe(String(memberShare));
  });

  it('a member killed mid-job: the lead re-runs its rank, same root, the member paid for its steps', {
    timeout: JOB_MS,
  }, async () => {
    const n = network();
    const before = await balances();
    let killed: { index: number; address: Address } | undefined;
    let kill: Promise<unknown> | undefined;
    const run = await runTestJob(n, {
      template: 'iris',
      epochs: 400,
      commitEverySteps: 40,
      workers: 2,
      backend: 'cpu',
      onStatus: (s) => {
        if (kill || s.state !== 'Running' || (s.step ?? 0) < 200) return;
        const victim = providers().find((p) => getAddress(p.address) !== getAddress(s.provider))!;
        killed = { index: victim.index, address: getAddress(victim.address) };
        kill = n.kill(victim.index);
      },
    });
    const context = run.context();
    await kill;
    expect(killed, context).toBeDefined();
    const { jobId } = run.report;
    expect(run.report.state, context).toBe('Settled');
    expect(
      n.lines.some((l) => l.includes('msmg member lost') && l.includes(`"jobId":"${jobId}"`)),
      context,
    ).toBe(true);
    const [committed] = await jobEvents(n, jobId).committed();
    const [settled] = await jobEvents(n, jobId).settled();
    expect(committed!.args.checkpointRoot).toBe(await uninterruptedRoot(n, jobId));
    const lead = getAddress(committed!.args.provider!);
    const paid = settled!.args.providerPaid!;
    const line = await until('the payout line', async () =>
      n.lines.find((l) => l.includes('msmg members paid') && l.includes(`"jobId":"${jobId}"`)),
    );
    const after = await balances();
    const memberDelta = after.get(killed!.address)! - before.get(killed!.address)!;
    // paid for its steps up to the checkpoint the group resumed from: something, less than half
    expect(memberDelta, line).toBeGreaterThan(0n);
    expect(memberDelta * 2n, line).toBeLessThan(paid);
    expect(after.get(lead)! - before.get(lead)! + memberDelta).toBe(paid);
  });
});
