/**
 * Each provider's verified history as the chain shows it, for the allocator's reputation input: jobs it settled
 * with pay versus jobs it lost (slashed for a segment that did not reproduce, or preempted for going silent).
 * Rebuilt from the market's events (the coordinator's watcher replays them from genesis), so any node computes the
 * same value from public data.
 */
export class TrackRecord {
  /** The current assignee of each job (JobSettled does not name the provider). */
  readonly #assignee = new Map<bigint, string>();
  readonly #settled = new Map<string, number>();
  readonly #failed = new Map<string, number>();

  assigned(jobId: bigint, provider: string): void {
    this.#assignee.set(jobId, provider.toLowerCase());
  }

  settled(jobId: bigint, providerPaid: bigint): void {
    const provider = this.#assignee.get(jobId);
    this.#assignee.delete(jobId);
    if (provider !== undefined && providerPaid > 0n) bump(this.#settled, provider);
  }

  failed(provider: string): void {
    bump(this.#failed, provider.toLowerCase());
  }

  /**
   * 0 (no history) … 1 (a long clean one): settled / (settled + failed + 1). The +1 is the unknown's doubt: one
   * settled job gives 0.5, nine give 0.9, and each failure weighs as much as a settled job.
   */
  reputationOf(provider: string): number {
    const key = provider.toLowerCase();
    const ok = this.#settled.get(key) ?? 0;
    return ok / (ok + (this.#failed.get(key) ?? 0) + 1);
  }
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
