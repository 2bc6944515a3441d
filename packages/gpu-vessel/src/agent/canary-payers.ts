/**
 * The accounts canaries are paid from (issue 15: canaries nobody can tell apart): fresh payers (fresh-payers.ts) of
 * the coordinator's node, funded and aged exactly as every requester's job payers are, so a canary's payer history and
 * a real job's look alike. What is canary-specific: the coordinator places the jobs these accounts escrow itself, so
 * it keeps them apart from its node's job payers (their own key directory, `isPayer`).
 */
import type { AgentContext } from './context.ts';
import { type FreshPayer, type FreshPayerPort, FreshPayers } from './fresh-payers.ts';

/** What the node gives the coordinator for canary payers. */
export type CanaryPayerPort = FreshPayerPort;
export type CanaryPayer = FreshPayer;

export function canaryPayers(ctx: AgentContext, port: CanaryPayerPort): FreshPayers {
  return new FreshPayers(ctx, port, 'canary payer');
}
