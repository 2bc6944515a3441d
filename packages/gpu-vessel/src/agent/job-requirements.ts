/**
 * The coordinator's view of each job's hardware requirement: read once from the job's ticket (the requester serves
 * it to staked providers and verifiers, by the chain's rules; its bytes are checked against the escrowed specHash) and kept for reassignments.
 */
import type { HardwareRequirement } from '@aic/allocator';
import { type AgentContext, fetchJobTicket } from './context.ts';

/** How long one placement attempt waits for the requester's ticket (the next tick tries again). */
const TICKET_DEADLINE_MS = 10_000;

export class JobRequirements {
  readonly #known = new Map<bigint, HardwareRequirement | null>();

  constructor(private readonly ctx: AgentContext) {}

  /** The job's requirement, undefined when its ticket names none (any machine of its hardware class). */
  async of(jobId: bigint, requester: string, signal?: AbortSignal): Promise<HardwareRequirement | undefined> {
    let known = this.#known.get(jobId);
    if (known === undefined) {
      const fetched = await fetchJobTicket(
        this.ctx,
        { jobId, requester },
        { deadlineMs: TICKET_DEADLINE_MS, ...(signal ? { signal } : {}) },
      );
      known = fetched.ticket.hardware ?? null;
      this.#known.set(jobId, known);
    }
    return known ?? undefined;
  }

  forget(jobId: bigint): void {
    this.#known.delete(jobId);
  }
}
