/**
 * The dashboards' pure readings of the chain's events: one account's earnings across compute, verification, data,
 * models, storage and PoV claims (as the contracts credit them), the rewards per epoch with the finalization a claim
 * triggers, a job's state timeline, and the incremental event index.
 */
import { describe, expect, it } from 'vitest';
import type { ChainEvent, JsonValue } from '../../src/explorer/chain-events.ts';
import { createChainIndex } from '../../src/explorer/chain-index.ts';
import { accountEarnings, cumulativeSeries } from '../../src/explorer/earnings.ts';
import { jobTimeline } from '../../src/explorer/job-timeline.ts';
import { rewardsView } from '../../src/explorer/rewards-view.ts';

const REQUESTER = '0x1000000000000000000000000000000000000001';
const PROVIDER = '0x2000000000000000000000000000000000000002';
const VERIFIER = '0x3000000000000000000000000000000000000003';
const DATA_OWNER = '0x4000000000000000000000000000000000000004';
const BUYER = '0x5000000000000000000000000000000000000005';
const STORER = '0x6000000000000000000000000000000000000006';
const PLAZA = '0x7000000000000000000000000000000000000007';
const ZERO = '0x0000000000000000000000000000000000000000';
const AIC = 10n ** 18n;

let block = 0;
function ev(contract: ChainEvent['contract'], event: string, args: Record<string, JsonValue>, tx?: string): ChainEvent {
  block++;
  return {
    contract,
    event,
    args,
    block,
    logIndex: 0,
    tx: (tx ?? `0x${block.toString(16).padStart(64, '0')}`) as `0x${string}`,
    time: 1000 + block,
  };
}
const s = (v: bigint) => v.toString();

function demoChain(): ChainEvent[] {
  block = 0;
  const buyTx = `0x${'b'.repeat(64)}`;
  return [
    ev('AssetRegistry', 'AssetMinted', {
      tokenId: '1',
      owner: DATA_OWNER,
      kind: 1,
      manifestCid: 'c1',
      contentRoot: '0x',
    }),
    ev('AssetRegistry', 'Transfer', { from: ZERO, to: DATA_OWNER, tokenId: '1' }),
    ev('AssetRegistry', 'AssetMinted', {
      tokenId: '2',
      owner: DATA_OWNER,
      kind: 2,
      manifestCid: 'c2',
      contentRoot: '0x',
    }),
    ev('ComputeMarket', 'ProviderRegistered', { provider: PROVIDER, hwClass: 2, stake: s(100n * AIC) }),
    ev('ComputeMarket', 'JobCreated', {
      jobId: '1',
      requester: REQUESTER,
      datasetId: '1',
      modelId: '2',
      specHash: '0x',
      escrow: s(50n * AIC),
    }),
    ev('ComputeMarket', 'JobEscrowed', { jobId: '1', amount: s(50n * AIC) }),
    ev('ComputeMarket', 'JobAssigned', { jobId: '1', provider: PROVIDER, price: s(30n * AIC), seed: '7' }),
    ev('ComputeMarket', 'JobStarted', { jobId: '1', provider: PROVIDER }),
    ev('ComputeMarket', 'ResultCommitted', { jobId: '1', provider: PROVIDER, checkpointRoot: '0x', resultCid: 'r' }),
    ev('ComputeMarket', 'VerdictSubmitted', { jobId: '1', verifier: VERIFIER, valid: true }),
    ev('ComputeMarket', 'JobSettled', {
      jobId: '1',
      providerPaid: s(30n * AIC),
      protocolFee: s(AIC),
      datasetFee: s(2n * AIC),
      modelFee: s(3n * AIC),
      verifierFee: s(AIC / 2n),
      refund: s(10n * AIC),
    }),
    // A PLAZA purchase of uses of the dataset: 4 AIC paid, 0.1 to the treasury, 3.9 transferred to the owner.
    ev('Plaza', 'UsesBought', { tokenId: '1', buyer: BUYER, uses: '2', paid: s(4n * AIC) }, buyTx),
    ev('AICToken', 'Transfer', { from: PLAZA, to: DATA_OWNER, value: s(39n * (AIC / 10n)) }, buyTx),
    ev('Plaza', 'UsesConsumed', { tokenId: '1', user: BUYER, uses: '1' }),
    ev('StorageMarket', 'DealProposed', {
      dealId: '1',
      client: DATA_OWNER,
      segmentRoot: '0x',
      sizeBytes: '4096',
      epochs: 3,
      escrow: s(3n * AIC),
    }),
    ev('StorageMarket', 'DealAccepted', { dealId: '1', provider: STORER, collateral: s(AIC) }),
    ev('StorageMarket', 'ChallengeAnswered', { dealId: '1', segmentIndex: 0 }),
    ev('StorageMarket', 'StoragePaid', { dealId: '1', epochs: 1, amount: s(AIC) }),
    ev('RewardsPool', 'RewardClaimed', { contributor: DATA_OWNER, amount: s(7n * AIC) }),
  ];
}

