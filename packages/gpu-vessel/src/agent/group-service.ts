/**
 * A provider node's MSMG lead role: takes the group plans coordinators propose for jobs it is to lead
 * (`/aic/msmg-plan/1.0.0`, kept in the job's folder), serves a job's plan, work record and payouts to anyone asking
 * (the requester's `aic job status` shows the group), runs its group jobs (group-lead.ts), and after the chain
 * settles such a job passes each member its share of what ComputeMarket paid the lead: ordinary AIC transfers from
 * the lead's account (pay-workers.ts), logged and recorded so a restart never pays twice. The contract pays one
 * provider per job; the split among the group is off chain, computed from the work record (worker-shares.ts).
 */
import { join } from 'node:path';
import { AicError } from '@aic/core';
import { jobStateName } from '@aic/ledger';
import type { JobTicket } from '../jobs/job-ticket.ts';
import { jobTicketFetchProtocol } from '../jobs/protocols.ts';
import type { WorkRecord } from '../msmg/group-supervisor.ts';
import { payWorkerShares } from '../msmg/pay-workers.ts';
import type { RankLimits } from '../msmg/rank-process.ts';
import { workerShares } from '../msmg/worker-shares.ts';
import { type AgentContext, errorLine } from './context.ts';
import {
  type GroupRunInit,
  type GroupRunResult,
  PLAN_WAIT_MS,
  readJson,
  runGroupAsLead,
  writeJson,
} from './group-lead.ts';
import { type GroupPlan, groupPlanSchema, msmgPlanProtocol } from './group-protocols.ts';
import { RoleScope, type Startable } from './lifecycle.ts';

const OPEN = new Set(['Escrowed', 'Preempted', 'Assigned', 'Reassigned', 'Running']);

interface Payout {
  account: string;
  wei: string;
  tx?: `0x${string}`;
}

/** Workers the ticket asks for (`hardware.spread.machines`), 1 for an ordinary job. */
export function groupSizeOf(ticket: Pick<JobTicket, 'hardware' | 'spec'>): number {
  const machines = ticket.hardware?.spread?.machines ?? 1;
  return machines > 1 && ticket.spec.microbatches !== undefined ? machines : 1;
}

export class MsmgLeadService implements Startable {
  readonly #scope: RoleScope;

  constructor(
    private readonly ctx: AgentContext,
    private readonly init: { root: string; limits: RankLimits; listenHost?: string },
  ) {
    this.#scope = new RoleScope('msmg lead', ctx.log);
  }

