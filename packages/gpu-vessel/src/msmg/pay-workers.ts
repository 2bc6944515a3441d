/**
 * Paying an MSMG group: ComputeMarket pays the job's assigned provider, who leads the group; the lead passes each
 * other worker its share (`workerShares`) as an AIC transfer and keeps its own. (A contract-side split would need
 * ComputeMarket to know the group; until it does, a worker trusts its lead as it trusts the job's terms.)
 */
import type { LedgerBase } from '@aic/ledger';
import type { Hash } from 'viem';
import type { WorkerShare } from './worker-shares.ts';

export interface SharePayment {
  readonly share: WorkerShare;
  /** Undefined for the lead's own share (nothing to send) and for a zero share. */
  readonly tx?: Hash;
}

/** Sends every other worker its share from the lead's account, one transfer each, in the shares' order. */
export async function payWorkerShares(
  lead: Pick<LedgerBase, 'token' | 'confirm' | 'account'>,
  shares: readonly WorkerShare[],
): Promise<SharePayment[]> {
  const self = lead.account().toLowerCase();
  const paid: SharePayment[] = [];
  for (const share of shares) {
    if (share.wei === 0n || share.account.toLowerCase() === self) {
      paid.push({ share });
      continue;
    }
    const receipt = await lead.confirm('AICToken.transfer', () =>
      lead.token.write.transfer([share.account, share.wei]),
    );
    paid.push({ share, tx: receipt.transactionHash });
  }
  return paid;
}
