/**
 * TEST-ONLY fault injection ($AIC_FAULT_WRONG_ASSIGNMENT): a cheating coordinator. For every escrowed job it proposes
 * a staked, eligible provider that is NOT on the job's seeded shortlist, and never the right one — the contract
 * checks the seeded draw, so the proposal reverts (ProviderNotDrawn) and the job waits for an honest proposer
 * (another coordinator, or anyone). The attempt and its revert are logged, as the cheater's own record.
 */
import { computeMarketAbi } from '@aic/ledger';
import type { Address } from 'viem';
import type { AgentContext } from './context.ts';
import { isRevertOf, shortlistOf } from './coordinator-shortlist.ts';

/** Proposes a provider off `jobId`'s shortlist; resolves to the revert's error name (undefined: no one to name). */
export async function proposeWrongProvider(ctx: AgentContext, jobId: bigint): Promise<string | undefined> {
  const { ledger, log } = ctx;
  const [job, shortlist] = await Promise.all([ledger.market.read.jobOf([jobId]), shortlistOf(ctx, jobId)]);
  const registered = await ledger.publicClient.getContractEvents({
    address: ledger.market.address,
    abi: computeMarketAbi,
    eventName: 'ProviderRegistered',
    fromBlock: 0n,
    strict: true,
  });
  let wrong: Address | undefined;
  for (const e of registered) {
    const candidate = e.args.provider;
    if (shortlist.has(candidate.toLowerCase()) || candidate.toLowerCase() === job.requester.toLowerCase()) continue;
    const p = await ledger.market.read.providerOf([candidate]);
    if (p.registered && p.hwClass >= job.minHwClass && p.stake >= (await ledger.market.read.minStakeOf([p.hwClass]))) {
      wrong = candidate;
      break;
    }
  }
  if (!wrong) {
    log.warn({ jobId: String(jobId) }, 'fault: no provider off the shortlist to propose');
    return undefined;
  }
  const provider = wrong;
  try {
    await ctx.send(() => ledger.confirm('assignJob', () => ledger.market.write.assignJob([jobId, provider])));
  } catch (error) {
    const errorName = isRevertOf(error, 'ProviderNotDrawn') ? 'ProviderNotDrawn' : String(error);
    log.warn(
      { jobId: String(jobId), provider, shortlist: [...shortlist], revert: errorName },
      'fault: wrong assignment proposed and reverted',
    );
    return errorName;
  }
  log.error({ jobId: String(jobId), provider }, 'fault: a wrong assignment was ACCEPTED');
  return 'accepted';
}