describe('accountEarnings', () => {
  it("lists a job escrowed by a fresh account this one funded first as this account's requested job, not another's", () => {
    const NODE = '0x8000000000000000000000000000000000000008';
    const PAYER = '0x9000000000000000000000000000000000000009';
    const events = demoChain();
    events.splice(
      4,
      1,
      ev('AICToken', 'Transfer', { from: NODE, to: PAYER, value: s(80n * AIC) }),
      ev('AICToken', 'Transfer', { from: BUYER, to: PAYER, value: s(AIC) }), // a later sender is not the funder
      ev('ComputeMarket', 'JobCreated', {
        jobId: '1',
        requester: PAYER,
        datasetId: '1',
        modelId: '2',
        specHash: '0x',
        escrow: s(50n * AIC),
      }),
    );
    expect(accountEarnings(events, NODE, PLAZA).gpu.jobs).toEqual([
      expect.objectContaining({ jobId: '1', role: 'requester', state: 'Settled' }),
    ]);
    expect(accountEarnings(events, BUYER, PLAZA).gpu.jobs).toEqual([]);
  });

  it("pays the provider, the verifier and the assets' owner from the settlement, as ComputeMarket credits them", () => {
    const events = demoChain();
    const provider = accountEarnings(events, PROVIDER, PLAZA);
    expect(provider.totals.compute).toBe(30n * AIC);
    expect(provider.totalWei).toBe(30n * AIC);
    expect(provider.gpu).toMatchObject({ registered: true, hwClass: 2, stakeWei: 100n * AIC });
    expect(provider.gpu.jobs).toEqual([
      { jobId: '1', role: 'provider', state: 'Settled', paidWei: 30n * AIC, lastBlock: 11 },
    ]);

    const verifier = accountEarnings(events, VERIFIER, PLAZA);
    expect(verifier.totals.verification).toBe(AIC / 2n);
    expect(verifier.gpu.jobs[0]).toMatchObject({ role: 'verifier', state: 'Settled' });

    const owner = accountEarnings(events, DATA_OWNER.toUpperCase().replace('0X', '0x'), PLAZA);
    expect(owner.totals.data).toBe(2n * AIC + 39n * (AIC / 10n)); // job usage fee + PLAZA uses net of the fee
    expect(owner.totals.model).toBe(3n * AIC);
    expect(owner.totals.rewards).toBe(7n * AIC);
    expect(owner.totals.compute).toBe(0n);
    const dataset = owner.assets.find((a) => a.tokenId === '1');
    expect(dataset).toMatchObject({ kind: 'Dataset', ownedNow: true, usesSold: 2n, usesConsumed: 1n, jobs: 1 });
    expect(owner.assets.find((a) => a.tokenId === '2')).toMatchObject({ kind: 'Model', incomeWei: 3n * AIC, jobs: 1 });
    expect(owner.items.map((i) => i.what)).toEqual([
      'job #1 used dataset #1',
      'job #1 used model #2',
      'uses of #1 on PLAZA',
      'Proof-of-Value rewards claimed',
    ]);
  });

  it('credits storage payments to the deal provider and counts the challenges it answered', () => {
    const storer = accountEarnings(demoChain(), STORER, PLAZA);
    expect(storer.totals.storage).toBe(AIC);
    expect(storer.storage.deals).toEqual([
      { dealId: '1', client: DATA_OWNER, sizeBytes: 4096n, state: 'Accepted', challengesAnswered: 1, incomeWei: AIC },
    ]);
    expect(storer.storage.challengesAnswered).toBe(1);
  });

  it('leaves a usage fee paid through Payroll to IncomeCredited (lineage shares), never counted twice', () => {
    block = 0;
    const tx = `0x${'c'.repeat(64)}`;
    const events = [
      ev('AssetRegistry', 'AssetMinted', {
        tokenId: '1',
        owner: DATA_OWNER,
        kind: 1,
        manifestCid: 'c',
        contentRoot: '0x',
      }),
      ev('AssetRegistry', 'AssetMinted', {
        tokenId: '3',
        owner: REQUESTER,
        kind: 3,
        manifestCid: 'c',
        contentRoot: '0x',
      }),
      ev('Plaza', 'UsesBought', { tokenId: '3', buyer: BUYER, uses: '1', paid: s(10n * AIC) }, tx),
      ev('Payroll', 'IncomePaid', { assetId: '3', payer: PLAZA, amount: s(9n * AIC) }, tx),
      ev('Payroll', 'IncomeCredited', { assetId: '3', beneficiary: REQUESTER, amount: s(6n * AIC) }, tx),
      ev('Payroll', 'IncomeCredited', { assetId: '1', beneficiary: DATA_OWNER, amount: s(3n * AIC) }, tx),
      ev(
        'AICToken',
        'Transfer',
        { from: PLAZA, to: '0x9999999999999999999999999999999999999999', value: s(9n * AIC) },
        tx,
      ),
    ];
    expect(accountEarnings(events, REQUESTER, PLAZA).totals.model).toBe(6n * AIC);
    const owner = accountEarnings(events, DATA_OWNER, PLAZA);
    expect(owner.totals.data).toBe(3n * AIC);
    expect(owner.items[0]?.what).toBe('income of #1 (lineage split)');
  });

  it("counts a lineage model's accrued job fee from the Payroll split of its claim, not also at settlement", () => {
    block = 0;
    const claimTx = `0x${'d'.repeat(64)}`;
    const events = [
      ev('AssetRegistry', 'AssetMinted', {
        tokenId: '1',
        owner: DATA_OWNER,
        kind: 1,
        manifestCid: 'c',
        contentRoot: '0x',
      }),
      ev('AssetRegistry', 'AssetMinted', {
        tokenId: '3',
        owner: REQUESTER,
        kind: 3,
        manifestCid: 'c',
        contentRoot: '0x',
      }),
      ev('ComputeMarket', 'JobCreated', {
        jobId: '1',
        requester: BUYER,
        datasetId: '0',
        modelId: '3',
        specHash: '0x',
        escrow: s(20n * AIC),
      }),
      ev('ComputeMarket', 'JobSettled', {
        jobId: '1',
        providerPaid: s(5n * AIC),
        protocolFee: s(0n),
        datasetFee: s(0n),
        modelFee: s(10n * AIC),
        verifierFee: s(0n),
        refund: s(0n),
      }),
    ];
    // Settled, not yet claimed: the accrued fee is the owner's claimable income.
    expect(accountEarnings(events, REQUESTER, PLAZA).totals.model).toBe(10n * AIC);
    events.push(
      ev('ComputeMarket', 'AssetFeesClaimed', { assetId: '3', owner: REQUESTER, amount: s(10n * AIC) }, claimTx),
      ev('Payroll', 'IncomePaid', { assetId: '3', payer: PLAZA, amount: s(10n * AIC) }, claimTx),
      ev('Payroll', 'IncomeCredited', { assetId: '3', beneficiary: REQUESTER, amount: s(7n * AIC) }, claimTx),
      ev('Payroll', 'IncomeCredited', { assetId: '1', beneficiary: DATA_OWNER, amount: s(3n * AIC) }, claimTx),
    );
    expect(accountEarnings(events, REQUESTER, PLAZA).totals.model).toBe(7n * AIC);
    expect(accountEarnings(events, DATA_OWNER, PLAZA).totals.data).toBe(3n * AIC);
  });

  it('pays a preempted provider its verified checkpoints and a seller its sale net of royalty and fee', () => {
    block = 0;
    const events = [
      ev('AssetRegistry', 'AssetMinted', {
        tokenId: '1',
        owner: DATA_OWNER,
        kind: 1,
        manifestCid: 'c',
        contentRoot: '0x',
      }),
      ev('ComputeMarket', 'JobCreated', {
        jobId: '5',
        requester: REQUESTER,
        datasetId: '1',
        modelId: '0',
        specHash: '0x',
        escrow: '9',
      }),
      ev('ComputeMarket', 'JobAssigned', { jobId: '5', provider: PROVIDER, price: '5', seed: '1' }),
      ev('ComputeMarket', 'JobPreempted', { jobId: '5', provider: PROVIDER, verifiedCheckpoints: 2, paid: '4' }),
      ev('Plaza', 'Sold', { tokenId: '1', seller: DATA_OWNER, buyer: BUYER, price: '100', royalty: '5', fee: '2' }),
      ev('AssetRegistry', 'Transfer', { from: DATA_OWNER, to: BUYER, tokenId: '1' }),
    ];
    const provider = accountEarnings(events, PROVIDER, PLAZA);
    expect(provider.totals.compute).toBe(4n);
    expect(provider.gpu.jobs[0]).toMatchObject({ jobId: '5', state: 'Preempted' });
    const seller = accountEarnings(events, DATA_OWNER, PLAZA);
    expect(seller.totals.data).toBe(93n);
    expect(seller.assets[0]?.ownedNow).toBe(false);
    expect(accountEarnings(events, BUYER, PLAZA).assets[0]).toMatchObject({ tokenId: '1', ownedNow: true });
  });

  it("knows an asset's kind when its mint Transfer comes before AssetMinted (as the registry emits them)", () => {
    block = 0;
    const events = [
      ev('AssetRegistry', 'Transfer', { from: ZERO, to: DATA_OWNER, tokenId: '2' }),
      ev('AssetRegistry', 'AssetMinted', {
        tokenId: '2',
        owner: DATA_OWNER,
        kind: 2,
        manifestCid: 'c',
        contentRoot: '0x',
      }),
    ];
    expect(accountEarnings(events, DATA_OWNER, PLAZA).assets).toMatchObject([
      { tokenId: '2', kind: 'Model', ownedNow: true },
    ]);
  });

  it('an account with no activity earns nothing', () => {
    const nobody = accountEarnings(demoChain(), '0x8888888888888888888888888888888888888888', PLAZA);
    expect(nobody.totalWei).toBe(0n);
    expect(nobody.items).toEqual([]);
    expect(nobody.assets).toEqual([]);
  });

  it('the chart series is cumulative per source', () => {
    const owner = accountEarnings(demoChain(), DATA_OWNER, PLAZA);
    const series = cumulativeSeries(owner.items);
    expect(series.map((p) => p.data)).toEqual([
      2n * AIC,
      2n * AIC,
      2n * AIC + 39n * (AIC / 10n),
      2n * AIC + 39n * (AIC / 10n),
    ]);
    expect(series.at(-1)?.rewards).toBe(7n * AIC);
  });
});

