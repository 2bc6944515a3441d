/**
 * The world a property-test run acts on: named actors, the contracts, a probe, and a small model of what exists
 * (assets, jobs and how much each job was funded and has paid out), kept in step with the chain from receipts.
 */
import { aicToWei } from '@aic/core';
import {
  type Abi,
  type Address,
  decodeEventLog,
  encodeFunctionData,
  type Hex,
  maxUint256,
  type TransactionReceipt,
} from 'viem';
import { computeMarketAbi } from '../../../src/artifacts/index.ts';
import { eventsOf } from '../../../src/client.ts';
import { decodeRevert } from '../../../src/errors.ts';
import { HardwareClass } from '../../../src/types.ts';
import * as LedgerProbe from '../../artifacts/LedgerProbe.ts';
import type { Fixture } from '../fixture.ts';

export interface JobModel {
  funded: bigint;
  paidOut: bigint;
  feeBps: bigint;
  /** Price of the current assignment (JobAssigned / JobReassigned), for the protocol fee a preemption pays. */
  price?: bigint;
}

export interface World {
  f: Fixture;
  probe: Address;
  requesters: Address[];
  providers: Address[];
  owners: Address[];
  traders: Address[];
  everyone: Address[];
  /** Every address that can ever hold AIC in these runs. */
  holders: Address[];
  assets: Array<{ id: bigint; kind: number }>;
  jobs: Map<bigint, JobModel>;
  /** Last known state of each job; ids in `dirty` were touched since and are re-read before use. */
  jobStates: Map<bigint, number>;
  dirty: Set<bigint>;
  stats: { ops: number; reverted: number; byKind: Record<string, number>; events: Record<string, number> };
}

export const AIC = aicToWei;

/** Deploys the probe, approves every contract for every user and registers two providers. */
export async function createWorld(f: Fixture): Promise<World> {
  const users = f.roles.users;
  const requesters = users.slice(0, 4);
  const providers = users.slice(4, 8);
  const owners = users.slice(8, 12);
  const traders = users.slice(12, 16);
  const everyone = users.slice(0, 16);
  const hash = await f
    .as(f.roles.admin)
    .walletClient!.deployContract({ abi: LedgerProbe.abi, bytecode: LedgerProbe.bytecode });
  const probe = (await f.publicClient.getTransactionReceipt({ hash })).contractAddress!;
  const c = f.deployment.contracts;
  const world: World = {
    f,
    probe,
    requesters,
    providers,
    owners,
    traders,
    everyone,
    holders: [...f.chain.accounts, ...Object.values(c), probe],
    assets: [],
    jobs: new Map(),
    jobStates: new Map(),
    dirty: new Set(),
    stats: { ops: 0, reverted: 0, byKind: {}, events: {} },
  };
  for (const user of everyone) {
    for (const spender of [c.ComputeMarket, c.Plaza, c.Payroll, c.RewardsPool]) {
      await send(world, user, c.AICToken, f.as(user).token.abi, 'approve', [spender, maxUint256]);
    }
    await send(world, user, c.AssetRegistry, f.as(user).registry.abi, 'setApprovalForAll', [c.Plaza, true]);
  }
  for (const p of providers.slice(0, 2)) {
    await send(world, p, c.ComputeMarket, computeMarketAbi, 'registerProvider', [
      HardwareClass.DatacenterGpu,
      AIC('6000'),
      NO_PERMIT_ARGS,
    ]);
  }
  return world;
}

export const NO_PERMIT_ARGS = {
  value: 0n,
  deadline: 0n,
  v: 0,
  r: `0x${'00'.repeat(32)}` as Hex,
  s: `0x${'00'.repeat(32)}` as Hex,
};

/**
 * Sends a transaction as `from`. Returns the receipt, or undefined when the call reverted (random operations may
 * legitimately be refused); any other failure is a harness bug and is thrown.
 */
