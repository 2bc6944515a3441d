/**
 * The protocol coordinator of a network (on the devnet: one node holding ALLOCATOR_ROLE and ARBITER_ROLE):
 * - Resource Allocator: gathers offers from gossip, counts a provider only after it passed its hardware-class
 *   challenge, and places each escrowed job with the pure allocator and the chain's seed from the block after the
 *   escrow — neither side chooses its counterpart, and anyone can recompute the choice from public inputs;
 * - preemption: a provider that stops answering is preempted at the last checkpoint the coordinator re-verified from
 *   the requester's mirror (pro-rata pay for those), and the job is reassigned from there;
 * - arbiter: a disputed job's sampled segments are re-run; the provider is slashed if one does not reproduce.
 */
import { choosePlacement, createOfferBook, type Offer } from '@aic/allocator';
import { computeMarketAbi, jobStateName, roleId } from '@aic/ledger';
import type { OfferEventDetail } from '@aic/network';
import { quoteVerification } from '@aic/verification';
import { fetchCheckpoint } from '../jobs/checkpoint-transfer.ts';
import { loadDatasetSource } from '../jobs/dataset-source.ts';
import { jobSampleKey } from '../jobs/job-key.ts';
import { decodeJobTicket } from '../jobs/job-ticket.ts';
import { jobTicketFetchProtocol } from '../jobs/protocols.ts';
import { checkCommittedJob, checkSegment } from '../verify/check-committed-job.ts';
import { CanaryIssuer } from './canary.ts';
import { ChallengeBook } from './challenge-book.ts';
import { type AgentContext, errorLine, peerOfAddress, specHashOf, whenSeedReady, withRetries } from './context.ts';
import type { RequesterAgent } from './requester-agent.ts';

/** Proves a provider's claimed hardware class by demanded work (the GPU Vessel's challenge protocol). */
export type HardwareChallenger = (peerId: string, claimedClass: number) => Promise<{ passed: boolean; reason: string }>;

export interface CoordinatorInit {
  /** A provider silent (not reachable) this long is preempted. */
  livenessGraceMs?: number;
  confidence: number;
  cheatFraction: number;
  challenge: HardwareChallenger;
  /** A provider that failed its challenge is challenged again on an offer this much later (default 15 s). */
  rechallengeAfterMs?: number;
  /** Issue a canary job this often while none is in flight (0 or absent: no canaries); needs `requester`. */
  canaryIntervalMs?: number;
  requester?: RequesterAgent;
}

interface KnownOffer {
  offer: Offer;
  peerId: string;
  expiresAtMs: number;
}

/** Gossip may still deliver an offer a provider sent before it went silent; one arriving later than this is new. */
const REJOIN_AFTER_MS = 10_000;

export class CoordinatorAgent {
  readonly #offers = new Map<string, KnownOffer>();
  readonly #challenges: ChallengeBook;
  /** Providers preempted for silence, and when; a fresh offer from one later brings it back (it restarted). */
  readonly #gone = new Map<string, number>();
  readonly #busy = new Set<bigint>();
  readonly #silentSince = new Map<bigint, number>();
  /** Jobs escrowed or preempted that still need a provider (from the chain's events). */
  readonly #unplaced = new Set<bigint>();
  /** Jobs already logged as waiting for an eligible offer. */
  readonly #waiting = new Set<bigint>();
  #timer: NodeJS.Timeout | undefined;
  readonly #canaries: CanaryIssuer | undefined;

  constructor(
    private readonly ctx: AgentContext,
    private readonly init: CoordinatorInit,
  ) {
    this.#challenges = new ChallengeBook(init.rechallengeAfterMs);
    this.#canaries = init.requester && init.canaryIntervalMs ? new CanaryIssuer(ctx, init.requester) : undefined;
  }

  /** Verifiers caught passing a canary. */
  lazyVerifiers(): string[] {
    return this.#canaries?.lazyVerifiers() ?? [];
  }

