/**
 * The requester's jobs on disk (`<root>/<jobId>/`, see JobRecord) and the escrows in flight (`<root>/pending/`). A
 * ticket is written as pending before its escrow transaction is sent, so a requester killed between the transaction
 * and its record finds the job again on restart (its JobCreated event names this key and the ticket's hash) instead
 * of leaving an escrowed job whose ticket nobody can fetch.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeMarketAbi, type LedgerClient } from '@aic/ledger';
import { ticketHash } from '../../jobs/job-ticket.ts';
import { JobRecord, type RequesterJobState } from '../job-record.ts';

/** A pending escrow whose JobCreated never appears is dropped after this long. */
const PENDING_TTL_MS = 24 * 3_600_000;

export class JobStore {
  readonly #records = new Map<bigint, JobRecord>();

  constructor(readonly root: string) {}

  get pendingDir(): string {
    return join(this.root, 'pending');
  }

  /** This node's record of `jobId`, from memory or disk; undefined when the job is not this node's. */
  async get(jobId: bigint): Promise<JobRecord | undefined> {
    let record = this.#records.get(jobId);
    if (!record) {
      record = await JobRecord.load(this.root, jobId);
      if (record) this.#records.set(jobId, record);
    }
    return record;
  }

  /** Every job recorded on disk. */
  async all(): Promise<JobRecord[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const out: JobRecord[] = [];
    for (const name of names.filter((n) => /^[0-9]+$/.test(n))) {
      const record = await this.get(BigInt(name));
      if (record) out.push(record);
    }
    return out;
  }

  /** Writes the ticket as pending before its escrow is sent; returns its hash (the job's specHash). */
  async beginEscrow(ticket: Uint8Array, state: Partial<RequesterJobState>): Promise<`0x${string}`> {
    const hash = ticketHash(ticket);
    await mkdir(this.pendingDir, { recursive: true });
    // A ticket sent again (a keyed submit's retry) keeps the payer it was bound to: it escrows from that one again.
    const payer = await this.pendingPayer(hash);
    await writeFile(
      join(this.pendingDir, `${hash}.json`),
      JSON.stringify({ ticket: Buffer.from(ticket).toString('base64'), state, ...(payer ? { payer } : {}) }),
    );
    return hash;
  }

  /** The escrow landed as `jobId`: the job's record replaces the pending ticket. */
  async completeEscrow(jobId: bigint, ticket: Uint8Array, state: Partial<RequesterJobState>): Promise<JobRecord> {
    const record = await JobRecord.create(this.root, jobId, ticket, state);
    this.#records.set(jobId, record);
    await rm(join(this.pendingDir, `${ticketHash(ticket)}.json`), { force: true });
    return record;
  }

