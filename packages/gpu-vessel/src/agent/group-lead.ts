/**
 * The lead provider's side of an MSMG job in the running system (the job's provider on chain, rank 0 of the group
 * the coordinator placed): it keeps the group plan the coordinator proposed (`/aic/msmg-plan/1.0.0`), and when the
 * job runs it has each member's node prepare and start its rank (`/aic/msmg-join/1.0.0`), trains rank 0 itself in
 * the sandboxed MSMG worker — its checkpoints in the job's checkpoint folder, reported to the requester as any job's
 * are — and commits the one commitment chain. A member lost mid-job (its node or worker gone: rank 0 fails with
 * MSMG_PEER_LOST naming the rank) is re-run by the lead itself from the group's last checkpoint that reproduces its
 * own commitment, the surviving members resuming from the same step; the root is the one-worker root either way.
 * Who trained which rank over which steps is kept with the job for the pay split after settlement (group-pay.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError, isAicError } from '@aic/core';
import {
  type Commitment,
  commitmentOfCheckpoint,
  type JobSpec,
  listCheckpoints,
  loadCheckpoint,
} from '@aic/model-vessel';
import { peerIdFromPrivateKey } from '@aic/network';
import type { Address } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import type { TicketData } from '../jobs/ticket-data.ts';
import type { WorkRecord } from '../msmg/group-supervisor.ts';
import { type DoneEvent, freePort, type RankLimits, type RankProcess, startRankProcess } from '../msmg/rank-process.ts';
import type { MsmgWorkerConfig } from '../msmg/worker-config.ts';
import { type AgentContext, errorLine, peerOfAddress } from './context.ts';
import { type GroupPlan, MAX_GROUP_DATA_BYTES, msmgJoinProtocol } from './group-protocols.ts';

/** How long a lead waits for the coordinator's plan before it trains every rank itself. */
const PLAN_WAIT_MS = 20_000;
const MAX_ATTEMPTS = 4;

export interface GroupRunInit {
  readonly jobId: bigint;
  readonly ticketBytes: Uint8Array;
  readonly spec: JobSpec;
  readonly workers: number;
  readonly dataset: TicketData;
  readonly checkpointDir: string;
  readonly totalSteps: number;
  readonly onCheckpoint: (c: { index: number; step: number; hash: `0x${string}` }) => void;
  readonly signal: AbortSignal;
}

export interface GroupRunResult {
  readonly commitmentRoot: `0x${string}`;
  readonly resultCid: string;
  readonly commitments: readonly Commitment[];
  readonly work: readonly WorkRecord[];
}

type Slot =
  | { kind: 'local'; privateKey: `0x${string}`; port: number; member: MsmgWorkerConfig['members'][number] }
  | { kind: 'remote'; peer: string; member: MsmgWorkerConfig['members'][number] };

/** The newest checkpoint in `dir` past `after` that reproduces its own commitment. */
async function lastVerified(dir: string, after: number): Promise<{ step: number; hash: `0x${string}` } | undefined> {
  const steps = await listCheckpoints(dir).catch(() => [] as number[]);
  for (const step of steps.filter((s) => s > after).reverse()) {
    const c = await loadCheckpoint(dir, step).catch(() => undefined);
    const hash = c?.commitments.at(-1)?.hash;
    if (c && hash && commitmentOfCheckpoint(c) === hash) return { step, hash };
  }
  return undefined;
}

