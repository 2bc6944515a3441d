/**
 * The referee role of a `--verifier` node (issue 15): it follows the DisputeCourt's cases. For every open case it
 * keeps the court moving — draws the committee once the seed block is there, rules a round once every referee voted
 * or the window passed, executes an unappealed ruling after the appeal window — and, when this node is seated, it
 * re-runs the disputed job over the network (dispute-rerun.ts: sampled segments, then bisection to the first divergent
 * segment) and votes on chain; a line per vote. A challenger this node is whose challenge the first committee rejected
 * appeals (the bond from what it holds). Any node may do the keeping: a call someone else made first reverts, which
 * is not an error.
 */
import { disputeCourtAbi, jobStateName, type LedgerWallet } from '@aic/ledger';
import { type Address, getContract } from 'viem';
import { type DisputeRerunPolicy, rerunDisputedJob } from '../verify/dispute-rerun.ts';
import { type AgentContext, errorLine, retryTransient } from './context.ts';
import { isRevertOf } from './coordinator-shortlist.ts';
import { RoleScope, type Startable } from './lifecycle.ts';

export interface RefereeAgentInit extends DisputeRerunPolicy {
  /** TEST-ONLY fault injection ($AIC_FAULT_LYING_REFEREE): vote the opposite of what the re-run found, on every
   * committee or only on a first one (a bought first committee, which an appeal must be able to reverse). */
  lying?: 'always' | 'first-round';
  /** How often open cases are looked at (default 1 s). */
  tickMs?: number;
}

/** Reverts that mean another node acted first, or that it is too early: the next tick looks again. */
const BENIGN = [
  'AlreadyDrawn',
  'SeedNotReady',
  'NotEnoughReferees',
  'AlreadyRuled',
  'VoteWindowOpen',
  'AppealWindowOpen',
  'CaseIsClosed',
  'AlreadyVoted',
  'AlreadyAppealed',
  'NotRuled',
];

/** A case too few verifiers can hear is looked at again this much later (verifiers may join meanwhile). */
const WAIT_RETRY_MS = 10_000;

function courtContract(ctx: AgentContext, address: Address) {
  const { publicClient, walletClient } = ctx.ledger;
  // A verifier node signs (its ledger client has a wallet), as for the market's writes.
  const wallet = walletClient as LedgerWallet;
  return getContract({ address, abi: disputeCourtAbi, client: { public: publicClient, wallet } });
}
type Court = ReturnType<typeof courtContract>;

export class RefereeAgent implements Startable {
  readonly #scope: RoleScope;
  /** Open cases (job ids) from the court's CaseOpened events. */
  readonly #open = new Set<bigint>();
  /** Cases being looked at now, and the (job, round) votes this node started. */
  readonly #busy = new Set<bigint>();
  readonly #voted = new Set<string>();
  /** Cases already logged as waiting for enough verifiers. */
  readonly #waiting = new Set<bigint>();
  /** When a case that could not seat a committee is tried again. */
  readonly #retryAt = new Map<bigint, number>();
  #court: Court | undefined;
  #fromBlock = 0n;

  constructor(
    private readonly ctx: AgentContext,
    private readonly init: RefereeAgentInit,
  ) {
    this.#scope = new RoleScope('referee', ctx.log);
  }

