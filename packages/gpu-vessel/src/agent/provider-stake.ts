/**
 * What a provider must have before it trains: its stake registered for its hardware class (once, at start, paying by
 * permit), and, per job, the backend the job trains on among those its offer runs.
 */
import { AicError } from '@aic/core';
import type { JobSpec } from '@aic/model-vessel';
import type { AgentContext } from './context.ts';

/** Registers this node as a provider of `hwClass` with `stakeWei` unless it already is. */
export async function ensureProviderStake(ctx: AgentContext, hwClass: number, stakeWei: bigint): Promise<void> {
  const { ledger } = ctx;
  if ((await ledger.market.read.providerOf([ledger.account()])).registered) return;
  const permit = await ledger.signPermit(ledger.market.address, stakeWei);
  await ctx.send(() =>
    ledger.confirm('registerProvider', () => ledger.market.write.registerProvider([hwClass, stakeWei, permit])),
  );
  ctx.log.info({ hwClass, stakeWei: String(stakeWei) }, 'provider staked');
}

/** A job on a backend this machine does not run (webgpu without a WebGPU adapter) is not taken: refused before
 * `startJob` and before any data moves, a final answer (the coordinator places it elsewhere after liveness). */
export function assertBackendOffered(jobId: bigint, backend: JobSpec['backend'], offered: readonly string[]): void {
  if (offered.includes(backend)) return;
  throw new AicError(
    'JOB_BACKEND_UNAVAILABLE',
    `job ${jobId} trains on ${backend}, this provider runs ${offered.join(', ')}${backend === 'webgpu' ? ' (no WebGPU adapter)' : ''}`,
    { details: { jobId: String(jobId), backend, offered } },
  );
}
