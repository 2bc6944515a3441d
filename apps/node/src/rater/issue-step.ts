/**
 * The rater's extra-issuance step (PoV chain only): once an epoch's scores are settled in the RewardsPool, call
 * AICIssuer.issue(epoch) so its extra AIC reaches the pool. Anyone may call it and an epoch mints once, so several
 * raters racing is harmless; the step is absent where the deployment has no issuer (any other EVM chain).
 */
import { aicIssuerAbi, eventsOf, type LedgerClient, type LedgerWallet } from '@aic/ledger';
import { getContract, type TransactionReceipt } from 'viem';

export type IssueAction = { kind: 'issued'; epoch: number; amountWei: bigint };

export interface IssueStep {
  /** Issues the oldest settled epoch not issued yet, if issuance is on; undefined when nothing is due. */
  step(): Promise<IssueAction | undefined>;
}

export function createIssueStep(
  ledger: LedgerClient,
  log: { info(obj: object, msg: string): void },
): IssueStep | undefined {
  const address = ledger.deployment.pov?.AICIssuer;
  if (!address) return undefined;
  const issuer = getContract({
    address,
    abi: aicIssuerAbi,
    // The rater's client always has a wallet (it stakes and proposes with it).
    client: { public: ledger.publicClient, wallet: ledger.walletClient as LedgerWallet },
  });
  let cursor = 0n; // every epoch below it is issued or can no longer be
  return {
    async step() {
      const [on, from] = await issuer.read.issuing();
      if (!on) return undefined;
      if (cursor < from) cursor = from;
      const settled = await ledger.rewards.read.nextEpochToApply();
      for (; cursor < settled; cursor++) {
        if (await issuer.read.issued([cursor])) continue;
        const epoch = cursor;
        let receipt: TransactionReceipt;
        try {
          receipt = await ledger.confirm('AICIssuer.issue', () => issuer.write.issue([epoch]));
        } catch (error) {
          // Another node issued it first: nothing is lost.
          if (await issuer.read.issued([epoch])) continue;
          throw error;
        }
        const amountWei = eventsOf(receipt, address, aicIssuerAbi, 'Issued')[0]?.args.amount ?? 0n;
        log.info({ epoch: Number(epoch), amountWei: String(amountWei) }, 'extra issuance minted into the RewardsPool');
        cursor = epoch + 1n;
        return { kind: 'issued', epoch: Number(epoch), amountWei };
      }
      return undefined;
    },
  };
}