  start(): void {
    this.ctx.net.addEventListener('offer', (e) => void this.#onOffer((e as CustomEvent<OfferEventDetail>).detail));
    this.ctx.watcher.on((event) => {
      this.#track(event);
      const { jobId } = event.args as { jobId?: bigint };
      if (jobId === undefined) return;
      if (event.eventName === 'JobEscrowed' || event.eventName === 'JobPreempted')
        this.#once(jobId, () => this.#place(jobId));
      if (event.eventName === 'JobDisputed') this.#once(jobId, () => this.#arbitrate(jobId));
      const canaries = this.#canaries;
      if (canaries?.isCanary(jobId) && event.eventName === 'VerdictSubmitted') {
        const { verifier, valid } = event.args as { verifier: string; valid: boolean };
        void canaries.onVerdict(jobId, verifier, valid).catch((error: unknown) => {
          canaries.abandon();
          this.ctx.log.error({ jobId: String(jobId), err: errorLine(error) }, 'canary challenge failed');
        });
      }
    });
    const canaries = this.#canaries;
    if (canaries) {
      const tick = () => {
        if (canaries.inFlight || this.ctx.signal.aborted) return;
        void canaries.issue().catch((error: unknown) => {
          canaries.abandon();
          this.ctx.log.warn({ err: errorLine(error) }, 'canary not issued');
        });
      };
      const canaryTimer = setInterval(tick, this.init.canaryIntervalMs);
      this.ctx.signal.addEventListener('abort', () => clearInterval(canaryTimer), { once: true });
    }
    this.#timer = setInterval(() => {
      this.#retryUnplaced();
      void this.#checkLiveness();
    }, 1_000);
    this.ctx.signal.addEventListener('abort', () => clearInterval(this.#timer), { once: true });
  }

  /** Hardware challenge outcome per provider address (for status and tests). */
  async challengeOutcome(provider: string): Promise<boolean | undefined> {
    return await this.#challenges.passed(provider);
  }

  #once(jobId: bigint, task: () => Promise<void>): void {
    if (this.#busy.has(jobId)) return;
    this.#busy.add(jobId);
    void task()
      .catch((error: unknown) => {
        if (!this.ctx.signal.aborted) {
          this.ctx.log.error({ jobId: String(jobId), err: errorLine(error) }, 'coordination failed');
        }
      })
      .finally(() => this.#busy.delete(jobId));
  }

  async #onOffer(detail: OfferEventDetail): Promise<void> {
    const provider = detail.sender.toLowerCase();
    const info = await this.ctx.ledger.market.read.providerOf([detail.sender]);
    if (!info.registered) return;
    const goneAt = this.#gone.get(provider);
    if (goneAt !== undefined && Date.now() - goneAt > REJOIN_AFTER_MS) this.#gone.delete(provider);
    const peer = this.ctx.net.getPeers().find((p) => p.address?.toLowerCase() === provider)?.peerId ?? detail.relayedBy;
    const o = detail.payload;
    this.#offers.set(provider, {
      peerId: peer,
      expiresAtMs: detail.expiresAtMs,
      offer: {
        id: `${provider}/${o.offerId}`,
        provider: detail.sender,
        hwClass: info.hwClass,
        memoryGiB: o.hardware.memoryBytes / 2 ** 30,
        tflops: 0.01,
        pricePerHour: Number(o.priceWeiPerHour / 10n ** 12n) / 1e6,
        stake: Number(info.stake / 10n ** 18n),
        reputation: 0.5,
        coordinate: { vec: [0, 0, 0], height: 0 },
        bandwidthMBps: 100,
        cachedDatasets: o.cachedDatasetIds,
        slots: o.capacity.concurrentJobs,
      },
    });
    if (!this.#challenges.due(provider, Date.now())) return;
    const outcome = this.init.challenge(peer, info.hwClass).then(
      (r) => {
        this.ctx.log.info(
          { provider, hwClass: info.hwClass, passed: r.passed, reason: r.reason },
          'hardware challenge',
        );
        return r.passed;
      },
      (error: unknown) => {
        this.ctx.log.warn({ provider, err: String(error) }, 'hardware challenge failed to run');
        return false;
      },
    );
    this.#challenges.record(provider, outcome, Date.now());
  }