  async start(): Promise<void> {
    const address = (await this.ctx.ledger.market.read.court()) as Address;
    if (/^0x0{40}$/i.test(address)) {
      this.ctx.log.warn({}, 'no dispute court seated on this market: the referee role is idle');
      return;
    }
    this.#court = courtContract(this.ctx, address);
    this.#scope.every(this.init.tickMs ?? 1_000, () => {
      void this.#scope.spawn('court tick', () => this.#tick());
    });
  }

  async stop(): Promise<void> {
    await this.#scope.close();
  }

  #ticking = false;

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      await this.#followCases();
      for (const jobId of this.#open) {
        if (this.#busy.has(jobId)) continue;
        this.#busy.add(jobId);
        void this.#scope
          .spawn('case', () => this.#keep(jobId), { jobId: String(jobId) })
          .finally(() => this.#busy.delete(jobId));
      }
    } finally {
      this.#ticking = false;
    }
  }

  /** New CaseOpened and CaseClosed events since the last look (the whole history at start: a restart resumes). */
  async #followCases(): Promise<void> {
    const court = this.#court;
    if (!court) return;
    const { publicClient } = this.ctx.ledger;
    const latest = await publicClient.getBlockNumber();
    if (latest < this.#fromBlock) return;
    const where = { address: court.address, abi: disputeCourtAbi, fromBlock: this.#fromBlock, toBlock: latest };
    const opened = await publicClient.getContractEvents({ ...where, eventName: 'CaseOpened' });
    const closed = await publicClient.getContractEvents({ ...where, eventName: 'CaseClosed' });
    for (const e of opened) if (e.args.jobId !== undefined) this.#open.add(e.args.jobId);
    for (const e of closed) if (e.args.jobId !== undefined) this.#open.delete(e.args.jobId);
    this.#fromBlock = latest + 1n;
  }

  /** One look at a case: the next step it needs, by whoever is first. */
  async #keep(jobId: bigint): Promise<void> {
    const court = this.#court as Court;
    const me = this.ctx.ledger.account().toLowerCase();
    const c = await court.read.caseOf([jobId]);
    if (c.closed || c.round === 0) {
      this.#open.delete(jobId);
      return;
    }
    const now = BigInt((await this.ctx.ledger.publicClient.getBlock()).timestamp);
    if (c.voteEnds === 0) {
      // Ruled by the arbiter fallback meanwhile (too few verifiers): the case is over for the court.
      const job = await this.ctx.ledger.market.read.jobOf([jobId]);
      if (jobStateName(job.state) !== 'Disputed') {
        this.#open.delete(jobId);
        return;
      }
      if (Date.now() < (this.#retryAt.get(jobId) ?? 0)) return;
      await this.#act(jobId, 'drawCommittee', () => court.write.drawCommittee([jobId]));
      return;
    }
    const seats = (await court.read.committeeOf([jobId, c.round])).map((a) => a.toLowerCase());
    const seated = seats.includes(me);
    const roundRuled = c.round === 1 && c.ruled;
    if (seated && !roundRuled && !this.#voted.has(`${jobId}:${c.round}`) && now <= BigInt(c.voteEnds)) {
      this.#voted.add(`${jobId}:${c.round}`);
      void this.#scope.spawn('referee vote', () => this.#vote(court, jobId, c.round), { jobId: String(jobId) });
    }
    const party = seated || c.challenger.toLowerCase() === me;
    if (!roundRuled) {
      if (!party) return;
      const votes = await Promise.all(seats.map((s) => court.read.voteOf([jobId, c.round, s as Address])));
      if (votes.every((v) => v !== 0) || now > BigInt(c.voteEnds)) {
        await this.#act(jobId, 'rule', () => court.write.rule([jobId]));
      }
      return;
    }
    // The first round is ruled: a challenger whose challenge it rejected appeals; else it is executed after the window.
    if (c.challenger.toLowerCase() === me && !c.firstRuling && now <= BigInt(c.appealEnds)) {
      await this.#appeal(court, jobId);
      return;
    }
    if (party && now > BigInt(c.appealEnds)) await this.#act(jobId, 'execute', () => court.write.execute([jobId]));
  }

  async #vote(court: Court, jobId: bigint, round: number): Promise<void> {
    const signal = this.#scope.signal;
    const finding = await retryTransient(
      this.ctx,
      'referee re-run',
      () => rerunDisputedJob(this.ctx, this.init, jobId, signal),
      {
        jobId,
        signal,
        attempts: 6,
      },
    );
    const lies = this.init.lying === 'always' || (this.init.lying === 'first-round' && round === 1);
    const vote = lies ? !finding.providerCheated : finding.providerCheated;
    await this.#act(jobId, 'vote', () => court.write.vote([jobId, vote]));
    this.ctx.log.info(
      {
        jobId: String(jobId),
        round,
        providerCheated: vote,
        ...(lies ? { lying: true, found: finding.providerCheated } : {}),
        mismatches: finding.mismatches,
        ...(finding.divergentSegment === undefined ? {} : { divergentSegment: finding.divergentSegment }),
        ...(finding.reason ? { reason: finding.reason } : {}),
      },
      'referee voted',
    );
  }

  /** The bond by permit from what this node holds; it appeals only what it challenged (it re-ran it itself). */
  async #appeal(court: Court, jobId: bigint): Promise<void> {
    const { appealBond } = await court.read.terms();
    const permit = await this.ctx.ledger.signPermit(court.address, appealBond);
    if (await this.#act(jobId, 'appeal', () => court.write.appeal([jobId, permit]))) {
      this.ctx.log.info({ jobId: String(jobId), bondWei: String(appealBond) }, 'dispute appealed');
    }
  }

  /** Sends one court call; a benign revert (someone was first, too early) resolves false. */
  async #act(jobId: bigint, call: string, send: () => Promise<`0x${string}`>): Promise<boolean> {
    const { ledger, log } = this.ctx;
    try {
      await this.ctx.send(() => ledger.confirm(`court.${call}`, send));
      this.#waiting.delete(jobId);
      if (call !== 'vote' && call !== 'appeal') log.info({ jobId: String(jobId), call }, 'court step');
      return true;
    } catch (error) {
      if (isRevertOf(error, ...BENIGN)) {
        if (isRevertOf(error, 'NotEnoughReferees')) this.#retryAt.set(jobId, Date.now() + WAIT_RETRY_MS);
        if (isRevertOf(error, 'NotEnoughReferees') && !this.#waiting.has(jobId)) {
          this.#waiting.add(jobId);
          log.warn(
            { jobId: String(jobId), err: errorLine(error) },
            'dispute waits: too few verifiers to seat a committee',
          );
        }
        return false;
      }
      throw error;
    }
  }
}
