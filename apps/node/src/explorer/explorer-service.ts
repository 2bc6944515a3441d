/**
 * The read-only chain views behind `/v1/explorer/*` and `/v1/accounts/*`: the node's event index (chain-index.ts)
 * plus a few direct reads (blocks, transactions, balances, the registry and the RewardsPool). Unknown ids are
 * EXPLORER_NOT_FOUND (404); a search text that is no block number, hash, id or address is EXPLORER_QUERY_INVALID.
 */
import { AicError } from '@aic/core';
import { artifacts, type ContractName, type LedgerClient } from '@aic/ledger';
import { type Abi, decodeFunctionData, type Hex } from 'viem';
import type { z } from 'zod';
import {
  type AccountEarningsBody,
  type AccountRewardsBody,
  EXPLORER_EVENTS_MAX,
  type explorerAccountSchema,
  type explorerAssetSchema,
  type explorerBlockSchema,
  type explorerBlocksSchema,
  type explorerEpochsSchema,
  type explorerJobSchema,
  type explorerJobsSchema,
  type explorerSearchSchema,
  type explorerTxSchema,
} from '../api/explorer-schemas.ts';
import { type ChainEvent, fetchChainEvents, jsonSafe } from './chain-events.ts';
import { chainFacts, type JobFacts, text } from './chain-facts.ts';
import { type ChainIndex, createChainIndex } from './chain-index.ts';
import { accountEarnings, cumulativeSeries, INCOME_SOURCES } from './earnings.ts';
import { eventConcernsAsset, eventTouches, jobTimeline } from './job-timeline.ts';
import { type EpochRecord, rewardsView } from './rewards-view.ts';

type Out<S extends z.ZodType> = z.output<S>;

/** Most income items and chart points one earnings answer carries (the newest are kept). */
const EARNINGS_ITEMS_MAX = 500;

export interface ExplorerService {
  earnings(address: Hex): Promise<AccountEarningsBody>;
  rewards(address: Hex): Promise<AccountRewardsBody>;
  blocks(query: { before?: number | undefined; limit: number }): Promise<Out<typeof explorerBlocksSchema>>;
  block(number: number): Promise<Out<typeof explorerBlockSchema>>;
  tx(hash: Hex): Promise<Out<typeof explorerTxSchema>>;
  job(jobId: string): Promise<Out<typeof explorerJobSchema>>;
  jobs(query: { offset: number; limit: number }): Promise<Out<typeof explorerJobsSchema>>;
  account(address: Hex): Promise<Out<typeof explorerAccountSchema>>;
  asset(tokenId: string): Promise<Out<typeof explorerAssetSchema>>;
  epochs(): Promise<Out<typeof explorerEpochsSchema>>;
  search(q: string): Promise<Out<typeof explorerSearchSchema>>;
}

const notFound = (what: string, details: Record<string, unknown>) =>
  new AicError('EXPLORER_NOT_FOUND', `${what} is not on this chain`, { details });

const newestFirst = (events: readonly ChainEvent[]) => events.slice(-EXPLORER_EVENTS_MAX).reverse();