describe('rewardsView', () => {
  const scored = () => {
    block = 0;
    return [
      ev('RewardsPool', 'ScoreRecorded', { epoch: '0', contributor: DATA_OWNER, score: '300' }),
      ev('RewardsPool', 'ScoreRecorded', { epoch: '0', contributor: PROVIDER, score: '700' }),
      ev('RewardsPool', 'ScorePenalized', { epoch: '0', contributor: DATA_OWNER, amount: '100' }),
    ];
  };

  it('shows an applied epoch with its own rate, less the penalty applied with it, and claims what is claimable', () => {
    const rate = (1000n * AIC * AIC) / 1000n;
    const view = rewardsView(scored(), DATA_OWNER, {
      currentEpoch: 1,
      emissionPerEpochWei: 1000n * AIC,
      availableWei: 10_000n * AIC,
      claimableWei: 200n * AIC,
      account: { score: 300n, epoch: 0 },
      epochs: new Map([[0, { totalScore: 1000n, rewardPerScore: rate, emission: 1000n * AIC }]]),
    });
    expect(view.epochs).toEqual([
      { epoch: 0, score: 300n, totalScore: 1000n, status: 'finalized', rewardWei: (300n * rate) / AIC - 100n },
    ]);
    expect(view.claimNowWei).toBe(200n * AIC);
  });

  it('an epoch not yet applied pays nothing yet', () => {
    const view = rewardsView(scored(), DATA_OWNER, {
      currentEpoch: 1,
      emissionPerEpochWei: 1000n,
      availableWei: 90n,
      claimableWei: 0n,
      account: { score: 0n, epoch: 0 },
      epochs: new Map(),
    });
    expect(view.epochs[0]).toMatchObject({ status: 'ended', rewardWei: 0n });
    expect(view.claimNowWei).toBe(0n);
  });
});

