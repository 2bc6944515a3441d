/**
 * Reads the validators' verified work from the ComputeMarket deployed on this chain, as of a block's parent: the
 * `VerdictSubmitted(jobId, verifier, true)` logs of the blocks on the parent's own ancestry that fall in the epoch's
 * work window (work.ts `workWindow`, by the block's slot), then each job's record with an eth_call of `jobOf` on the
 * parent's state. consensus/verified-work.ts decides what counts and how much; this file only reads.
 *
 * Walking the parent's ancestry (not the canonical index) keeps a fork's weights its own. Verdicts per block never
 * change, so they are cached by block hash; a whole answer is cached per (epoch, parent).
 */

import { computeMarketAbi } from '@aic/ledger';
import { bytesToHex, type ContractFunctionReturnType, getAddress, type Hex, hexToBytes, toEventSelector } from 'viem';
import { type ConsensusParams, epochOfSlot, slotOfTimestampSec } from '../consensus/params.ts';
import { latestVerdicts, type MarketJob, type VerdictSeen, workItemOf } from '../consensus/verified-work.ts';
import { type WorkItem, workWindow } from '../consensus/work.ts';
import type { PovHeaderInfo } from '../exec/block-types.ts';
import type { ChainExecutor } from '../exec/executor.ts';
import { type CallRequest, callAt } from '../exec/state-reader.ts';
import { callContractAt } from './contract-call.ts';

const VERDICT_TOPIC = toEventSelector('VerdictSubmitted(uint256,address,bool)');
const MAX_CACHED = 2048;

export interface WorkReaderInit {
  executor: ChainExecutor;
  /** The ComputeMarket on this chain (the genesis file's `work.computeMarket`). */
  computeMarket: Hex;
  flopsPerCheckpoint: bigint;
  params: ConsensusParams;
  genesisTimestampSec: bigint;
}

/** The verified work weighing `epoch`'s tickets on the branch ending at `parent`. */
export type WorkSource = (epoch: bigint, parent: PovHeaderInfo) => Promise<readonly WorkItem[]>;

export function createWorkReader(init: WorkReaderInit): WorkSource {
  const { executor, params } = init;
  const market = getAddress(init.computeMarket);
  const marketBytes = hexToBytes(market);
  const verdictsByBlock = new Map<string, Omit<VerdictSeen, 'verifiedEpoch'>[]>();
  const answers = new Map<string, Promise<readonly WorkItem[]>>();

  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= MAX_CACHED) map.delete(map.keys().next().value as string);
    map.set(key, value);
  };

  async function verdictsOf(hash: Uint8Array): Promise<Omit<VerdictSeen, 'verifiedEpoch'>[]> {
    const key = bytesToHex(hash);
    const cached = verdictsByBlock.get(key);
    if (cached !== undefined) return cached;
    const out: Omit<VerdictSeen, 'verifiedEpoch'>[] = [];
    for (const receipt of (await executor.store.getReceipts(hash)) ?? []) {
      if (receipt.status !== 1) continue;
      for (const log of receipt.logs) {
        const [topic0, jobTopic, verifierTopic] = log.topics;
        if (topic0 === undefined || jobTopic === undefined || verifierTopic === undefined) continue;
        if (bytesToHex(topic0) !== VERDICT_TOPIC || bytesToHex(log.address) !== bytesToHex(marketBytes)) continue;
        // `valid` is the one unindexed word: only accepted work counts.
        if (log.data.length !== 32 || log.data[31] !== 1) continue;
        out.push({ jobId: BigInt(bytesToHex(jobTopic)), verifier: getAddress(bytesToHex(verifierTopic.slice(12))) });
      }
    }
    remember(verdictsByBlock, key, out);
    return out;
  }

  async function jobAt(parent: PovHeaderInfo, jobId: bigint): Promise<MarketJob | undefined> {
    const header = await executor.headerByHash(parent.hash);
    if (header === undefined) return undefined;
    const call = (request: CallRequest) =>
      callAt(executor.store.trieDb, executor.common, header.header, request, blockHashesOf(executor));
    // JobNotFound, no market at that state (an empty answer), or not a ComputeMarket there: not verified work.
    const job = (await callContractAt(call, {
      abi: computeMarketAbi,
      to: market,
      functionName: 'jobOf',
      args: [jobId],
      gasLimit: 1_000_000n,
    })) as JobRecord | undefined;
    if (job === undefined) return undefined;
    return {
      jobId,
      provider: job.provider,
      modelId: BigInt(job.modelId),
      state: Number(job.state),
      verifier: job.verifier,
      verdictValid: job.verdictValid,
      checkpointCount: BigInt(job.checkpointCount),
      resumeFrom: BigInt(job.resumeFrom),
    };
  }

  async function read(epoch: bigint, parent: PovHeaderInfo): Promise<readonly WorkItem[]> {
    const window = workWindow(epoch, params);
    if (window === null) return [];
    const seen: VerdictSeen[] = [];
    let cursor: PovHeaderInfo | undefined = parent;
    while (cursor !== undefined && cursor.number > 0n) {
      const blockEpoch = epochOfSlot(slotOfTimestampSec(cursor.timestampSec, init.genesisTimestampSec, params), params);
      if (blockEpoch < window.fromEpoch) break;
      if (blockEpoch <= window.toEpoch) {
        for (const v of await verdictsOf(cursor.hash)) seen.push({ ...v, verifiedEpoch: blockEpoch });
      }
      cursor = (await executor.headerByHash(cursor.parentHash))?.info;
    }
    const items: WorkItem[] = [];
    for (const verdict of latestVerdicts(seen)) {
      const job = await jobAt(parent, verdict.jobId);
      const item = job === undefined ? null : workItemOf(job, verdict, init.flopsPerCheckpoint);
      if (item !== null) items.push(item);
    }
    return items;
  }

  return (epoch, parent) => {
    const key = `${epoch}:${bytesToHex(parent.hash)}`;
    const cached = answers.get(key);
    if (cached !== undefined) return cached;
    const answer = read(epoch, parent);
    remember(answers, key, answer);
    answer.catch(() => answers.delete(key));
    return answer;
  };
}

type JobRecord = ContractFunctionReturnType<typeof computeMarketAbi, 'view', 'jobOf'>;

/** BLOCKHASH for the node's own eth_calls (jobOf and the ValidatorStakes views read none; the EVM still asks). */
export function blockHashesOf(executor: ChainExecutor) {
  return {
    async getBlock(number: number) {
      const header = await executor.headerByNumber(BigInt(number));
      const hash = header?.info.hash ?? new Uint8Array(32);
      return { hash: () => hash };
    },
    async putBlock() {},
    shallowCopy() {
      return this;
    },
  };
}