export async function send(
  w: World,
  from: Address,
  to: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
): Promise<TransactionReceipt | undefined> {
  const data = encodeFunctionData({ abi, functionName, args } as never);
  try {
    const hash = (await w.f.chain.provider.request({
      method: 'eth_sendTransaction',
      params: [{ from, to, data, gas: '0x1c9c380' }],
    } as never)) as Hex;
    const receipt = await w.f.publicClient.getTransactionReceipt({ hash });
    if (receipt.status !== 'success') {
      w.stats.reverted++;
      return undefined;
    }
    return receipt;
  } catch (error) {
    if (decodeRevert(error) || /revert|VM Exception/i.test(String(error))) {
      w.stats.reverted++;
      return undefined;
    }
    throw error;
  }
}

/** Attributes the escrow outflows a market receipt shows to their jobs (for "no job pays out more than it escrowed"). */
export function recordMarketReceipt(w: World, receipt: TransactionReceipt | undefined): void {
  if (!receipt) return;
  const market = w.f.deployment.contracts.ComputeMarket;
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== market.toLowerCase()) continue;
    try {
      const { args, eventName } = decodeEventLog({ abi: computeMarketAbi, data: log.data, topics: log.topics });
      w.stats.events[eventName] = (w.stats.events[eventName] ?? 0) + 1;
      if (args && typeof args === 'object' && 'jobId' in args) w.dirty.add(args.jobId as bigint);
    } catch {
      // not a market event (cannot happen for the market's own logs)
    }
  }
  for (const e of eventsOf(receipt, market, computeMarketAbi, 'JobEscrowed')) {
    const job = w.jobs.get(e.args.jobId);
    if (job) job.funded += e.args.amount;
  }
  for (const e of [
    ...eventsOf(receipt, market, computeMarketAbi, 'JobAssigned'),
    ...eventsOf(receipt, market, computeMarketAbi, 'JobReassigned'),
  ]) {
    const job = w.jobs.get(e.args.jobId);
    if (job) job.price = e.args.price;
  }
  for (const e of eventsOf(receipt, market, computeMarketAbi, 'JobSettled')) {
    const a = e.args;
    add(w, a.jobId, a.providerPaid + a.protocolFee + a.datasetFee + a.modelFee + a.verifierFee + a.refund);
  }
  for (const e of eventsOf(receipt, market, computeMarketAbi, 'JobPreempted')) {
    // The protocol fee a preemption pays is what the job stops owing: fee(price) − fee(price − paid) (the escrow is
    // derived from what the job owes, so it drops by exactly the payout).
    const job = w.jobs.get(e.args.jobId);
    const [price, bps] = [job?.price ?? 0n, job?.feeBps ?? 0n];
    const fee = (price * bps) / 10_000n - ((price - e.args.paid) * bps) / 10_000n;
    add(w, e.args.jobId, e.args.paid + fee);
  }
  const slashed = new Set(eventsOf(receipt, market, computeMarketAbi, 'ProviderSlashed').map((e) => e.args.jobId));
  for (const e of eventsOf(receipt, market, computeMarketAbi, 'JobRefunded')) {
    // A slash refunds all but the verifier fee, which goes to the verifier out of the same escrow.
    const extra = slashed.has(e.args.jobId) ? verifierFeeOf(w, e.args.jobId) : 0n;
    add(w, e.args.jobId, e.args.amount + extra);
  }
}

const verifierFees = new Map<bigint, bigint>();
export function rememberVerifierFee(jobId: bigint, fee: bigint): void {
  verifierFees.set(jobId, fee);
}
function verifierFeeOf(_w: World, jobId: bigint): bigint {
  return verifierFees.get(jobId) ?? 0n;
}

function add(w: World, jobId: bigint, amount: bigint): void {
  const job = w.jobs.get(jobId);
  if (job) job.paidOut += amount;
}

export function pick<T>(items: readonly T[], n: number): T {
  const item = items[n % items.length];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}