describe('jobTimeline', () => {
  it('lists every event of the job with the state it leaves, and the settlement amounts', () => {
    const t = jobTimeline(demoChain(), '1');
    expect(t?.steps.map((s) => `${s.event.event}→${s.state}`)).toEqual([
      'JobCreated→Created',
      'JobEscrowed→Escrowed',
      'JobAssigned→Assigned',
      'JobStarted→Running',
      'ResultCommitted→Committed',
      'VerdictSubmitted→Verifying',
      'JobSettled→Settled',
    ]);
    expect(t?.job).toMatchObject({ requester: REQUESTER, provider: PROVIDER, verifier: VERIFIER, state: 'Settled' });
    expect(t?.settlement?.providerPaid).toBe(30n * AIC);
    expect(jobTimeline(demoChain(), '2')).toBeUndefined();
  });
});

describe('createChainIndex', () => {
  it('fetches each block range once, retries a failed range from the same block, and shares a refresh in flight', async () => {
    let head = 3n;
    const ranges: string[] = [];
    let failNext = false;
    const index = createChainIndex({
      head: async () => head,
      events: async (from, to) => {
        ranges.push(`${from}-${to}`);
        if (failNext) {
          failNext = false;
          throw new Error('rpc down');
        }
        return [];
      },
    });
    const [a, b] = await Promise.all([index.refresh(), index.refresh()]);
    expect(a).toBe(b);
    expect(a.head).toBe(3);
    head = 7n;
    failNext = true;
    await expect(index.refresh()).rejects.toThrow('rpc down');
    expect((await index.refresh()).head).toBe(7);
    expect(ranges).toEqual(['0-3', '4-7', '4-7']);
  });
});