  /** Offers that count: unexpired, challenge passed, provider not gone. */
  async #eligibleOffers(): Promise<Offer[]> {
    const now = Date.now();
    const out: Offer[] = [];
    for (const [provider, known] of this.#offers) {
      if (known.expiresAtMs <= now || this.#gone.has(provider)) continue;
      if ((await this.#challenges.passed(provider)) !== true) continue;
      out.push(known.offer);
    }
    return out;
  }

  async #place(jobId: bigint): Promise<void> {
    const { ledger } = this.ctx;
    const job = await ledger.market.read.jobOf([jobId]);
    const state = jobStateName(job.state);
    if (state !== 'Escrowed' && state !== 'Preempted') {
      this.#unplaced.delete(jobId);
      return;
    }
    const seed = await whenSeedReady(this.ctx, () => ledger.market.read.assignmentSeed([jobId]));
    if (this.#canaries && job.requester.toLowerCase() === ledger.account().toLowerCase()) {
      // Its own job is a canary; the issuer learns the id when its escrow transaction returns.
      const until = Date.now() + 10_000;
      while (!this.#canaries.isCanary(jobId) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      if (this.#canaries.isCanary(jobId)) return await this.#runCanary(jobId);
    }
    const offers = await this.#eligibleOffers();
    const placement = choosePlacement(
      createOfferBook(offers, { valueOfTimePerHour: 5, reputationPenalty: 0.2, nearBestFraction: 0.05 }),
      {
        id: `job-${jobId}`,
        minHwClass: job.minHwClass,
        minMemoryGiB: 0,
        workTflop: 1,
        maxPricePerHour: Number.MAX_SAFE_INTEGER,
        minStake: 0,
        datasetMB: 0,
        dataSources: [],
        excludeProviders: [job.requester, ...(state === 'Preempted' ? [job.provider] : [])],
      },
      seed,
    );
    if (!placement) {
      // No eligible offer yet (offers arrive by gossip, challenges take a moment): the next tick tries again.
      if (!this.#waiting.has(jobId))
        this.ctx.log.info({ jobId: String(jobId), offers: offers.length }, 'no eligible offer yet');
      this.#waiting.add(jobId);
      return;
    }
    // Fixed-price jobs: the provider earns the budget the requester was quoted, nothing less or more.
    const providerPrice =
      state === 'Escrowed'
        ? priceWithinEscrow(job.escrow - job.datasetFee - job.modelFee - job.verifierFee, job.protocolFeeBps)
        : await this.#remainingPrice(jobId);
    const write = state === 'Escrowed' ? 'assignJob' : 'reassignJob';
    await this.ctx.send(() =>
      ledger.confirm(write, () =>
        ledger.market.write[write]([jobId, placement.provider as `0x${string}`, providerPrice]),
      ),
    );
    this.#silentSince.delete(jobId);
    this.#unplaced.delete(jobId);
    this.ctx.log.info(
      { jobId: String(jobId), provider: placement.provider, seed: String(seed), among: offers.length },
      state === 'Escrowed' ? 'job assigned' : 'job reassigned',
    );
  }

  /** Jobs escrowed or preempted and not placed yet are retried every tick: a failed or offer-less attempt (an RPC
   * error, a provider still being challenged) must not leave a job waiting forever. */
  #retryUnplaced(): void {
    for (const jobId of this.#unplaced) this.#once(jobId, () => this.#place(jobId));
  }

  /** A canary goes to the coordinator itself, which commits its known-wrong answer. */
  async #runCanary(jobId: bigint): Promise<void> {
    const { ledger } = this.ctx;
    const job = await ledger.market.read.jobOf([jobId]);
    const price = priceWithinEscrow(job.escrow - job.datasetFee - job.modelFee - job.verifierFee, job.protocolFeeBps);
    await this.ctx.send(() =>
      ledger.confirm('assignJob', () => ledger.market.write.assignJob([jobId, ledger.account(), price])),
    );
    await this.#canaries?.run(jobId);
  }

  /** A reassigned job pays its new provider what the first price left after the preempted ones' pro-rata pay. */
  async #remainingPrice(jobId: bigint): Promise<bigint> {
    const { publicClient, market } = this.ctx.ledger;
    const where = { address: market.address, abi: computeMarketAbi, args: { jobId }, fromBlock: 0n } as const;
    const [assigned] = await publicClient.getContractEvents({ ...where, eventName: 'JobAssigned' });
    const preempted = await publicClient.getContractEvents({ ...where, eventName: 'JobPreempted' });
    const paid = preempted.reduce((sum, e) => sum + (e.args.paid ?? 0n), 0n);
    return (assigned?.args.price ?? 0n) - paid;
  }

  /** Jobs being trained (from the chain's events) and their provider: what the liveness check watches, no RPC. */
  readonly #active = new Map<bigint, string>();

  #track(event: { eventName: string; args: unknown }): void {
    const { jobId, provider } = event.args as { jobId?: bigint; provider?: string };
    if (jobId === undefined) return;
    if ((event.eventName === 'JobAssigned' || event.eventName === 'JobReassigned') && provider) {
      this.#active.set(jobId, provider.toLowerCase());
    }
    if (['JobPreempted', 'ResultCommitted', 'JobExpired'].includes(event.eventName)) this.#active.delete(jobId);
    if (event.eventName === 'JobEscrowed' || event.eventName === 'JobPreempted') this.#unplaced.add(jobId);
    if (['JobAssigned', 'JobReassigned', 'JobExpired', 'JobRefunded'].includes(event.eventName)) {
      this.#unplaced.delete(jobId);
      this.#waiting.delete(jobId);
    }
  }

