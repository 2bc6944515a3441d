/**
 * The lead provider's side of an MSMG job: it starts one worker process per rank, watches their event lines, and when
 * a worker is lost (killed, crashed, its peers' links gone) stops the rest, takes the group's last verified checkpoint
 * and starts the group again from it with a replacement worker in the lost rank. Each attempt is recorded with which
 * account trained which steps in which rank, for the pay split (`workerShares`).
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import {
  type Checkpoint,
  commitmentOfCheckpoint,
  type JobSpec,
  listCheckpoints,
  loadCheckpoint,
} from '@aic/model-vessel';
import { addressFromPrivateKey, peerIdFromPrivateKey } from '@aic/network';
import type { Address } from 'viem';
import { freePort, type RankLimits, startRankProcess } from './rank-process.ts';
import type { MsmgWorkerConfig, WorkerEvent } from './worker-config.ts';

export interface MsmgGroupInit {
  readonly jobKey: `0x${string}`;
  readonly spec: JobSpec;
  readonly dataPath: string;
  /** One key per rank; `spareKeys` replace lost workers, in order. */
  readonly keys: readonly `0x${string}`[];
  readonly spareKeys?: readonly `0x${string}`[];
  /** Working directory (configs, one checkpoint folder per attempt and rank). */
  readonly dir: string;
  readonly chunkFloats?: number;
  readonly frameTimeoutMs?: number;
  /** The sandbox's caps per worker (default DEFAULT_RANK_LIMITS). */
  readonly limits?: RankLimits;
  /** Most group starts (first run and replacements; default 4). */
  readonly maxAttempts?: number;
  /** Every worker event, with the worker's process (tests and benchmarks watch and may kill it). */
  readonly onEvent?: (event: WorkerEvent, worker: { rank: number; attempt: number; process: ChildProcess }) => void;
}

/** Who trained what: one entry per rank per attempt, steps (fromStep, toStep] kept in the final chain. */
export interface WorkRecord {
  readonly attempt: number;
  readonly rank: number;
  readonly account: Address;
  readonly fromStep: number;
  readonly toStep: number;
}

export interface MsmgGroupResult {
  readonly commitmentRoot: `0x${string}`;
  readonly weightsHash: `0x${string}`;
  readonly steps: number;
  readonly attempts: number;
  readonly work: readonly WorkRecord[];
  /** The done events of the final attempt, by rank. */
  readonly done: readonly Extract<WorkerEvent, { event: 'done' }>[];
}

interface Outcome {
  readonly done: Map<number, Extract<WorkerEvent, { event: 'done' }>>;
  readonly lost: number[];
  /** Why each lost worker stopped: its failed event, else the end of its stderr. */
  readonly reasons: Map<number, string>;
}

/** Runs one attempt: all ranks from `resume` (or the start); resolves when every worker has exited. */
async function runAttempt(
  init: MsmgGroupInit,
  attempt: number,
  keys: readonly `0x${string}`[],
  resume: { dir: string; step: number } | undefined,
): Promise<Outcome> {
  const ports = await Promise.all(keys.map(() => freePort()));
  const members = keys.map((key, rank) => {
    const peerId = peerIdFromPrivateKey(key).toString();
    return { rank, peerId, multiaddr: `/ip4/127.0.0.1/tcp/${ports[rank]}/p2p/${peerId}` };
  });
  const groupKey = `0x${createHash('sha256').update(`${init.jobKey}/msmg/${attempt}`).digest('hex')}` as const;
  const done = new Map<number, Extract<WorkerEvent, { event: 'done' }>>();
  const lost: number[] = [];
  const reasons = new Map<number, string>();
  const stopped = new Set<number>();
  const children = await Promise.all(
    keys.map(async (privateKey, rank) => {
      const config: MsmgWorkerConfig = {
        rank,
        workers: keys.length,
        privateKey,
        listenPort: ports[rank] as number,
        listenHost: '127.0.0.1',
        members,
        groupKey,
        spec: init.spec as Record<string, unknown>,
        dataPath: init.dataPath,
        checkpointDir: checkpointDir(init, attempt, rank),
        ...(resume ? { resumeFrom: resume } : {}),
        chunkFloats: init.chunkFloats ?? 16_384,
        frameTimeoutMs: init.frameTimeoutMs ?? 30_000,
        connectTimeoutMs: 60_000,
      };
      // sandboxed as a single-worker job is (heap and time caps, filtered environment)
      const { process: child, result } = await startRankProcess(config, {
        dir: init.dir,
        name: `worker-${attempt}-${rank}`,
        ...(init.limits ? { limits: init.limits } : {}),
        onEvent: (event, proc) => {
          if (event.event === 'done') done.set(rank, event);
          if (event.event === 'failed') reasons.set(rank, `${event.code}: ${event.message}`);
          init.onEvent?.(event, { rank, attempt, process: proc });
        },
      });
      result.catch(() => undefined); // the exit below decides
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      child.once('exit', (code, signal) => {
        if (code !== 0 && !reasons.has(rank)) reasons.set(rank, `exit ${code ?? signal}: ${stderr.slice(-500)}`);
      });
      return { child, rank };
    }),
  );
  await Promise.all(
    children.map(
      ({ child, rank }) =>
        new Promise<void>((resolve) => {
          child.once('exit', (code) => {
            // a worker that only lost its peers, or that this supervisor stopped, survives into the next attempt
            const survivor = stopped.has(rank) || reasons.get(rank)?.startsWith('MSMG_PEER_LOST');
            if (code !== 0 && !done.has(rank) && !survivor) lost.push(rank);
            if (code !== 0 && !done.has(rank)) {
              // one loss stops the group: the others would wait on it until their frame timeout
              for (const other of children) {
                if (other.child.exitCode !== null || other.child.signalCode !== null) continue;
                stopped.add(other.rank);
                other.child.kill('SIGTERM');
              }
            }
            resolve();
          });
        }),
    ),
  );
  return { done, lost, reasons };
}