export function createExplorerService(client: () => Promise<LedgerClient>): ExplorerService {
  let index: ChainIndex | undefined;
  const snapshot = async () => {
    const ledger = await client();
    index ??= createChainIndex({
      head: () => ledger.publicClient.getBlockNumber(),
      events: (from, to) => fetchChainEvents(ledger, from, to),
    });
    return { ledger, ...(await index.refresh()) };
  };

  const jobSummary = (job: JobFacts) => ({
    jobId: job.jobId,
    state: job.state,
    requester: job.requester,
    provider: job.provider ?? null,
    verifier: job.verifier ?? null,
    datasetId: job.datasetId,
    modelId: job.modelId,
    escrowWei: job.escrowWei.toString(),
    createdBlock: job.createdBlock,
    lastBlock: job.lastBlock,
  });

  const epochRecords = async (ledger: LedgerClient, events: readonly ChainEvent[]) => {
    const scored = new Map<number, Set<string>>();
    for (const e of events) {
      if (e.contract === 'RewardsPool' && e.event === 'ScoreRecorded') {
        const epoch = Number(text(e, 'epoch'));
        scored.set(epoch, (scored.get(epoch) ?? new Set()).add(text(e, 'contributor').toLowerCase()));
      }
    }
    const records = new Map<number, EpochRecord>();
    for (const epoch of scored.keys()) {
      const info = await ledger.rewards.read.epochInfo([BigInt(epoch)]);
      records.set(epoch, { totalScore: info.totalScore, rewardPerScore: info.rewardPerScore, emission: info.emission });
    }
    return { records, scored };
  };

  const schedule = async (ledger: LedgerClient) => {
    const [[genesis, epochDurationSec, emissionPerEpochWei], currentEpoch] = await Promise.all([
      ledger.rewards.read.schedule(),
      ledger.rewards.read.currentEpoch(),
    ]);
    return { genesis: Number(genesis), epochDurationSec, emissionPerEpochWei, currentEpoch: Number(currentEpoch) };
  };

  const readBlock = async (ledger: LedgerClient, number: number, events: readonly ChainEvent[]) => {
    const block = await ledger.publicClient.getBlock({ blockNumber: BigInt(number) });
    return {
      number,
      hash: block.hash ?? '',
      parentHash: block.parentHash,
      time: Number(block.timestamp),
      txCount: block.transactions.length,
      gasUsed: block.gasUsed.toString(),
      aicEvents: events.filter((e) => e.block === number).length,
      transactions: block.transactions.slice(0, EXPLORER_EVENTS_MAX) as string[],
    };
  };

  return {
    async earnings(address) {
      const { ledger, events, head } = await snapshot();
      const e = accountEarnings(events, address, ledger.deployment.contracts.Plaza);
      const series = cumulativeSeries(e.items).slice(-EARNINGS_ITEMS_MAX);
      const totalsText = (t: Record<(typeof INCOME_SOURCES)[number], bigint>) =>
        Object.fromEntries(INCOME_SOURCES.map((s) => [s, t[s].toString()])) as Record<
          (typeof INCOME_SOURCES)[number],
          string
        >;
      return {
        address,
        head,
        totals: totalsText(e.totals),
        totalWei: e.totalWei.toString(),
        items: e.items.slice(-EARNINGS_ITEMS_MAX).map((i) => ({ ...i, amountWei: i.amountWei.toString() })),
        series: series.map((p) => ({ time: p.time, block: p.block, ...totalsText(p) })),
        gpu: {
          registered: e.gpu.registered,
          hwClass: e.gpu.hwClass,
          stakeWei: e.gpu.stakeWei.toString(),
          slashedWei: e.gpu.slashedWei.toString(),
          jobs: e.gpu.jobs.map((j) => ({ ...j, paidWei: j.paidWei.toString() })),
        },
        assets: e.assets.map((a) => ({
          ...a,
          usesSold: a.usesSold.toString(),
          usesConsumed: a.usesConsumed.toString(),
          incomeWei: a.incomeWei.toString(),
        })),
        storage: {
          deals: e.storage.deals.map((d) => ({
            ...d,
            sizeBytes: d.sizeBytes.toString(),
            incomeWei: d.incomeWei.toString(),
          })),
          challengesAnswered: e.storage.challengesAnswered,
          slashedWei: e.storage.slashedWei.toString(),
        },
      };
    },

    async rewards(address) {
      const { ledger, events } = await snapshot();
      const [s, { records }, available, claimable, account] = await Promise.all([
        schedule(ledger),
        epochRecords(ledger, events),
        ledger.rewards.read.available(),
        ledger.rewards.read.claimable([address]),
        ledger.rewards.read.accountOf([address]),
      ]);
      const view = rewardsView(events, address, {
        currentEpoch: s.currentEpoch,
        emissionPerEpochWei: s.emissionPerEpochWei,
        availableWei: available,
        claimableWei: claimable,
        account: { score: account.score, epoch: Number(account.epoch) },
        epochs: records,
      });
      return {
        address,
        contract: ledger.deployment.contracts.RewardsPool,
        currentEpoch: s.currentEpoch,
        genesis: s.genesis,
        epochDurationSec: s.epochDurationSec,
        emissionPerEpochWei: s.emissionPerEpochWei.toString(),
        claimedWei: view.claimedWei.toString(),
        claimNowWei: view.claimNowWei.toString(),
        epochs: view.epochs.map((r) => ({
          ...r,
          score: r.score.toString(),
          totalScore: r.totalScore.toString(),
          rewardWei: r.rewardWei.toString(),
        })),
      };
    },

    async blocks({ before, limit }) {
      const { ledger, events, head } = await snapshot();
      const top = Math.min(head, before === undefined ? head : before - 1);
      const numbers = Array.from({ length: Math.max(0, Math.min(limit, top + 1)) }, (_, i) => top - i);
      const blocks = await Promise.all(numbers.map((n) => readBlock(ledger, n, events)));
      return { head, blocks: blocks.map(({ transactions: _t, parentHash: _p, ...summary }) => summary) };
    },

    async block(number) {
      const { ledger, events, head } = await snapshot();
      if (number > head) throw notFound(`block ${number}`, { number, head });
      return { ...(await readBlock(ledger, number, events)), events: events.filter((e) => e.block === number) };
    },

    async tx(hash) {
      const { ledger, events } = await snapshot();
      const [tx, receipt] = await Promise.all([
        ledger.publicClient.getTransaction({ hash }).catch(() => undefined),
        ledger.publicClient.getTransactionReceipt({ hash }).catch(() => undefined),
      ]);
      if (tx === undefined || receipt === undefined) throw notFound(`transaction ${hash}`, { hash });
      const contract = contractAt(ledger, tx.to);
      let method: string | null = null;
      let args: unknown[] = [];
      if (contract !== null) {
        try {
          const call = decodeFunctionData({ abi: artifacts[contract].abi as Abi, data: tx.input });
          method = call.functionName;
          args = (jsonSafe(call.args ?? []) as unknown[]) ?? [];
        } catch {
          method = null; // a call no AIC ABI declares: shown as raw
        }
      }
      const block = await ledger.publicClient.getBlock({ blockNumber: receipt.blockNumber });
      return {
        hash,
        block: Number(receipt.blockNumber),
        time: Number(block.timestamp),
        from: tx.from,
        to: tx.to ?? null,
        contract,
        method,
        args,
        status: receipt.status,
        gasUsed: receipt.gasUsed.toString(),
        valueWei: tx.value.toString(),
        events: events.filter((e) => e.tx.toLowerCase() === hash.toLowerCase()),
      };
    },

    async job(jobId) {
      const { events } = await snapshot();
      const timeline = jobTimeline(events, jobId);
      if (timeline === undefined) throw notFound(`job #${jobId}`, { jobId });
      const s = timeline.settlement;
      return {
        ...jobSummary(timeline.job),
        settlement:
          s === undefined
            ? null
            : {
                providerPaid: s.providerPaid.toString(),
                protocolFee: s.protocolFee.toString(),
                datasetFee: s.datasetFee.toString(),
                modelFee: s.modelFee.toString(),
                verifierFee: s.verifierFee.toString(),
                refund: s.refund.toString(),
              },
        timeline: timeline.steps.map(({ event, state }) => ({ ...event, state })),
      };
    },

    async jobs({ offset, limit }) {
      const { events } = await snapshot();
      const all = [...chainFacts(events).jobs.values()].reverse();
      return { total: all.length, jobs: all.slice(offset, offset + limit).map(jobSummary) };
    },

    async account(address) {
      const { ledger, events } = await snapshot();
      const me = address.toLowerCase();
      const facts = chainFacts(events);
      const [aicWei, nativeWei] = await Promise.all([
        ledger.balanceOf(address),
        ledger.publicClient.getBalance({ address }),
      ]);
      const touching = events.filter((e) => eventTouches(e, me));
      const jobs = [...facts.jobs.values()].flatMap((job) =>
        (['requester', 'provider', 'verifier'] as const)
          .filter((role) => job[role] === me)
          .map((role) => ({ jobId: job.jobId, role, state: job.state })),
      );
      return {
        address,
        aicWei: aicWei.toString(),
        nativeWei: nativeWei.toString(),
        assets: [...facts.assets.values()]
          .filter((a) => a.owner === me)
          .map((a) => ({ tokenId: a.tokenId, kind: a.kind })),
        jobs: jobs.reverse(),
        eventCount: touching.length,
        events: newestFirst(touching),
      };
    },

    async asset(tokenId) {
      const { ledger, events } = await snapshot();
      const facts = chainFacts(events).assets.get(tokenId);
      if (facts === undefined) throw notFound(`asset #${tokenId}`, { tokenId });
      const id = BigInt(tokenId);
      const [asset, lineage] = await Promise.all([
        ledger.registry.read.assetOf([id]),
        ledger.registry.read.lineageOf([id]),
      ]);
      return {
        tokenId,
        kind: facts.kind,
        owner: facts.owner,
        pricePerUseWei: asset.pricePerUse.toString(),
        contentRoot: asset.contentRoot,
        manifestCid: asset.manifestCid,
        lineage: lineage.map((l) => ({ parentId: l.parentId.toString(), shareBps: l.shareBps })),
        events: newestFirst(events.filter((e) => eventConcernsAsset(e, tokenId))),
      };
    },

    async epochs() {
      const { ledger, events } = await snapshot();
      const [s, { records, scored }] = await Promise.all([schedule(ledger), epochRecords(ledger, events)]);
      return {
        contract: ledger.deployment.contracts.RewardsPool,
        currentEpoch: s.currentEpoch,
        genesis: s.genesis,
        epochDurationSec: s.epochDurationSec,
        emissionPerEpochWei: s.emissionPerEpochWei.toString(),
        epochs: [...records]
          .sort(([a], [b]) => b - a)
          .map(([epoch, r]) => ({
            epoch,
            totalScore: r.totalScore.toString(),
            emission: r.emission.toString(),
            finalized: r.rewardPerScore > 0n || r.emission > 0n,
            contributors: scored.get(epoch)?.size ?? 0,
          })),
      };
    },

    async search(raw) {
      const q = raw.trim();
      const { ledger, events, head } = await snapshot();
      const matches: Array<{ kind: 'block' | 'tx' | 'job' | 'asset' | 'account'; id: string; label: string }> = [];
      if (/^#?[0-9]{1,20}$/.test(q)) {
        const n = q.replace('#', '').replace(/^0+(?=\d)/, '');
        const facts = chainFacts(events);
        if (Number(n) <= head) matches.push({ kind: 'block', id: n, label: `block ${n}` });
        if (facts.jobs.has(n)) matches.push({ kind: 'job', id: n, label: `job #${n}` });
        if (facts.assets.has(n)) matches.push({ kind: 'asset', id: n, label: `${facts.assets.get(n)!.kind} #${n}` });
      } else if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
        const hash = q as Hex;
        const tx = await ledger.publicClient.getTransaction({ hash }).catch(() => undefined);
        if (tx !== undefined) matches.push({ kind: 'tx', id: hash, label: `transaction ${hash}` });
        else {
          const block = await ledger.publicClient.getBlock({ blockHash: hash }).catch(() => undefined);
          if (block !== undefined) {
            matches.push({ kind: 'block', id: String(block.number), label: `block ${block.number}` });
          }
        }
      } else if (/^0x[0-9a-fA-F]{40}$/.test(q)) {
        matches.push({ kind: 'account', id: q, label: `account ${q}` });
      } else {
        throw new AicError(
          'EXPLORER_QUERY_INVALID',
          'search for a block number, a job or asset id, a transaction hash (0x + 64 hex digits) or an address (0x + 40 hex digits)',
          { details: { length: q.length } },
        );
      }
      if (matches.length === 0) {
        throw new AicError('EXPLORER_NOT_FOUND', `nothing on this chain matches ${q.slice(0, 80)}`, {
          details: { query: q.slice(0, 80) },
        });
      }
      return { query: q, matches };
    },
  };
}

function contractAt(ledger: LedgerClient, to: string | null | undefined): ContractName | null {
  if (to === null || to === undefined) return null;
  const entry = (Object.entries(ledger.deployment.contracts) as Array<[ContractName, string]>).find(
    ([, a]) => a.toLowerCase() === to.toLowerCase(),
  );
  return entry?.[0] ?? null;
}
