/**
 * Canary jobs (DESIGN.md §7): the coordinator keeps verifiers honest with jobs whose answer it knows is wrong. It
 * escrows a small job, takes it as its own provider, trains it honestly but commits made-up commitments for every
 * segment after c_0, and serves the honest checkpoints from its requester mirror — so any verifier that re-runs even
 * one sampled segment finds a mismatch. A verifier that passes a canary did not re-run anything: the coordinator
 * challenges its verdict and, as arbiter, names itself the right verifier, so the lazy one earns nothing and its
 * wrong verdict stays on chain as evidence. An honest verifier that flags it is paid the fee and half the canary's
 * stake (the price of keeping verifiers honest).
 *
 * A canary is an ordinary job on published assets (issue 12: one path, not two): the coordinator's node publishes a
 * small dataset and model once through its own data role (`CanaryAssets`), and every canary names them by id, so
 * verifiers fetch the data from the coordinator's node like any job's, under the same key-release rule.
 *
 * Nothing on chain marks a canary (issue 15): each is escrowed by a fresh account funded a random lead of blocks
 * earlier (fresh-payers.ts), as every requester's real job is, with a ticket this node prepared and then adopted, so
 * it is served like any job (whose payer is never the ticket's host either); its budget, fee, deadline and segment
 * count are a recent real job's (canary-terms.ts); and it is issued at exponential times (the coordinator's schedule).
 */
import { AicError, aicToWei } from '@aic/core';
import { DEFAULT_PRESET } from '@aic/core/params';
import { HardwareClass } from '@aic/ledger';
import { type Checkpoint, type Commitment, commitmentRoot, type JobSpec, trainJob } from '@aic/model-vessel';
import { keccak256, toHex } from 'viem';
import { defaultJobDataDir, removeJobData } from '../jobs/ticket-data.ts';
import { loadShardDataset } from '../worker/dataset-source.ts';
import { type CanaryPayer, type CanaryPayerPort, canaryPayers } from './canary-payers.ts';
import { canaryTermsLike, pickJobToMimic, recentJobTerms, type VisibleJobTerms } from './canary-terms.ts';
import { type AgentContext, whenSeedReady } from './context.ts';
import type { FreshPayers } from './fresh-payers.ts';
import type { RoleScope } from './lifecycle.ts';
import type { RequesterAgent } from './requester/requester-agent.ts';

const CANARY_STALL_MS = 90_000;

/**
 * The Dataset and Model NFTs every canary trains: published once by the coordinator's node through its own data role
 * (small, fast to train, priced 0) and reused after a restart.
 */
export type CanaryAssets = () => Promise<{ datasetId: bigint; modelId: bigint }>;

interface Canary {
  /** The spec as the ticket decodes it (the Model NFT's manifest parsed). */
  spec: JobSpec;
  datasetId: bigint;
}

export class CanaryIssuer {
  /** Canary job id → what it trains (the coordinator trains it itself). */
  readonly #canaries = new Map<bigint, Canary>();
  /** Canary job id → the fresh account that paid it (its credits are swept back once the canary is final). */
  readonly #paidBy = new Map<bigint, CanaryPayer>();
  readonly #lazy = new Set<string>();
  #inFlight = false;
  /** Cancels the stall timer (a timer of the coordinator's scope, cleared when it stops). */
  #cancelStall: (() => void) | undefined;
  readonly #payers: FreshPayers;
  /** Steps per epoch of each dataset × model a canary trained (from one quote), to match a segment count. */
  readonly #stepsPerEpoch = new Map<string, number>();

  constructor(
    private readonly ctx: AgentContext,
    private readonly requester: RequesterAgent,
    private readonly scope: RoleScope,
    private readonly assets: CanaryAssets,
    payers: CanaryPayerPort,
  ) {
    this.#payers = canaryPayers(ctx, payers);
  }

  isCanary(jobId: bigint): boolean {
    return this.#canaries.has(jobId);
  }

