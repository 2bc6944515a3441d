/**
 * The protocol coordinator of a network (on the devnet: one node holding ALLOCATOR_ROLE and ARBITER_ROLE):
 * - Resource Allocator: gathers offers from gossip, counts a provider only after it passed its hardware-class
 *   challenge, and places each escrowed job with the pure allocator and the chain's seed from the block after the
 *   escrow — neither side chooses its counterpart, and anyone can recompute the choice from public inputs;
 * - preemption: a provider that stops answering is preempted at the last checkpoint the coordinator re-verified from
 *   the requester's mirror (pro-rata pay for those), and the job is reassigned from there;
 * - arbiter: a disputed job's sampled segments are re-run; the provider is slashed if one does not reproduce.
 */
import { type CostModel, choosePlacement, createOfferBook, whyUnsatisfiable } from '@aic/allocator';
import { pause } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import { computeMarketAbi, jobStateName } from '@aic/ledger';
import type { OfferEventDetail } from '@aic/network';
import type { MarketEvent, MarketEventOf } from '../chain/market-watcher.ts';
import { type CanaryAssets, CanaryIssuer } from './canary.ts';
import { ChallengeBook } from './challenge-book.ts';
import { type AgentContext, whenSeedReady } from './context.ts';
import { LocalityInputs, type LocalityPort } from './coordinator-locality.ts';
import { type KnownOffer, knownOfferOf, offerForJob } from './coordinator-offers.ts';
import { arbitrateDispute, preemptSilentProvider } from './coordinator-rulings.ts';
import { TrackRecord } from './coordinator-track-record.ts';
import { MachineUsage } from './coordinator-usage.ts';
import { JobRequirements } from './job-requirements.ts';
import { RoleScope, type Startable } from './lifecycle.ts';
import type { RequesterAgent } from './requester/requester-agent.ts';

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
  /** Issue a canary job this often while none is in flight (0 or absent: no canaries); needs `requester` and
   * `canaryAssets` (the published dataset and model canaries train). */
  canaryIntervalMs?: number;
  canaryAssets?: CanaryAssets;
  requester?: RequesterAgent;
  /** Where each dataset's holders are (the node's holdings book); absent: transfers are costed without distance. */
  locality?: LocalityPort;
  /** The allocator's cost weights (default: the default preset's). */
  allocator?: CostModel;
}

/**
 * Tickets state no amount of work, and a fixed-price job's pay is its quote whatever the estimate: one nominal
 * TFLOP makes the compute cost price ÷ proven throughput, which ranks offers; it only sets how much a fetch weighs.
 */
const NOMINAL_WORK_TFLOP = 1;

/** Gossip may still deliver an offer a provider sent before it went silent; one arriving later than this is new. */
const REJOIN_AFTER_MS = DEFAULT_PRESET.coordinator.rejoinAfterMs;

export class CoordinatorAgent implements Startable {
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
  readonly #canaries: CanaryIssuer | undefined;
  readonly #scope: RoleScope;
  readonly #requirements: JobRequirements;
  readonly #locality: LocalityInputs;
  readonly #record = new TrackRecord();
  /** GPU shares, CPU and memory this coordinator's running placements hold on each machine (issue 13). */
  readonly #usage = new MachineUsage();