  #file(jobId: string, what: 'plan' | 'work' | 'paid'): string {
    return join(this.init.root, jobId, `group-${what}.json`);
  }

  async start(): Promise<void> {
    const me = this.ctx.ledger.account().toLowerCase();
    await this.ctx.net.handle(msmgPlanProtocol, async (request) => {
      if (request.kind === 'get') {
        const [plan, record, paid] = await Promise.all([
          readJson<GroupPlan>(this.#file(request.jobId, 'plan')),
          readJson<{ work: WorkRecord[] }>(this.#file(request.jobId, 'work')),
          readJson<Payout[]>(this.#file(request.jobId, 'paid')),
        ]);
        const work = record?.work;
        return { ...(plan ? { plan } : {}), ...(work ? { work } : {}), ...(paid ? { paid } : {}) };
      }
      const plan = groupPlanSchema.parse(request.plan);
      const members = plan.members.map((m) => m.toLowerCase());
      if (members[0] !== me || new Set(members).size !== members.length) {
        throw new AicError('MSMG_PLAN_INVALID', 'a plan names this node as rank 0 and each provider once');
      }
      const job = await this.ctx.ledger.market.read.jobOf([BigInt(plan.jobId)]);
      if (!OPEN.has(jobStateName(job.state))) {
        throw new AicError('MSMG_PLAN_INVALID', `job ${plan.jobId} is ${jobStateName(job.state)}`);
      }
      for (const m of members.slice(1)) {
        if (!(await this.ctx.ledger.market.read.providerOf([m as `0x${string}`])).registered) {
          throw new AicError('MSMG_PLAN_INVALID', `${m} is not a registered provider`);
        }
      }
      await writeJson(this.#file(plan.jobId, 'plan'), plan);
      this.ctx.log.info({ jobId: plan.jobId, members }, 'msmg plan taken');
      return { plan };
    });
    this.#scope.defer(() => this.ctx.net.unhandle(msmgPlanProtocol.id));
    this.#scope.defer(
      this.ctx.watcher.on(
        {
          JobSettled: (event) => {
            const { jobId, providerPaid } = event.args as { jobId: bigint; providerPaid: bigint };
            void this.#scope.spawn('member payouts', () => this.#payMembers(String(jobId), providerPaid), {
              jobId: String(jobId),
            });
          },
        },
        { replayFrom: 0n },
      ),
    );
  }

  async stop(): Promise<void> {
    await this.#scope.close();
  }

  /** Trains a group job as its lead, with the coordinator's plan (waited for a while: it is sent before the
   * assignment, but a restarted lead reads it from disk) or, without one, every rank on this node. */
  async run(job: Omit<GroupRunInit, 'ticketBytes'> & { ticketHost: string }): Promise<GroupRunResult> {
    const jobId = String(job.jobId);
    // the ticket's exact bytes, for members to check against the specHash themselves
    const fetched = await this.ctx.net.request(
      job.ticketHost,
      jobTicketFetchProtocol,
      { jobId },
      { signal: job.signal },
    );
    const init: GroupRunInit = { ...job, ticketBytes: fetched.ticket };
    const until = Date.now() + PLAN_WAIT_MS;
    let plan = await readJson<GroupPlan>(this.#file(jobId, 'plan'));
    while (!plan && Date.now() < until && !init.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      plan = await readJson<GroupPlan>(this.#file(jobId, 'plan'));
    }
    if (!plan) this.ctx.log.warn({ jobId }, 'msmg: no group plan, the lead trains every rank');
    const result = await runGroupAsLead(this.ctx, init, plan, {
      limits: this.init.limits,
      ...(this.init.listenHost ? { listenHost: this.init.listenHost } : {}),
    });
    await writeJson(this.#file(jobId, 'work'), {
      microbatches: init.spec.microbatches,
      workers: init.workers,
      work: result.work,
    });
    return result;
  }

  /** After settlement: each member's share of `paidWei`, sent once. */
  async #payMembers(jobId: string, paidWei: bigint): Promise<void> {
    const record = await readJson<{ microbatches: number; workers: number; work: WorkRecord[] }>(
      this.#file(jobId, 'work'),
    );
    if (!record || (await readJson<Payout[]>(this.#file(jobId, 'paid')))) return;
    const job = await this.ctx.ledger.market.read.jobOf([BigInt(jobId)]);
    if (job.provider.toLowerCase() !== this.ctx.ledger.account().toLowerCase()) return;
    const shares = workerShares(record.work, record, paidWei);
    try {
      const { ledger } = this.ctx;
      const paid = await this.ctx.send(async () => {
        // ComputeMarket credits the lead's pay (pull payment): withdraw it, so the members are paid from it
        if ((await ledger.market.read.owed([ledger.account()])) > 0n) {
          await ledger.confirm('ComputeMarket.withdraw', () => ledger.market.write.withdraw());
        }
        return await payWorkerShares(ledger, shares);
      });
      const payouts: Payout[] = paid.map((p) => ({
        account: p.share.account,
        wei: String(p.share.wei),
        ...(p.tx ? { tx: p.tx } : {}),
      }));
      await writeJson(this.#file(jobId, 'paid'), payouts);
      this.ctx.log.info({ jobId, paidWei: String(paidWei), payouts }, 'msmg members paid');
    } catch (error) {
      this.ctx.log.error({ jobId, err: errorLine(error) }, 'msmg member payouts failed');
      throw error;
    }
  }
}

/** A job's group as its lead reports it (members by rank; payouts once made), for `aic job status`. */
export interface GroupStatus {
  readonly members: readonly string[];
  readonly paid?: readonly { account: string; wei: string; tx?: string | undefined }[];
}

/** Asks the job's provider (its lead, if a group job) for the group; undefined for a job without one or a lead
 * that does not answer within `timeoutMs`. */
export async function groupStatusOf(
  ctx: Pick<AgentContext, 'net'>,
  jobId: bigint,
  provider: string,
  timeoutMs = 3_000,
): Promise<GroupStatus | undefined> {
  const peer = ctx.net.getPeers().find((p) => p.address?.toLowerCase() === provider.toLowerCase())?.peerId;
  if (!peer) return undefined;
  try {
    const got = await ctx.net.request(peer, msmgPlanProtocol, { kind: 'get', jobId: String(jobId) }, { timeoutMs });
    return got.plan ? { members: got.plan.members, ...(got.paid ? { paid: got.paid } : {}) } : undefined;
  } catch {
    return undefined;
  }
}
