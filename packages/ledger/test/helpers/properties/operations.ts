/**
 * Random operations across token, registry, PLAZA, Payroll, market and rewards. Each takes four random naturals
 * and turns them into a plausible call from the current state; a refused call is fine (counted), the invariants
 * are what must hold after it.
 */
import { type Address, keccak256, toHex } from 'viem';
import { computeMarketAbi } from '../../../src/artifacts/index.ts';
import { AssetKind, HardwareClass, JobState } from '../../../src/types.ts';
import { AIC, NO_PERMIT_ARGS, pick, recordMarketReceipt, rememberVerifierFee, send, type World } from './world.ts';

export interface Op {
  kind: OpKind;
  a: number;
  b: number;
  c: number;
  d: number;
}

type Handler = (w: World, op: Op) => Promise<void>;

const ledger = (w: World, who: Address) => w.f.as(who);
const C = (w: World) => w.f.deployment.contracts;
const marketSend = async (w: World, from: Address, fn: string, args: readonly unknown[]) =>
  recordMarketReceipt(w, await send(w, from, C(w).ComputeMarket, computeMarketAbi, fn, args));

async function jobsIn(w: World, states: number[]): Promise<bigint[]> {
  for (const id of w.dirty) {
    w.jobStates.set(id, (await ledger(w, w.requesters[0]!).market.read.jobOf([id])).state);
  }
  w.dirty.clear();
  return [...w.jobStates].filter(([, state]) => states.includes(state)).map(([id]) => id);
}

async function withJob(w: World, states: number[], n: number, act: (id: bigint) => Promise<void>): Promise<void> {
  const ids = await jobsIn(w, states);
  if (ids.length > 0) await act(pick(ids, n));
}

const LIVE = [JobState.Assigned, JobState.Running, JobState.Reassigned];

async function someVerifierDrawable(w: World): Promise<boolean> {
  const market = ledger(w, w.requesters[0]!).market;
  const { minStake } = await market.read.verifierTerms();
  for (const v of w.f.roles.verifiers) {
    const record = await market.read.verifierOf([v]);
    if (record.registered && record.exitAt === 0 && record.stake >= minStake) return true;
  }
  return false;
}