  constructor(
    private readonly ctx: AgentContext,
    private readonly init: CoordinatorInit,
  ) {
    this.#scope = new RoleScope('coordinator', ctx.log);
    this.#requirements = new JobRequirements(ctx);
    this.#locality = new LocalityInputs(ctx, init.locality);
    this.#challenges = new ChallengeBook(init.rechallengeAfterMs);
    this.#canaries =
      init.requester && init.canaryIntervalMs && init.canaryAssets
        ? new CanaryIssuer(ctx, init.requester, this.#scope, init.canaryAssets)
        : undefined;
  }

  /** Verifiers caught passing a canary. */
  lazyVerifiers(): string[] {
    return this.#canaries?.lazyVerifiers() ?? [];
  }

  /** Subscribes to offers and to the market (its bookkeeping is rebuilt from the chain's history: the watcher
   * replays it to this role after a restart, and every action re-reads the job first), then ticks each second. */
  async start(): Promise<void> {
    const onOffer = (e: Event) =>
      void this.#scope.spawn('offer', () => this.#onOffer((e as CustomEvent<OfferEventDetail>).detail));
    this.ctx.net.addEventListener('offer', onOffer);
    this.#scope.defer(() => this.ctx.net.removeEventListener('offer', onOffer));
    const track = (event: MarketEvent) => this.#track(event);
    const history = (event: MarketEvent) => this.#recordHistory(event);
    const place = (event: MarketEventOf<'JobEscrowed' | 'JobPreempted'>) => {
      this.#track(event);
      this.#once(event.args.jobId, () => this.#place(event.args.jobId));
    };
    this.#scope.defer(
      this.ctx.watcher.on(
        {
          JobEscrowed: place,
          JobPreempted: place,
          JobAssigned: track,
          JobReassigned: track,
          JobSettled: history,
          ProviderSlashed: history,
          ResultCommitted: track,
          JobExpired: track,
          JobRefunded: track,
          JobDisputed: (event) => this.#once(event.args.jobId, () => this.#arbitrate(event.args.jobId)),
          VerdictSubmitted: (event) => {
            const canaries = this.#canaries;
            const { jobId, verifier, valid } = event.args;
            if (!canaries?.isCanary(jobId)) return;
            void this.#scope.spawn('canary verdict', async () => {
              await canaries.onVerdict(jobId, verifier, valid).catch((error: unknown) => {
                canaries.abandon();
                throw error;
              });
            });
          },
        },
        { replayFrom: 0n },
      ),
    );
    const canaries = this.#canaries;
    if (canaries) {
      this.#scope.every(this.init.canaryIntervalMs ?? 0, () => {
        if (canaries.inFlight) return;
        void this.#scope.spawn('canary issue', async () => {
          await canaries.issue().catch((error: unknown) => {
            canaries.abandon();
            throw error;
          });
        });
      });
    }
    this.#scope.every(1_000, () => {
      this.#retryUnplaced();
      this.#checkLiveness();
    });
  }

  async stop(): Promise<void> {
    await this.#scope.close();
  }

  /** Hardware challenge outcome per provider address (for status and tests). */
  async challengeOutcome(provider: string): Promise<boolean | undefined> {
    return await this.#challenges.passed(provider);
  }

  #once(jobId: bigint, task: () => Promise<void>): void {
    if (this.#busy.has(jobId)) return;
    this.#busy.add(jobId);
    void this.#scope.spawn('coordination', task, { jobId: String(jobId) }).finally(() => this.#busy.delete(jobId));
  }

  async #onOffer(detail: OfferEventDetail): Promise<void> {
    const provider = detail.sender.toLowerCase();
    const info = await this.ctx.ledger.market.read.providerOf([detail.sender]);
    if (!info.registered) return;
    const goneAt = this.#gone.get(provider);
    if (goneAt !== undefined && Date.now() - goneAt > REJOIN_AFTER_MS) this.#gone.delete(provider);
    const peer = this.ctx.net.getPeers().find((p) => p.address?.toLowerCase() === provider)?.peerId ?? detail.relayedBy;
    const coordinate = this.ctx.net.coordinate();
    this.#offers.set(provider, knownOfferOf(detail, info, peer, coordinate));
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
  async #eligibleOffers(): Promise<KnownOffer[]> {
    const now = Date.now();
    const out: KnownOffer[] = [];
    for (const [provider, known] of this.#offers) {
      if (known.expiresAtMs <= now || this.#gone.has(provider)) continue;
      if ((await this.#challenges.passed(provider)) !== true) continue;
      out.push(known);
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
    const seed = await whenSeedReady(() => ledger.market.read.assignmentSeed([jobId]), this.#scope.signal);
    if (this.#canaries && job.requester.toLowerCase() === ledger.account().toLowerCase()) {
      // Its own job is a canary; the issuer learns the id when its escrow transaction returns.
      const until = Date.now() + 10_000;
      while (!this.#canaries.isCanary(jobId) && Date.now() < until) {
        if (!(await pause(100, this.#scope.signal))) return;
      }
      if (this.#canaries.isCanary(jobId)) return await this.#runCanary(jobId);
    }
    const hardware = await this.#requirements.of(jobId, job.requester, this.#scope.signal);
    const locality = await this.#locality.of(BigInt(job.datasetId), this.#scope.signal);
    const offers = (await this.#eligibleOffers()).map((known) => {
      const offer = offerForJob(known, this.#record.reputationOf(known.offer.provider), locality);
      // The machine less what this coordinator's jobs running there use (the offer was announced before them).
      return offer.machine ? { ...offer, machine: this.#usage.freeOf(offer.provider, offer.machine) } : offer;
    });
    const placement = choosePlacement(
      createOfferBook(offers, this.init.allocator ?? DEFAULT_PRESET.allocator),
      {
        id: `job-${jobId}`,
        minHwClass: job.minHwClass,
        minMemoryGiB: 0,
        workTflop: NOMINAL_WORK_TFLOP,
        maxPricePerHour: Number.MAX_SAFE_INTEGER,
        minStake: 0,
        ...(locality ? { datasetId: locality.datasetRoot } : {}),
        datasetMB: locality?.datasetMB ?? 0,
        dataSources: locality?.dataSources ?? [],
        excludeProviders: [job.requester, ...(state === 'Preempted' ? [job.provider] : [])],
        ...(hardware ? { hardware } : {}),
      },
      seed,
    );
    if (!placement) {
      // No eligible offer yet (offers arrive by gossip, challenges take a moment): the next tick tries again.
      if (!this.#waiting.has(jobId)) {
        // Which constraint no eligible offer meets (issue 13), so an operator sees why the job waits.
        const machines = offers.flatMap((o) => (o.machine ? [o.machine] : []));
        const why = hardware && machines.length > 0 ? whyUnsatisfiable(machines, hardware) : undefined;
        this.ctx.log.info(
          { jobId: String(jobId), offers: offers.length, hardware, ...(why ? { unsatisfied: why.message } : {}) },
          'no eligible offer yet',
        );
      }
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
    this.#usage.use(jobId, placement, hardware);
    this.#silentSince.delete(jobId);
    this.#unplaced.delete(jobId);
    this.ctx.log.info(
      {
        jobId: String(jobId),
        provider: placement.provider,
        seed: String(seed),
        among: offers.length,
        ...(locality ? { datasetMB: locality.datasetMB, holders: locality.dataSources.length } : {}),
        cached: offers.some((o) => o.id === placement.offerId && (o.cachedDatasets as readonly string[]).length > 0),
      },
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

  /** Feeds the providers' track record (the allocator's reputation input) from the chain's outcomes. */
  #recordHistory(event: MarketEvent): void {
    if (event.eventName === 'JobSettled') this.#record.settled(event.args.jobId, event.args.providerPaid);
    if (event.eventName === 'ProviderSlashed' || event.eventName === 'JobPreempted') {
      this.#record.failed(event.args.provider);
    }
    if (event.eventName === 'JobAssigned' || event.eventName === 'JobReassigned') {
      this.#record.assigned(event.args.jobId, event.args.provider);
    }
  }

  #track(event: MarketEvent): void {
    this.#recordHistory(event);
    if (!('jobId' in event.args)) return;
    const jobId = event.args.jobId;
    const provider = 'provider' in event.args ? event.args.provider : undefined;
    if ((event.eventName === 'JobAssigned' || event.eventName === 'JobReassigned') && provider) {
      this.#active.set(jobId, provider.toLowerCase());
    }
    if (['JobPreempted', 'ResultCommitted', 'JobExpired'].includes(event.eventName)) this.#active.delete(jobId);
    // The provider is done with the machine once its result is committed (verifiers re-run elsewhere).
    if (['JobPreempted', 'ResultCommitted', 'JobExpired', 'JobRefunded', 'JobSettled'].includes(event.eventName)) {
      this.#usage.release(jobId);
    }
    if (event.eventName === 'JobEscrowed' || event.eventName === 'JobPreempted') this.#unplaced.add(jobId);
    if (['JobAssigned', 'JobReassigned', 'JobExpired', 'JobRefunded'].includes(event.eventName)) {
      this.#unplaced.delete(jobId);
      this.#waiting.delete(jobId);
    }
  }

  #checkLiveness(): void {
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
      if (Date.now() - since >= (this.init.livenessGraceMs ?? DEFAULT_PRESET.coordinator.livenessGraceMs)) {
        if (!this.#gone.has(provider)) this.#gone.set(provider, Date.now());
        this.#once(jobId, () => this.#preempt(jobId));
      }
    }
  }

  /** Preempts at the newest mirrored checkpoint that re-runs exactly, then places the job again. */
  async #preempt(jobId: bigint): Promise<void> {
    if (await preemptSilentProvider(this.ctx, jobId, this.#scope.signal)) await this.#place(jobId);
  }

  /** A disputed job: a canary is ruled by its issuer, any other by re-running the sampled segments. */
  async #arbitrate(jobId: bigint): Promise<void> {
    const job = await this.ctx.ledger.market.read.jobOf([jobId]);
    if (jobStateName(job.state) !== 'Disputed') return;
    if (this.#canaries?.isCanary(jobId)) return await this.#canaries.arbitrate(jobId);
    await arbitrateDispute(this.ctx, this.init, jobId, this.#scope.signal);
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
