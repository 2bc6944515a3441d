/**
 * The protocol coordinator of a network (no key places a job: any number may run; on the devnet one node, which also
 * holds ARBITER_ROLE, the court's fallback):
 * - Resource Allocator: gathers offers from gossip, counts a provider only after it passed its hardware-class
 *   challenge, and proposes for each escrowed job the best offer among the providers on the job's seeded shortlist
 *   (the contract accepts no one else, and needs no key to place a job: several coordinators may run, the first valid
 *   proposal wins); a shortlist none of whose offers can run the job is redrawn once its window passed;
 * - preemption: a job whose provider stops answering is preempted by its requester (requester/provider-liveness.ts;
 *   the keyless market lets only it name the paid checkpoints) and reassigned here from its new shortlist; this node
 *   preempts itself only where the market lets it (a role-gated deployment, or a job never started);
 * - canaries (coordinator-canaries.ts) and the placement step (coordinator-placement.ts) are their own files;
 * - arbiter, only as the DisputeCourt's stated fallback: a dispute is heard by a committee drawn from the staked
 *   verifiers (their referee role); only while too few verifiers exist to seat one does this node re-run the sampled
 *   segments and rule (ARBITER_ROLE; the contract refuses it otherwise).
 */
import type { CostModel } from '@aic/allocator';
import { DEFAULT_PRESET } from '@aic/core/params';
import { jobStateName } from '@aic/ledger';
import type { OfferEventDetail } from '@aic/network';
import type { MarketEvent, MarketEventOf } from '../chain/market-watcher.ts';
import { type CanaryAssets, CanaryIssuer } from './canary.ts';
import type { CanaryPayerPort } from './canary-payers.ts';
import { ChallengeBook } from './challenge-book.ts';
import { type AgentContext, whenSeedReady } from './context.ts';
import { CoordinatorCanaries } from './coordinator-canaries.ts';
import { whyWaiting } from './coordinator-demand.ts';
import { proposeWrongProvider } from './coordinator-fault.ts';
import { LocalityInputs, type LocalityPort } from './coordinator-locality.ts';
import { type KnownOffer, knownOfferOf } from './coordinator-offers.ts';
import { findPlacement, logPlaced, proposePlacement } from './coordinator-placement.ts';
import { arbiterMayRule, arbitrateDispute, preemptSilentProvider } from './coordinator-rulings.ts';
import { redrawIfDue, shortlistOf } from './coordinator-shortlist.ts';
import { TrackRecord } from './coordinator-track-record.ts';
import { MachineUsage } from './coordinator-usage.ts';
import { JobRequirements } from './job-requirements.ts';
import { RoleScope, type Startable } from './lifecycle.ts';
import { mayPreempt } from './requester/provider-liveness.ts';
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
  /** Issue canary jobs at exponential times of this mean while none is in flight (0 or absent: no canaries); needs
   * `requester`, `canaryAssets` (the published dataset and model canaries train) and `canaryPayers` (the fresh
   * accounts that escrow them). */
  canaryIntervalMs?: number;
  canaryAssets?: CanaryAssets;
  canaryPayers?: CanaryPayerPort;
  requester?: RequesterAgent;
  /** Where each dataset's holders are (the node's holdings book); absent: transfers are costed without distance. */
  locality?: LocalityPort;
  /** The allocator's cost weights (default: the default preset's). */
  allocator?: CostModel;
  /** TEST-ONLY fault injection: propose providers off each job's seeded shortlist, never the right one. */
  wrongAssignments?: boolean;
}

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
  readonly #canaries: CoordinatorCanaries | undefined;
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
      init.requester && init.canaryIntervalMs && init.canaryAssets && init.canaryPayers
        ? new CoordinatorCanaries(
            ctx,
            this.#scope,
            new CanaryIssuer(ctx, init.requester, this.#scope, init.canaryAssets, init.canaryPayers),
            init.canaryIntervalMs,
          )
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
          JobSettled: (event) => {
            history(event);
            this.#canaries?.sweep(event.args.jobId);
          },
          ProviderSlashed: (event) => {
            history(event);
            this.#canaries?.sweep(event.args.jobId);
          },
          ResultCommitted: track,
          JobExpired: track,
          JobRefunded: track,
          JobDisputed: (event) => this.#once(event.args.jobId, () => this.#arbitrate(event.args.jobId)),
          VerdictSubmitted: (event) => this.#canaries?.onVerdict(event),
        },
        { replayFrom: 0n },
      ),
    );
    this.#canaries?.schedule();
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
    const canaries = this.#canaries;
    if (canaries) {
      const kind = await canaries.classify(jobId, job.requester);
      if (kind === 'aborted') return;
      if (kind === 'canary') return await this.#runCanary(canaries, jobId);
    }
    if (this.init.wrongAssignments && state === 'Escrowed') {
      // The cheater never proposes the right provider: an honest proposer must place the job.
      this.#unplaced.delete(jobId);
      await proposeWrongProvider(this.ctx, jobId);
      return;
    }
    const hardware = await this.#requirements.of(jobId, job.requester, this.#scope.signal);
    const request = {
      jobId,
      state,
      job,
      seed,
      hardware,
      locality: await this.#locality.of(BigInt(job.datasetId), this.#scope.signal),
      shortlist: await shortlistOf(this.ctx, jobId),
      eligible: await this.#eligibleOffers(),
      reputationOf: (provider: string) => this.#record.reputationOf(provider),
      usage: this.#usage,
      cost: this.init.allocator ?? DEFAULT_PRESET.allocator,
      signal: this.#scope.signal,
    };
    const { placement, offers } = await findPlacement(this.ctx, request);
    if (!placement) {
      // No eligible offer yet (offers arrive by gossip, challenges take a moment): the next tick tries again; a
      // shortlist that still has none when its window ends is redrawn (its providers may be offline or unfit).
      if (await redrawIfDue(this.ctx, jobId, job.challengeEnds)) this.#waiting.delete(jobId);
      if (!this.#waiting.has(jobId)) {
        this.ctx.log.info(whyWaiting(jobId, offers, request.shortlist, hardware), 'no eligible offer yet');
      }
      this.#waiting.add(jobId);
      return;
    }
    if (!(await proposePlacement(this.ctx, jobId, state, placement.provider))) return;
    this.#usage.use(jobId, placement, hardware);
    this.#silentSince.delete(jobId);
    this.#unplaced.delete(jobId);
    logPlaced(this.ctx, request, placement, offers);
  }

  /** Jobs escrowed or preempted and not placed yet are retried every tick: a failed or offer-less attempt (an RPC
   * error, a provider still being challenged) must not leave a job waiting forever. */
  #retryUnplaced(): void {
    for (const jobId of this.#unplaced) this.#once(jobId, () => this.#place(jobId));
  }

  /** A canary goes to the coordinator itself where its shortlist allows (coordinator-canaries.ts). */
  async #runCanary(canaries: CoordinatorCanaries, jobId: bigint): Promise<void> {
    if (!(await canaries.assignToSelf(jobId))) return;
    this.#unplaced.delete(jobId);
    await canaries.run(jobId);
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

  /** Preempts at the newest mirrored checkpoint that re-runs exactly, then places the job again — only where the
   * market lets this coordinator (an older, role-gated deployment; or a job its provider never started): otherwise
   * the job's requester preempts (issue 15: ProviderLiveness, no key) and JobPreempted brings the job back here. */
  async #preempt(jobId: bigint): Promise<void> {
    const job = await this.ctx.ledger.market.read.jobOf([jobId]);
    if (!['Assigned', 'Running', 'Reassigned'].includes(jobStateName(job.state))) return;
    if (!(await mayPreempt(this.ctx, jobId, job.resumeFrom))) return;
    if (await preemptSilentProvider(this.ctx, jobId, this.#scope.signal)) await this.#place(jobId);
  }

  /** A disputed job the court cannot seat a committee for: a canary is ruled by its issuer, any other by re-running
   * the sampled segments. With enough staked verifiers the court's committee hears it and this node does nothing. */
  async #arbitrate(jobId: bigint): Promise<void> {
    const job = await this.ctx.ledger.market.read.jobOf([jobId]);
    if (jobStateName(job.state) !== 'Disputed') return;
    if (!(await arbiterMayRule(this.ctx, jobId))) {
      this.ctx.log.info({ jobId: String(jobId) }, 'dispute left to the court');
      return;
    }
    if (this.#canaries?.isCanary(jobId)) return await this.#canaries.arbitrate(jobId);
    await arbitrateDispute(this.ctx, this.init, jobId, this.#scope.signal);
  }
}

// The contract now fixes the price; kept for callers quoting a budget from an escrow.
