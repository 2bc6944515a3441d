/**
 * Idempotent submits: a submit that carries an idempotency key (or an explicit nonce) is recorded under that key
 * (`<root>/submits/<sha256(key)>.json`) before its escrow is sent and with its job id after, so a client retrying a
 * submit whose answer it lost (an RPC timeout, a dropped HTTP connection: issue 18's soak found double escrows) gets
 * the first job back instead of paying twice. A key whose escrow was sent but never recorded is looked up on chain
 * by its ticket's specHash before the same ticket is sent again.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobQuote } from './types.ts';

/** What a key's first submit answered. */
export interface SubmitResult {
  jobId: bigint;
  escrowWei: bigint;
  quote: JobQuote;
}

/** A key's record: the ticket sent and, once escrowed, the answer. */
export interface SubmitKeyRecord {
  ticket: Uint8Array;
  result?: SubmitResult;
}

const WEI_FIELDS = ['totalWei', 'providerWei', 'protocolFeeWei', 'datasetFeeWei', 'modelFeeWei', 'verifierFeeWei'];

function toJson(record: SubmitKeyRecord): string {
  const result = record.result && {
    jobId: String(record.result.jobId),
    escrowWei: String(record.result.escrowWei),
    quote: Object.fromEntries(
      Object.entries(record.result.quote).map(([k, v]) => [k, typeof v === 'bigint' ? String(v) : v]),
    ),
  };
  return JSON.stringify({ ticket: Buffer.from(record.ticket).toString('base64'), ...(result ? { result } : {}) });
}

function fromJson(text: string): SubmitKeyRecord {
  const raw = JSON.parse(text) as {
    ticket: string;
    result?: { jobId: string; escrowWei: string; quote: Record<string, unknown> };
  };
  const ticket = new Uint8Array(Buffer.from(raw.ticket, 'base64'));
  if (!raw.result) return { ticket };
  const quote = Object.fromEntries(
    Object.entries(raw.result.quote).map(([k, v]) => [k, WEI_FIELDS.includes(k) ? BigInt(v as string) : v]),
  ) as unknown as JobQuote;
  return { ticket, result: { jobId: BigInt(raw.result.jobId), escrowWei: BigInt(raw.result.escrowWei), quote } };
}

export class SubmitKeys {
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly root: string) {}

  #path(key: string): string {
    return join(this.root, 'submits', `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  async get(key: string): Promise<SubmitKeyRecord | undefined> {
    try {
      return fromJson(await readFile(this.#path(key), 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** Writes atomically (a crash leaves the old record or the new one). */
  async put(key: string, record: SubmitKeyRecord): Promise<void> {
    const path = this.#path(key);
    await mkdir(join(this.root, 'submits'), { recursive: true });
    await writeFile(`${path}.tmp`, toJson(record));
    await rename(`${path}.tmp`, path);
  }

  async forget(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  /** Runs `task` for `key` after any submit with the same key in flight here (two racing retries escrow once). */
  serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.#inFlight.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(task);
    const tail = run.catch(() => undefined);
    this.#inFlight.set(key, tail);
    void tail.then(() => {
      if (this.#inFlight.get(key) === tail) this.#inFlight.delete(key);
    });
    return run;
  }
}