  async #checkLiveness(): Promise<void> {
    const { ledger, net } = this.ctx;
    const me = ledger.account().toLowerCase();
    const connected = new Set(net.getPeers().map((p) => p.address?.toLowerCase()));
    for (const [jobId, provider] of this.#active) {
      if (this.#busy.has(jobId) || provider === me) continue; // its own canaries
      if (connected.has(provider)) {
        this.#silentSince.delete(jobId);
        continue;
      }
      const since = this.#silentSince.get(jobId) ?? Date.now();
      this.#silentSince.set(jobId, since);
      if (Date.now() - since >= (this.init.livenessGraceMs ?? 3_000)) {
        if (!this.#gone.has(provider)) this.#gone.set(provider, Date.now());
        this.#once(jobId, () => this.#preempt(jobId));
      }
    }
  }

  /** Preempts at the newest mirrored checkpoint whose last segment re-runs exactly (pro-rata pay up to there). */
  async #preempt(jobId: bigint): Promise<void> {
    const { ledger, net, log } = this.ctx;
    const job = await ledger.market.read.jobOf([jobId]);
    if (!['Assigned', 'Running', 'Reassigned'].includes(jobStateName(job.state))) return;
    const requester = await peerOfAddress(this.ctx, job.requester);
    const fetched = await withRetries(this.ctx, () =>
      net.request(requester, jobTicketFetchProtocol, { jobId: String(jobId) }),
    );
    const ticket = decodeJobTicket(fetched.ticket, await specHashOf(ledger, jobId));
    const data = await loadDatasetSource(ticket.dataset);
    const candidates = fetched.mirrored
      .filter((k) => k > job.resumeFrom && k < job.checkpointCount && fetched.mirrored.includes(k - 1))
      .sort((a, b) => b - a);
    let verified: number = job.resumeFrom;
    const input = {
      spec: ticket.spec,
      data,
      commitments: fetched.commitments,
      loadCheckpoint: (i: number) =>
        withRetries(this.ctx, () => fetchCheckpoint(net, requester, jobId, i, this.ctx.signal)),
    };
    for (const k of candidates.slice(0, 3)) {
      if (await checkSegment(input, k - 1)) {
        verified = k;
        break;
      }
    }
    await this.ctx.send(() => ledger.confirm('preemptJob', () => ledger.market.write.preemptJob([jobId, verified])));
    log.info({ jobId: String(jobId), provider: job.provider, verifiedCheckpoints: verified }, 'job preempted');
    await this.#place(jobId);
  }