  /** Whether `requester` is one of this coordinator's canary payers (its job is, or will be known as, a canary). */
  isCanaryPayer(requester: string): boolean {
    return this.#payers.isPayer(requester);
  }

  /** Verifiers caught passing a canary. */
  lazyVerifiers(): string[] {
    return [...this.#lazy];
  }

  get inFlight(): boolean {
    return this.#inFlight;
  }

  /** Escrows one canary job from a fresh payer (the coordinator is its provider at placement). */
  async issue(): Promise<bigint> {
    this.#inFlight = true;
    // A canary that stalls (e.g. its verifier is offline) must not stop the next ones.
    this.#cancelStall?.();
    this.#cancelStall = this.scope.after(CANARY_STALL_MS, () => this.abandon());
    await this.#ensureStake();
    await this.#payers.load();
    const like = pickJobToMimic(await recentJobTerms(this.ctx.ledger, (r) => this.#payers.isPayer(r)), Math.random);
    const prepared = await this.#prepare(like.assets ?? (await this.assets()), like).catch(async (error: unknown) => {
      // The real job's assets would not do for a canary (e.g. its model takes other terms): its own assets.
      if (!like.assets) throw error;
      this.ctx.log.info({ err: String(error) }, 'canary trains its own assets this time');
      return await this.#prepare(await this.assets(), like);
    });
    const { quote, request, input, manifest } = prepared;
    // Funded now, escrowed a random lead of blocks later: the same draw as every requester's job payer.
    const payer = await this.#payers.take(quote.totalWei, this.scope.signal);
    const { jobId } = await payer.ledger.createAndFundJob(request);
    await this.requester.adopt(jobId);
    this.#canaries.set(jobId, { spec: { ...input.spec, manifest }, datasetId: input.datasetId });
    this.#paidBy.set(jobId, payer);
    // The payer's address is not logged: the log line is the coordinator's own record (tests find canaries by it).
    this.ctx.log.info({ jobId: String(jobId), segments: quote.segments }, 'canary issued');
    return jobId;
  }

  /** Once the canary is final (slashed, or settled): its payer's credit and balance go back to the coordinator. */
  async sweep(jobId: bigint): Promise<void> {
    const payer = this.#paidBy.get(jobId);
    if (!payer) return;
    this.#paidBy.delete(jobId);
    await this.#payers.sweep(payer);
  }

  /** Quotes a canary on `assets` shaped like `like` and keeps its ticket for the payer's escrow. */
  async #prepare(assets: { datasetId: bigint; modelId: bigint }, like: VisibleJobTerms) {
    const { datasetId, modelId } = assets;
    const manifest = JSON.parse(new TextDecoder().decode(await this.#port().modelManifest(String(modelId))));
    const submission = (epochs: number, commitEverySteps: number) => ({
      spec: {
        backend: 'cpu' as const,
        seed: Math.floor(Math.random() * 2 ** 31),
        commitEverySteps,
        hyperparameters: { epochs },
      },
      datasetId,
      modelId,
      minHwClass: HardwareClass.Cpu,
      ...DEFAULT_PRESET.verification,
    });
    const key = `${datasetId}:${modelId}`;
    let steps = this.#stepsPerEpoch.get(key);
    if (steps === undefined) {
      const unit = { providerBudgetWei: aicToWei('1'), verifierFeeWei: aicToWei('1'), deadlineSec: 3_600 };
      steps = (await this.requester.quote({ ...submission(1, 1), ...unit })).totalSteps;
      this.#stepsPerEpoch.set(key, steps);
    }
    const terms = canaryTermsLike(like, steps);
    const input = { ...submission(terms.epochs, terms.commitEverySteps), ...terms };
    return { ...(await this.requester.prepareForPayer(input)), input, manifest };
  }

  /** As the canary's provider: honest checkpoints in the mirror, made-up commitments on chain. */
  async run(jobId: bigint): Promise<void> {
    const { ledger } = this.ctx;
    const canary = this.#canaries.get(jobId);
    if (!canary) return;
    const checkpoints: Checkpoint[] = [];
    // The canary's data from the node's own data role, in a per-job dir removed once loaded (like any provider's).
    const dir = defaultJobDataDir(ledger.account(), jobId);
    const data = await this.#port()
      .materializeDataset({ datasetId: String(canary.datasetId), jobId, dir, signal: this.scope.signal })
      .then((m) => loadShardDataset(m.files, m.trainRows))
      .finally(() => removeJobData(dir));
    const result = await trainJob(canary.spec, data, {
      onCheckpoint: (c) => void checkpoints.push(c),
    });
    result.model.dispose();
    const reported: Commitment[] = result.commitments.map((c, i) =>
      i === 0 ? c : { step: c.step, hash: keccak256(toHex(`canary ${jobId} ${i} ${Math.random()}`)) },
    );
    await this.requester.recordOwnRun(jobId, reported, checkpoints);
    const root = commitmentRoot(reported);
    await this.ctx.send(() =>
      ledger.confirm('commitResult', () => ledger.market.write.commitResult([jobId, root, result.resultCid])),
    );
    // Drawn to verify its own canary: it knows the answer is wrong (the dispute then resolves at once).
    const designated = await whenSeedReady(() => ledger.market.read.designatedVerifier([jobId]), this.scope.signal);
    if (designated.toLowerCase() === ledger.account().toLowerCase()) {
      await this.ctx.send(() =>
        ledger.confirm('submitVerdict', () => ledger.market.write.submitVerdict([jobId, false])),
      );
    }
  }

  /** A canary passed as valid: the verifier did not re-run it. Challenge, so the arbiter can rule it wrong. */
  async onVerdict(jobId: bigint, verifier: string, valid: boolean): Promise<void> {
    const { ledger } = this.ctx;
    if (!valid) {
      this.ctx.log.info({ jobId: String(jobId), verifier }, 'canary flagged by an honest verifier');
      return;
    }
    this.#lazy.add(verifier.toLowerCase());
    this.ctx.log.warn({ jobId: String(jobId), verifier }, 'lazy verifier caught by canary');
    await this.ctx.send(() => ledger.confirm('challengeResult', () => ledger.market.write.challengeResult([jobId])));
  }

  /** The canary's dispute: the provider (the coordinator itself) did cheat, by design. */
  async arbitrate(jobId: bigint): Promise<void> {
    const { ledger } = this.ctx;
    const job = await ledger.market.read.jobOf([jobId]);
    const lazy = this.#lazy.has(job.verifier.toLowerCase());
    const right = lazy ? ledger.account() : job.verifier;
    await this.ctx.send(() =>
      ledger.confirm('resolveDispute', () => ledger.market.write.resolveDispute([jobId, true, right])),
    );
    this.ctx.log.info(
      { jobId: String(jobId), rightVerifier: right, lazyVerifier: lazy ? job.verifier : undefined },
      'canary resolved',
    );
    this.abandon();
  }

  #port() {
    const port = this.ctx.assets;
    if (!port) throw new AicError('JOB_ASSETS_UNAVAILABLE', "canaries need the node's data role (asset port)");
    return port;
  }

  /** Canaries are real jobs: the coordinator stakes like any provider (a resolved canary slashes it). */
  async #ensureStake(): Promise<void> {
    const { ledger } = this.ctx;
    const me = ledger.account();
    const min = await ledger.market.read.minStakeOf([HardwareClass.Cpu]);
    const info = await ledger.market.read.providerOf([me]);
    if (info.registered && info.stake >= min) return;
    const amount = info.registered ? min - info.stake : min;
    const permit = await ledger.signPermit(ledger.market.address, amount);
    await this.ctx.send(() =>
      info.registered
        ? ledger.confirm('addStake', () => ledger.market.write.addStake([amount, permit]))
        : ledger.confirm('registerProvider', () =>
            ledger.market.write.registerProvider([HardwareClass.Cpu, amount, permit]),
          ),
    );
  }

  /** Gives up on a canary that could not run (e.g. no verifier answered). */
  abandon(): void {
    this.#cancelStall?.();
    this.#inFlight = false;
  }
}