/** Runs one group job as its lead; `plan` undefined: the lead trains every rank. */
export async function runGroupAsLead(
  ctx: AgentContext,
  init: GroupRunInit,
  plan: GroupPlan | undefined,
  o: { limits: RankLimits; listenHost?: string },
): Promise<GroupRunResult> {
  const me = ctx.ledger.account().toLowerCase() as Address;
  const host = o.listenHost ?? '127.0.0.1';
  const jobId = String(init.jobId);
  const owners: Address[] = plan ? plan.members.map((m) => m.toLowerCase() as Address) : [];
  while (owners.length < init.workers) owners.push(me);
  owners[0] = me;
  const shardBytes = await Promise.all(init.dataset.shards.map((f) => readFile(f)));
  const dataBytes = shardBytes.reduce((n, b) => n + b.length, 0);
  if (dataBytes > MAX_GROUP_DATA_BYTES) {
    ctx.log.warn({ jobId, dataBytes }, 'msmg: dataset too large to pass to members, the lead trains every rank');
    owners.fill(me);
  }
  const work: WorkRecord[] = [];
  let resume = await lastVerified(init.checkpointDir, 0);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const fromStep = resume?.step ?? 0;
    const slots: Slot[] = [];
    for (const [rank, owner] of owners.entries()) {
      if (owner !== me) {
        try {
          const peer = await peerOfAddress(ctx, owner, init.signal);
          const answer = await ctx.net.request(
            peer,
            msmgJoinProtocol,
            {
              kind: 'prepare',
              jobId,
              attempt,
              rank,
              workers: init.workers,
              ticket: new Uint8Array(init.ticketBytes),
              shards: shardBytes.map((b) => new Uint8Array(b)),
              rows: init.dataset.rows,
            },
            { signal: init.signal },
          );
          if (answer.member) {
            slots.push({ kind: 'remote', peer, member: answer.member });
            continue;
          }
        } catch (error) {
          if (init.signal.aborted) throw error;
          ctx.log.warn({ jobId, rank, member: owner, err: errorLine(error) }, 'msmg member refused: lead takes rank');
        }
        owners[rank] = me;
      }
      const privateKey = generatePrivateKey();
      const port = await freePort(host);
      const peerId = peerIdFromPrivateKey(privateKey).toString();
      slots.push({
        kind: 'local',
        privateKey,
        port,
        member: { rank, peerId, multiaddr: `/ip4/${host}/tcp/${port}/p2p/${peerId}` },
      });
    }
    const members = slots.map((s) => s.member);
    const groupKey =
      `0x${createHash('sha256').update(`${jobId}/msmg/${attempt}/`).update(randomBytes(16)).digest('hex')}` as const;
    const resumeHint = resume ? { resumeFrom: { step: resume.step, hash: resume.hash } } : {};
    let startFailed = false;
    for (const [rank, slot] of slots.entries()) {
      if (slot.kind !== 'remote') continue;
      try {
        await ctx.net.request(
          slot.peer,
          msmgJoinProtocol,
          { kind: 'start', jobId, attempt, groupKey, members, ...resumeHint },
          { signal: init.signal },
        );
      } catch (error) {
        if (init.signal.aborted) throw error;
        ctx.log.warn({ jobId, rank, err: errorLine(error) }, 'msmg member did not start: lead takes rank');
        owners[rank] = me;
        startFailed = true;
      }
    }
    if (startFailed) {
      await stopRemotes(ctx, slots, jobId);
      continue; // the same resume point, the refusing ranks now the lead's
    }
    ctx.log.info({ jobId, attempt, fromStep, ranks: owners }, 'msmg group started');
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    init.signal.addEventListener('abort', onAbort, { once: true });
    const locals: RankProcess[] = [];
    for (const [rank, slot] of slots.entries()) {
      if (slot.kind !== 'local') continue;
      const dir = rank === 0 ? init.checkpointDir : `${init.checkpointDir}-rank${rank}`;
      await mkdir(dir, { recursive: true });
      const config: MsmgWorkerConfig = {
        rank,
        workers: init.workers,
        privateKey: slot.privateKey,
        listenPort: slot.port,
        listenHost: host,
        members,
        groupKey,
        spec: init.spec as unknown as Record<string, unknown>,
        shards: init.dataset.shards,
        rows: init.dataset.rows,
        checkpointDir: dir,
        ...(resume ? { resumeFrom: { dir: init.checkpointDir, step: resume.step } } : {}),
        chunkFloats: 16_384,
        frameTimeoutMs: 30_000,
        connectTimeoutMs: 60_000,
      };
      const onEvent =
        rank === 0
          ? (event: Parameters<NonNullable<Parameters<typeof startRankProcess>[1]['onEvent']>>[0]) => {
              if (event.event === 'checkpoint')
                init.onCheckpoint({ index: event.index, step: event.step, hash: event.hash });
            }
          : undefined;
      const started = await startRankProcess(config, {
        dir: join(init.checkpointDir, '..'),
        name: `msmg-rank-${attempt}-${rank}`,
        limits: o.limits,
        signal: abort.signal,
        ...(onEvent ? { onEvent } : {}),
      });
      locals.push(started);
    }
    const lead = locals[0] as RankProcess;
    let done: DoneEvent | undefined;
    let failure: unknown;
    try {
      done = await lead.result;
    } catch (error) {
      failure = error;
    }
    abort.abort(); // the lead's other local ranks, if rank 0 failed
    await Promise.allSettled(locals.map((l) => l.result));
    init.signal.removeEventListener('abort', onAbort);
    if (done) {
      for (const [rank, owner] of owners.entries())
        work.push({ attempt, rank, account: owner, fromStep, toStep: done.steps });
      ctx.log.info({ jobId, attempt, root: done.commitmentRoot, ranks: owners }, 'msmg group done');
      return {
        commitmentRoot: done.commitmentRoot,
        resultCid: done.resultCid,
        commitments: done.commitments.map((c) => ({ step: c.step, hash: c.hash })),
        work,
      };
    }
    await stopRemotes(ctx, slots, jobId);
    if (init.signal.aborted) throw failure;
    const peerRank = isAicError(failure, 'MSMG_PEER_LOST')
      ? (failure.details as { peerRank?: number } | undefined)?.peerRank
      : undefined;
    if (peerRank === undefined || peerRank === 0) throw failure; // the lead's own worker failed: the job's retry
    ctx.log.warn(
      { jobId, attempt, lostRank: peerRank, member: owners[peerRank], err: errorLine(failure) },
      'msmg member lost: lead re-runs its rank',
    );
    const verified = await lastVerified(init.checkpointDir, fromStep);
    if (verified) {
      for (const [rank, owner] of owners.entries())
        work.push({ attempt, rank, account: owner, fromStep, toStep: verified.step });
      resume = verified;
    }
    owners[peerRank] = me;
  }
  throw new AicError('MSMG_GROUP_FAILED', `the group of job ${jobId} did not finish in ${MAX_ATTEMPTS} attempts`);
}

async function stopRemotes(ctx: AgentContext, slots: readonly Slot[], jobId: string): Promise<void> {
  await Promise.allSettled(
    slots.flatMap((s) =>
      s.kind === 'remote'
        ? [ctx.net.request(s.peer, msmgJoinProtocol, { kind: 'stop', jobId }, { timeoutMs: 10_000 })]
        : [],
    ),
  );
}

/** A plan file in the job's folder: the lead keeps its plan across its own restart. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    await stat(file);
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(
    file,
    JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
  );
}

export { PLAN_WAIT_MS };