export const OPERATIONS = {
  async transfer(w, { a, b, c }) {
    const from = pick(w.everyone, a);
    const balance = await ledger(w, from).balanceOf(from);
    await send(w, from, C(w).AICToken, ledger(w, from).token.abi, 'transfer', [
      pick(w.everyone, b),
      (balance * BigInt(c % 100)) / 1000n,
    ]);
  },
  async mintAsset(w, { a, b, c, d }) {
    const kinds = [AssetKind.Dataset, AssetKind.Model, AssetKind.TrainedAI, AssetKind.Data];
    const kind = pick(kinds, b);
    const parents = w.assets.length > 0 && kind === AssetKind.TrainedAI ? [pick(w.assets, c), pick(w.assets, d)] : [];
    const lineage = [...new Map(parents.map((p) => [p.id, p])).values()].map((p, i) => ({
      parentId: p.id,
      shareBps: 1_000 + ((c + i * 997) % 4_000),
    }));
    const owner = pick(w.owners, a);
    const receipt = await send(w, owner, C(w).AssetRegistry, ledger(w, owner).registry.abi, 'mint', [
      {
        kind,
        manifestCid: `bafy-${w.assets.length}`,
        contentRoot: keccak256(toHex(w.assets.length)),
        pricePerUse: AIC(String(1 + (d % 20))),
        licenseId: 0,
        lineage,
        royaltyReceiver: owner,
        royaltyBps: BigInt(c % 2_000),
      },
    ]);
    if (receipt) w.assets.push({ id: BigInt(w.assets.length + 1), kind });
  },
  async transferAsset(w, { a, b }) {
    if (w.assets.length === 0) return;
    const { id } = pick(w.assets, a);
    const owner = await ledger(w, w.owners[0]!).registry.read.ownerOf([id]);
    await send(w, owner, C(w).AssetRegistry, ledger(w, owner).registry.abi, 'transferFrom', [
      owner,
      pick(w.everyone, b),
      id,
    ]);
  },
  async listAndBuy(w, { a, b, c }) {
    if (w.assets.length === 0) return;
    const { id } = pick(w.assets, a);
    const owner = await ledger(w, w.owners[0]!).registry.read.ownerOf([id]);
    const price = AIC(String(1 + (c % 500)));
    await send(w, owner, C(w).Plaza, ledger(w, owner).plaza.abi, 'listForSale', [id, price]);
    await send(w, pick(w.traders, b), C(w).Plaza, ledger(w, owner).plaza.abi, 'buy', [id, price, NO_PERMIT_ARGS]);
  },
  async buyUses(w, { a, b, c }) {
    if (w.assets.length === 0) return;
    const buyer = pick(w.everyone, b);
    await send(w, buyer, C(w).Plaza, ledger(w, buyer).plaza.abi, 'buyUses', [
      pick(w.assets, a).id,
      BigInt(1 + (c % 5)),
      AIC('1000'),
      NO_PERMIT_ARGS,
    ]);
  },
  async payroll(w, { a, b, c }) {
    if (w.assets.length === 0) return;
    const payer = pick(w.everyone, b);
    await send(w, payer, C(w).Payroll, ledger(w, payer).payroll.abi, 'pay', [
      pick(w.assets, a).id,
      AIC(String(c % 50)),
      NO_PERMIT_ARGS,
    ]);
    const beneficiary = pick(w.everyone, c);
    await send(w, beneficiary, C(w).Payroll, ledger(w, beneficiary).payroll.abi, 'withdraw', []);
  },
  async createJob(w, { a, b, c, d }) {
    const datasets = w.assets.filter((x) => x.kind === AssetKind.Dataset || x.kind === AssetKind.Data);
    const models = w.assets.filter((x) => x.kind === AssetKind.Model || x.kind === AssetKind.TrainedAI);
    const requester = pick(w.requesters, a);
    const now = (await w.f.publicClient.getBlock()).timestamp;
    const request = {
      datasetId: datasets.length > 0 && b % 3 !== 0 ? Number(pick(datasets, b).id) : 0,
      modelId: models.length > 0 && c % 3 !== 0 ? Number(pick(models, c).id) : 0,
      providerBudget: AIC(String(10 + (d % 300))),
      verifierFee: AIC(String(d % 7)),
      minHwClass: d % 2 === 0 ? HardwareClass.Cpu : HardwareClass.DatacenterGpu,
      checkpointCount: 1 + (c % 20),
      deadline: Number(now) + 3_600 + (b % 7_200),
      specHash: keccak256(toHex(`spec-${w.jobs.size}`)),
    };
    const fn = a % 5 === 0 ? 'createJob' : 'createAndFundJob';
    const args = fn === 'createJob' ? [request] : [request, NO_PERMIT_ARGS];
    const id = BigInt(w.jobs.size + 1);
    const receipt = await send(w, requester, C(w).ComputeMarket, computeMarketAbi, fn, args);
    if (receipt) {
      const params = await ledger(w, requester).market.read.params();
      w.jobs.set(id, { funded: 0n, paidOut: 0n, feeBps: BigInt(params[0].protocolFeeBps) });
      rememberVerifierFee(id, request.verifierFee);
      recordMarketReceipt(w, receipt);
    }
  },
  async fundJob(w, { a }) {
    await withJob(w, [JobState.Created], a, async (id) => {
      const job = await ledger(w, w.requesters[0]!).market.read.jobOf([id]);
      await marketSend(w, job.requester, 'fundJob', [id, NO_PERMIT_ARGS]);
    });
  },
  async assign(w, { a, b }) {
    await withJob(w, [JobState.Escrowed, JobState.Preempted], a, async (id) => {
      await w.f.testClient.mine({ blocks: 1 });
      const job = await ledger(w, w.requesters[0]!).market.read.jobOf([id]);
      const fn = job.state === JobState.Escrowed ? 'assignJob' : 'reassignJob';
      // Anyone proposes any registered provider; eligibility and the seeded shortlist are the contract's call.
      const registered = [];
      for (const p of w.providers) if ((await ledger(w, p).market.read.providerOf([p])).registered) registered.push(p);
      if (registered.length > 0) await marketSend(w, w.requesters[0]!, fn, [id, pick(registered, b)]);
    });
  },
  async start(w, { a }) {
    await withJob(w, [JobState.Assigned, JobState.Reassigned], a, async (id) => {
      const job = await ledger(w, w.requesters[0]!).market.read.jobOf([id]);
      await marketSend(w, job.provider, 'startJob', [id]);
    });
  },
  async commit(w, { a }) {
    await withJob(w, LIVE, a, async (id) => {
      const job = await ledger(w, w.requesters[0]!).market.read.jobOf([id]);
      await marketSend(w, job.provider, 'commitResult', [id, keccak256(toHex(`root-${id}`)), `bafy-result-${id}`]);
    });
  },
  async verdict(w, { a, b }) {
    await withJob(w, [JobState.Committed], a, async (id) => {
      await w.f.testClient.mine({ blocks: 2 });
      // Slashes may have left every verifier below the minimum: none is drawable (designatedVerifier reverts
      // NoVerifiers) until one tops up, which drainAndCheck does at the end.
      if (!(await someVerifierDrawable(w))) return;
      const verifier = await ledger(w, w.requesters[0]!).market.read.designatedVerifier([id]);
      await marketSend(w, verifier, 'submitVerdict', [id, b % 4 !== 0]);
    });
  },
  async challenge(w, { a, b }) {
    await withJob(w, [JobState.Verifying], a, async (id) =>
      marketSend(w, pick(w.f.roles.verifiers, b), 'challengeResult', [id]),
    );
  },
  async resolve(w, { a, b }) {
    await withJob(w, [JobState.Disputed], a, async (id) =>
      marketSend(w, w.f.roles.arbiter, 'resolveDispute', [id, b % 2 === 0, pick(w.f.roles.verifiers, b)]),
    );
  },
  async settle(w, { a, b }) {
    await withJob(w, [JobState.Verifying], a, async (id) => {
      if (b % 2 === 0) await w.f.testClient.increaseTime({ seconds: 61 });
      await marketSend(w, pick(w.everyone, b), 'settleJob', [id]);
    });
  },
  async preempt(w, { a, b }) {
    await withJob(w, LIVE, a, async (id) => {
      const job = await ledger(w, w.requesters[0]!).market.read.jobOf([id]);
      const span = job.checkpointCount - job.resumeFrom;
      // The requester preempts at the checkpoints it attests (no key: ComputeMarket.preemptJob's rule).
      await marketSend(w, job.requester, 'preemptJob', [id, job.resumeFrom + (span > 0 ? b % span : 0)]);
    });
  },
  async expireAndRefund(w, { a, b }) {
    await withJob(w, [JobState.Created, JobState.Escrowed, ...LIVE, JobState.Preempted], a, async (id) => {
      const job = await ledger(w, w.requesters[0]!).market.read.jobOf([id]);
      await marketSend(w, b % 3 === 0 ? pick(w.everyone, b) : job.requester, 'expireJob', [id]);
    });
    await withJob(w, [JobState.Expired], b, async (id) => marketSend(w, pick(w.everyone, a), 'refundJob', [id]));
  },
  async stake(w, { a, b, c }) {
    const provider = pick(w.providers, a);
    const info = await ledger(w, provider).market.read.providerOf([provider]);
    if (!info.registered)
      await marketSend(w, provider, 'registerProvider', [b % 5, AIC(String(5_000 + c)), NO_PERMIT_ARGS]);
    else if (b % 2 === 0) await marketSend(w, provider, 'addStake', [AIC(String(c % 100)), NO_PERMIT_ARGS]);
    else await marketSend(w, provider, 'withdrawStake', [b % 4 === 1 ? info.stake : AIC(String(c % 100))]);
  },
  async time(w, { a }) {
    await w.f.testClient.increaseTime({ seconds: a % 5_400 });
    await w.f.testClient.mine({ blocks: 1 });
  },
  async rewards(w, { a, b, c }) {
    // Raters stake, propose (mostly the epoch's one "true" set, sometimes another), apply, skip, unstake; anyone claims.
    const pool = C(w).RewardsPool;
    const rater = pick(w.everyone, a);
    const rewards = ledger(w, rater).rewards;
    const abi = rewards.abi;
    if (c % 3 === 0) await send(w, rater, pool, abi, 'stakeAsRater', [AIC(String(100 + (b % 900))), NO_PERMIT_ARGS]);
    const epoch = await rewards.read.nextEpochToApply();
    const lie = b % 5 === 0;
    const who = [pick(w.everyone, Number(epoch)), pick(w.everyone, Number(epoch) + 1)].sort();
    const set = {
      contributors: lie ? [rater] : who,
      scores: lie ? [BigInt(1 + (c % 1000))] : [1n + epoch, 2n + epoch],
      penalized: c % 4 === 0 ? [pick(w.everyone, c)] : [],
      penalties: c % 4 === 0 ? [AIC(String(c % 50))] : [],
    };
    await send(w, rater, pool, abi, 'proposeScores', [epoch, set]);
    await send(w, pick(w.everyone, b), pool, abi, 'applyScores', [epoch, set]);
    if (a % 7 === 0) await send(w, rater, pool, abi, 'skipEpoch', [epoch]);
    if (b % 6 === 0) await send(w, rater, pool, abi, 'unstakeAsRater', [AIC(String(c % 300))]);
    await send(w, pick(w.everyone, c), pool, abi, 'claim', []);
  },
} satisfies Record<string, Handler>;

export type OpKind = keyof typeof OPERATIONS;
export const OP_KINDS = Object.keys(OPERATIONS) as OpKind[];

export async function runOp(w: World, op: Op): Promise<void> {
  await OPERATIONS[op.kind](w, op);
  w.stats.ops++;
  w.stats.byKind[op.kind] = (w.stats.byKind[op.kind] ?? 0) + 1;
}
