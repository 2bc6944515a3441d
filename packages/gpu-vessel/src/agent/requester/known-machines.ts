/**
 * The machines the market offers, as this node last heard them (one per provider, the newest offer, until it
 * expires): what a requester checks a job's hardware requirement against before it escrows anything, so a job no
 * offer can run is refused at once with the reason (ALLOCATOR_REQUIREMENT_UNSATISFIABLE), not left waiting.
 */
import { assertGroupSatisfiable, assertSatisfiable, type HardwareRequirement, type Machine } from '@aic/allocator';
import { DEFAULT_PRESET } from '@aic/core/params';
import type { OfferEventDetail } from '@aic/network';
import { offerHardwareToMachine } from '../../jobs/hardware-requirement.ts';

/** A bound on the providers remembered (gossip from a large market must not grow memory without limit). */
const MAX_PROVIDERS = 10_000;
/** How long a node must have listened before it judges the market: every live provider re-gossips its offer within
 * one republish interval, so after two it has heard each of them at least once. */
const LISTEN_BEFORE_JUDGING_MS = 2 * DEFAULT_PRESET.provider.offerRepublishMs;

export class KnownMachines {
  readonly #byProvider = new Map<string, { machine: Machine; expiresAtMs: number }>();
  #listeningSinceMs: number | undefined;

  /** Marks when this node started hearing offers. */
  listen(nowMs: number): void {
    this.#listeningSinceMs ??= nowMs;
  }

  /** Records an offer's machine (the newest offer of a provider replaces its earlier one). */
  add(detail: OfferEventDetail): void {
    const provider = detail.sender.toLowerCase();
    this.#byProvider.delete(provider);
    if (this.#byProvider.size >= MAX_PROVIDERS) {
      const oldest = this.#byProvider.keys().next().value;
      if (oldest !== undefined) this.#byProvider.delete(oldest);
    }
    this.#byProvider.set(provider, {
      machine: offerHardwareToMachine(detail.payload.hardware),
      expiresAtMs: detail.expiresAtMs,
    });
  }

  /** Unexpired machines, except those of `exclude` (the requester's own address: a job never goes to its payer). */
  machines(nowMs: number, exclude?: string): Machine[] {
    const out: Machine[] = [];
    for (const [provider, known] of this.#byProvider) {
      if (known.expiresAtMs <= nowMs) this.#byProvider.delete(provider);
      else if (provider !== exclude?.toLowerCase()) out.push(known.machine);
    }
    return out;
  }

  /** Throws ALLOCATOR_REQUIREMENT_UNSATISFIABLE when, after listening long enough to have heard every provider,
   * offers are known and none can run `requirement` (before that, or with no offer at all, nothing is judged). */
  check(requirement: HardwareRequirement | undefined, nowMs: number, exclude?: string): void {
    const since = this.#listeningSinceMs;
    if (!requirement || since === undefined || nowMs - since < LISTEN_BEFORE_JUDGING_MS) return;
    const machines = this.machines(nowMs, exclude);
    assertSatisfiable(machines, requirement);
    assertGroupSatisfiable(machines, requirement); // MSMG: one machine per provider, N of them
  }
}