const checkpointDir = (init: MsmgGroupInit, attempt: number, rank: number) =>
  join(init.dir, `checkpoints-${attempt}-${rank}`);

/**
 * The latest checkpoint every surviving rank of the attempt saved with the same commitment, each hashing to it
 * (a state that does not reproduce its own c_i is not used). Undefined when none: the group starts over.
 */
async function lastVerifiedCheckpoint(
  init: MsmgGroupInit,
  attempt: number,
  survivors: readonly number[],
  fromStep: number,
): Promise<{ dir: string; step: number; checkpoint: Checkpoint } | undefined> {
  const stepsOf = await Promise.all(
    survivors.map((r) => listCheckpoints(checkpointDir(init, attempt, r)).catch(() => [] as number[])),
  );
  const common = (stepsOf[0] ?? []).filter((s) => s > fromStep && stepsOf.every((steps) => steps.includes(s)));
  for (const step of common.reverse()) {
    const checkpoints = await Promise.all(survivors.map((r) => loadCheckpoint(checkpointDir(init, attempt, r), step)));
    const hashes = new Set(checkpoints.map((c) => c.commitments.at(-1)?.hash));
    const first = checkpoints[0] as Checkpoint;
    if (hashes.size === 1 && commitmentOfCheckpoint(first) === first.commitments.at(-1)?.hash) {
      return { dir: checkpointDir(init, attempt, survivors[0] as number), step, checkpoint: first };
    }
  }
  return undefined;
}

/** Trains a sharded job on `keys.length` worker processes to its end, replacing lost workers. Throws MSMG_GROUP_FAILED. */
export async function runMsmgGroup(init: MsmgGroupInit): Promise<MsmgGroupResult> {
  await mkdir(init.dir, { recursive: true });
  const keys = [...init.keys];
  const spares = [...(init.spareKeys ?? [])];
  const work: WorkRecord[] = [];
  let resume: { dir: string; step: number } | undefined;
  let lastReasons: Record<number, string> = {};
  const maxAttempts = init.maxAttempts ?? 4;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const fromStep = resume?.step ?? 0;
    const { done, lost, reasons } = await runAttempt(init, attempt, keys, resume);
    lastReasons = Object.fromEntries(reasons);
    const record = (toStep: number) => {
      for (const [rank, key] of keys.entries()) {
        if (toStep > fromStep) work.push({ attempt, rank, account: addressFromPrivateKey(key), fromStep, toStep });
      }
    };
    if (lost.length === 0 && done.size === keys.length) {
      const results = [...done.values()];
      const roots = new Set(results.map((d) => `${d.commitmentRoot}/${d.weightsHash}`));
      if (roots.size !== 1) {
        throw new AicError('MSMG_GROUP_FAILED', 'the workers of one group ended with different states', {
          details: { roots: [...roots] },
        });
      }
      const final = results[0] as Extract<WorkerEvent, { event: 'done' }>;
      record(final.steps);
      return {
        commitmentRoot: final.commitmentRoot,
        weightsHash: final.weightsHash,
        steps: final.steps,
        attempts: attempt + 1,
        work,
        done: [...done.entries()].sort(([a], [b]) => a - b).map(([, d]) => d),
      };
    }
    const survivors = keys.map((_, r) => r).filter((r) => !lost.includes(r));
    const verified =
      survivors.length > 0 ? await lastVerifiedCheckpoint(init, attempt, survivors, fromStep) : undefined;
    if (verified) {
      record(verified.step);
      resume = { dir: verified.dir, step: verified.step };
    }
    for (const rank of lost) {
      const spare = spares.shift();
      if (!spare) {
        throw new AicError('MSMG_GROUP_FAILED', `no replacement for lost rank ${rank}`, {
          details: { rank, reasons: lastReasons },
        });
      }
      keys[rank] = spare;
    }
  }
  throw new AicError('MSMG_GROUP_FAILED', `the group did not finish in ${maxAttempts} attempts`, {
    details: { reasons: lastReasons },
  });
}