  /** Re-runs the segments the designated verifier sampled (same public seed); a mismatch proves the cheat. */
  async #arbitrate(jobId: bigint): Promise<void> {
    const { ledger, net, log } = this.ctx;
    const job = await ledger.market.read.jobOf([jobId]);
    if (jobStateName(job.state) !== 'Disputed') return;
    if (this.#canaries?.isCanary(jobId)) return await this.#canaries.arbitrate(jobId);
    const requester = await peerOfAddress(this.ctx, job.requester);
    const fetched = await withRetries(this.ctx, () =>
      net.request(requester, jobTicketFetchProtocol, { jobId: String(jobId) }),
    );
    const ticket = decodeJobTicket(fetched.ticket, await specHashOf(ledger, jobId));
    const segments = job.checkpointCount;
    const seed = await ledger.market.read.assignmentSeed([jobId]);
    const { samples } = quoteVerification({
      segments,
      confidence: this.init.confidence,
      cheatFraction: this.init.cheatFraction,
    });
    let cheated = fetched.commitments.length !== segments + 1;
    let bad: readonly number[] = [];
    if (!cheated) {
      const verdict = await checkCommittedJob({
        spec: ticket.spec,
        data: await loadDatasetSource(ticket.dataset),
        commitments: fetched.commitments,
        seed,
        jobKey: jobSampleKey(jobId),
        samples,
        loadCheckpoint: (i) => withRetries(this.ctx, () => fetchCheckpoint(net, requester, jobId, i, this.ctx.signal)),
      });
      bad = verdict.mismatches;
      cheated = !verdict.valid;
    }
    const rightVerifier = cheated ? job.verifier : await this.#otherVerifier(job.verifier);
    await this.ctx.send(() =>
      ledger.confirm('resolveDispute', () => ledger.market.write.resolveDispute([jobId, cheated, rightVerifier])),
    );
    log.info({ jobId: String(jobId), providerCheated: cheated, divergentSegments: bad }, 'dispute resolved');
  }

  /** A verifier other than the one proven wrong (the contract pays the verifier fee to the one named right). */
  async #otherVerifier(wrong: `0x${string}`): Promise<`0x${string}`> {
    const market = this.ctx.ledger.market;
    const role = roleId('VERIFIER_ROLE');
    const count = await market.read.getRoleMemberCount([role]);
    for (let i = 0n; i < count; i++) {
      const member = await market.read.getRoleMember([role, i]);
      if (member.toLowerCase() !== wrong.toLowerCase()) return member;
    }
    return wrong;
  }
}

/** The largest provider price p with p + fee(p) ≤ rest (the contract's own obligation check at assignment). */
export function priceWithinEscrow(rest: bigint, feeBps: number): bigint {
  const fee = (p: bigint) => (p * BigInt(feeBps)) / 10_000n;
  let p = (rest * 10_000n) / (10_000n + BigInt(feeBps));
  while (p + 1n + fee(p + 1n) <= rest) p++;
  while (p > 0n && p + fee(p) > rest) p--;
  return p;
}
