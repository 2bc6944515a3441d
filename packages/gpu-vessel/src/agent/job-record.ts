/**
 * The requester's record of one of its jobs on disk (`<dir>/<jobId>/`): the ticket bytes, the commitments the
 * provider reported, a progress log (JSON lines), the mirrored checkpoints, and the job's own state (`state.json`:
 * submission terms, how far settlement and minting got, the outcome, retry and redraw counters) so a restarted
 * requester goes on where it stopped. The mirror is what lets a preempted job resume on another provider and lets
 * verifiers re-run segments when the provider is gone.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import {
  type Checkpoint,
  type Commitment,
  listCheckpoints,
  loadCheckpoint,
  saveCheckpoint,
  saveCheckpointFiles,
} from '@aic/model-vessel';
import { createSerialQueue } from '../chain/serial.ts';

export interface ProgressLine {
  atMs: number;
  step: number;
  totalSteps: number;
  loss?: number | undefined;
  accuracy?: number | undefined;
  provider: string;
  checkpoint?: number | undefined;
}

/** How far the requester got with a job: each step is done once, and a restart resumes from the last one. */
export type RequesterStep = 'escrowed' | 'settled' | 'minted';

export interface RequesterJobState {
  step: RequesterStep;
  /** TrainedAI lineage shares (bps) of the dataset and the model, from the submission. */
  lineageBps?: { dataset: number; model: number } | undefined;
  outcome?: { trainedAssetId: string; resultPath: string; resultCid: string } | undefined;
  /** Why the settled job's result could not be fetched or minted (after retries). */
  resultError?: string | undefined;
  retries: number;
  redraws: number;
  /** Last time anything happened to the job (progress, a chain event), for stall detection. */
  lastProgressAtMs: number;
  /** The fresh account of this node that escrowed the job (its requester on chain: requester/job-payers.ts). */
  payer?: string | undefined;
  /** Whether what the payer held after the job (refund, credits) went back to the node's account. */
  payerSwept?: boolean | undefined;
}

export class JobRecord {
  readonly dir: string;
  ticket!: Uint8Array;
  commitments: Commitment[] = [];
  progress: ProgressLine[] = [];
  /** The provider whose run the commitments come from. */
  reporter: string | undefined;
  /** Serializes this job's checkpoint transfers. */
  readonly mirrorQueue = createSerialQueue();
  state: RequesterJobState = { step: 'escrowed', retries: 0, redraws: 0, lastProgressAtMs: Date.now() };
  readonly #saveState = createSerialQueue();

  constructor(
    root: string,
    readonly jobId: bigint,
  ) {
    this.dir = join(root, String(jobId));
  }

  get checkpointDir(): string {
    return join(this.dir, 'checkpoints');
  }

  static async create(
    root: string,
    jobId: bigint,
    ticket: Uint8Array,
    state: Partial<RequesterJobState> = {},
  ): Promise<JobRecord> {
    const record = new JobRecord(root, jobId);
    record.ticket = ticket;
    record.state = { ...record.state, ...state };
    await mkdir(record.checkpointDir, { recursive: true });
    await record.saveState();
    await writeFile(join(record.dir, 'ticket.json'), ticket);
    return record;
  }

  /** Updates the job's state and writes it (atomically: a crash leaves the old or the new file). */
  async update(change: Partial<RequesterJobState>): Promise<void> {
    this.state = { ...this.state, ...change };
    await this.saveState();
  }

  saveState(): Promise<void> {
    return this.#saveState(async () => {
      const path = join(this.dir, 'state.json');
      await writeFile(`${path}.tmp`, JSON.stringify(this.state));
      await rename(`${path}.tmp`, path);
    });
  }

  /** Loads a record written by an earlier run; undefined when this node did not submit the job. */
  static async load(root: string, jobId: bigint): Promise<JobRecord | undefined> {
    const record = new JobRecord(root, jobId);
    try {
      record.ticket = new Uint8Array(await readFile(join(record.dir, 'ticket.json')));
    } catch {
      return undefined;
    }
    try {
      record.state = {
        ...record.state,
        ...(JSON.parse(await readFile(join(record.dir, 'state.json'), 'utf8')) as object),
      };
    } catch {
      // a record from before job state was kept: starts as escrowed, the chain says the rest
    }
    try {
      record.commitments = JSON.parse(await readFile(join(record.dir, 'commitments.json'), 'utf8')) as Commitment[];
      const log = await readFile(join(record.dir, 'progress.jsonl'), 'utf8');
      record.progress = log
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ProgressLine);
      // progress lines are appended as they come; the state file is written on steps only
      const lastAt = record.progress.at(-1)?.atMs ?? 0;
      if (lastAt > record.state.lastProgressAtMs) record.state.lastProgressAtMs = lastAt;
    } catch {
      // no progress yet
    }
    return record;
  }

  async addProgress(line: ProgressLine, commitment?: { index: number; step: number; hash: `0x${string}` }) {
    this.progress.push(line);
    this.state.lastProgressAtMs = line.atMs;
    await appendFile(join(this.dir, 'progress.jsonl'), `${JSON.stringify(line)}\n`);
    if (commitment) {
      // A resumed job reports from its resume point on: what the preempted provider reported after it is dropped.
      if (this.reporter !== undefined && this.reporter !== line.provider) {
        this.commitments.length = Math.min(this.commitments.length, commitment.index);
      }
      this.reporter = line.provider;
      this.commitments[commitment.index] = { step: commitment.step, hash: commitment.hash };
      await writeFile(join(this.dir, 'commitments.json'), JSON.stringify(this.commitments));
    }
  }

  /** The commitments reported so far without gaps (progress may arrive out of order). */
  contiguousCommitments(): Commitment[] {
    const out: Commitment[] = [];
    for (const c of this.commitments) {
      if (c === undefined || c === null) break;
      out.push(c);
    }
    return out;
  }

  async mirror(checkpoint: Checkpoint): Promise<void> {
    await saveCheckpoint(this.checkpointDir, checkpoint);
  }

  /** Stores a fetched checkpoint's files as received (its commitment already checked by the caller). */
  async mirrorFiles(step: number, files: { json: string; tensors: Uint8Array }): Promise<void> {
    await saveCheckpointFiles(this.checkpointDir, step, files);
  }

  /** Indices (positions in the commitments) of the mirrored checkpoints whose step matches a reported commitment. */
  async mirroredIndices(): Promise<number[]> {
    const steps = new Set(await listCheckpoints(this.checkpointDir));
    return this.contiguousCommitments().flatMap((c, i) => (steps.has(c.step) ? [i] : []));
  }

  async checkpoint(index: number): Promise<Checkpoint | undefined> {
    const c = this.commitments[index];
    if (!c) return undefined;
    try {
      return await loadCheckpoint(this.checkpointDir, c.step);
    } catch (error) {
      if (error instanceof AicError && error.code === 'RUNTIME_CHECKPOINT_NOT_FOUND') return undefined;
      throw error;
    }
  }
}
