/**
 * The coordinator's side of the checkable assignment (issue 15): the contract accepts a provider only from the job's
 * seeded shortlist (ComputeMarket.assignmentShortlist), so the allocator ranks only the offers of shortlisted
 * providers, and a job whose shortlist has no offer that can run it is redrawn once the shortlist's window passed.
 * Any number of coordinators may do this at once; a proposal that lost the race reverts and is ignored.
 */
import { AicError } from '@aic/core';
import type { AgentContext } from './context.ts';

/** The providers job `jobId` may be assigned to now, lowercased (the seed must exist). */
export async function shortlistOf(ctx: AgentContext, jobId: bigint): Promise<Set<string>> {
  const list = await ctx.ledger.market.read.assignmentShortlist([jobId]);
  return new Set(list.map((a) => a.toLowerCase()));
}

/** Whether `error` is a revert of the ledger call with one of `names` (e.g. a race another coordinator won). */
export function isRevertOf(error: unknown, ...names: string[]): boolean {
  if (!(error instanceof AicError) || error.code !== 'LEDGER_REVERTED') return false;
  const name = (error.details as { errorName?: unknown } | undefined)?.errorName;
  return typeof name === 'string' && names.includes(name);
}

/**
 * Draws a new shortlist for an unplaced job if its window has passed (chain time); resolves to whether it did. A
 * window still open or a job placed meanwhile (by another coordinator) is not an error.
 */
export async function redrawIfDue(ctx: AgentContext, jobId: bigint, windowEndsSec: number): Promise<boolean> {
  const { ledger } = ctx;
  const block = await ledger.publicClient.getBlock();
  if (Number(block.timestamp) <= windowEndsSec) return false;
  try {
    await ctx.send(() => ledger.confirm('redrawAssignment', () => ledger.market.write.redrawAssignment([jobId])));
  } catch (error) {
    if (isRevertOf(error, 'AssignWindowOpen', 'IllegalTransition')) return false;
    throw error;
  }
  ctx.log.info({ jobId: String(jobId) }, 'assignment shortlist redrawn (no shortlisted offer could run the job)');
  return true;
}

/** The largest provider price p with p + fee(p) ≤ rest (the contract's own obligation check at assignment). */
export function priceWithinEscrow(rest: bigint, feeBps: number): bigint {
  const fee = (p: bigint) => (p * BigInt(feeBps)) / 10_000n;
  let p = (rest * 10_000n) / (10_000n + BigInt(feeBps));
  while (p + 1n + fee(p + 1n) <= rest) p++;
  while (p > 0n && p + fee(p) > rest) p--;
  return p;
}