  /** The pending ticket whose hash is `hash` (a ticket prepared for another account's escrow: PayerJobs). */
  async pendingTicket(hash: `0x${string}`): Promise<Uint8Array | undefined> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) return undefined;
    const text = await readFile(join(this.pendingDir, `${hash}.json`), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const pending = JSON.parse(text) as { ticket: string };
    return new Uint8Array(Buffer.from(pending.ticket, 'base64'));
  }

  /** Binds a pending ticket to the fresh account that will escrow it (before its escrow is sent), so a restart or a
   * repeated submit looks for its JobCreated under that requester and escrows it from that account again. */
  async notePendingPayer(hash: `0x${string}`, payer: string): Promise<void> {
    const path = join(this.pendingDir, `${hash}.json`);
    const pending = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...pending, payer }));
  }

  /** The payer a pending ticket was bound to, if any. */
  async pendingPayer(hash: `0x${string}`): Promise<`0x${string}` | undefined> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) return undefined;
    const text = await readFile(join(this.pendingDir, `${hash}.json`), 'utf8').catch(() => undefined);
    const payer = text === undefined ? undefined : (JSON.parse(text) as { payer?: unknown }).payer;
    return typeof payer === 'string' ? (payer as `0x${string}`) : undefined;
  }

  /** Every payer a pending ticket is bound to (lowercased): not to be taken for another ticket. */
  async pendingPayers(): Promise<Set<string>> {
    const names = (await readdir(this.pendingDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
    const out = new Set<string>();
    for (const name of names) {
      const payer = await this.pendingPayer(name.slice(0, -'.json'.length) as `0x${string}`);
      if (payer) out.add(payer.toLowerCase());
    }
    return out;
  }

  /** The recorded job escrowed with exactly these ticket bytes (its pending file already replaced by its record). */
  async recordOfTicket(ticket: Uint8Array): Promise<JobRecord | undefined> {
    const hash = ticketHash(ticket);
    return (await this.all()).find((r) => ticketHash(r.ticket) === hash);
  }

  /** The escrow failed before any transaction landed: forget its ticket. */
  async abandonEscrow(hash: `0x${string}`): Promise<void> {
    await rm(join(this.pendingDir, `${hash}.json`), { force: true });
  }

  /** After a restart: pending tickets whose escrow did land (a JobCreated by their payer, else by this node's
   * account, with their hash) become records; returns how many were recovered. */
  async recoverPending(ledger: LedgerClient): Promise<number> {
    const names = (await readdir(this.pendingDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
    if (names.length === 0) return 0;
    let recovered = 0;
    for (const name of names) {
      const path = join(this.pendingDir, name);
      const pending = JSON.parse(await readFile(path, 'utf8')) as {
        ticket: string;
        state: Partial<RequesterJobState>;
        payer?: `0x${string}`;
      };
      const ticket = new Uint8Array(Buffer.from(pending.ticket, 'base64'));
      const event = await jobCreatedWith(ledger, pending.payer ?? ledger.account(), ticketHash(ticket));
      if (event) {
        const state = pending.payer ? { ...pending.state, payer: pending.payer } : pending.state;
        if (!(await this.get(event.jobId))) await this.completeEscrow(event.jobId, ticket, state);
        else await rm(path, { force: true });
        recovered++;
      } else if (Date.now() - (await stat(path)).mtimeMs > PENDING_TTL_MS) {
        await rm(path, { force: true });
      }
    }
    return recovered;
  }
}

/** The JobCreated of `requester` whose specHash is `specHash`, if it is on chain. */
export async function jobCreatedWith(
  ledger: LedgerClient,
  requester: `0x${string}`,
  specHash: `0x${string}`,
): Promise<{ jobId: bigint; escrowWei: bigint } | undefined> {
  const created = await ledger.publicClient.getContractEvents({
    address: ledger.market.address,
    abi: computeMarketAbi,
    eventName: 'JobCreated',
    args: { requester },
    fromBlock: 0n,
    strict: true,
  });
  const event = created.find((e) => e.args.specHash.toLowerCase() === specHash.toLowerCase());
  return event && { jobId: event.args.jobId, escrowWei: event.args.escrow };
}

/** The TrainedAI token ids the jobs under `root` other than `jobId` recorded as theirs (their state's outcome); an
 * unreadable state claims nothing. The minter reads it to tell apart identical jobs' identical TrainedAIs. */
export async function trainedAssetsClaimedByOthers(root: string, jobId: bigint): Promise<Set<string>> {
  const names = await readdir(root).catch(() => [] as string[]);
  const claimed = new Set<string>();
  for (const name of names.filter((n) => /^[0-9]+$/.test(n) && BigInt(n) !== jobId)) {
    const state = await readFile(join(root, name, 'state.json'), 'utf8')
      .then((text) => JSON.parse(text) as Partial<RequesterJobState> | null)
      .catch(() => undefined);
    const tokenId = state?.outcome?.trainedAssetId;
    if (typeof tokenId === 'string') claimed.add(tokenId);
  }
  return claimed;
}
